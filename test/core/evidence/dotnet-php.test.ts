import { describe, expect, it } from 'vitest';
import { readMsbuild, readPackagesConfig } from '../../../src/core/evidence/readers/dotnet.js';
import { readComposerJson, readComposerLock } from '../../../src/core/evidence/readers/php.js';
import { fixtureEvidence, lines } from './fixture.js';

describe('.NET readers (*.csproj, Directory.Packages.props, packages.config)', () => {
  it('finds GOV.UK Frontend for ASP.NET Core and the Notify client, with central package versions', () => {
    const e = fixtureEvidence('dotnet');
    expect(lines(e.design_systems)).toEqual([
      'govuk-frontend: nuget package GovUk.Frontend.AspNetCore (bundles GOV.UK Frontend) at Directory.Packages.props:6',
    ]);
    // 2.8.0 is the library's version, not GOV.UK Frontend's: no version, so no floor is applied.
    expect(e.design_systems[0]).toMatchObject({ version: null, major: null });
    expect(lines(e.platforms)).toEqual([
      'govuk-notify: nuget package GovukNotify at Directory.Packages.props:7',
      'govuk-notify: nuget package GovukNotify at packages.config:3',
      'govuk-notify: nuget package GovukNotify at src/Web/Web.csproj:7',
    ]);
  });

  it('reads Version as an attribute or a child element, and matches NuGet names case-insensitively', () => {
    const r = readMsbuild(
      '<Project><ItemGroup><PackageReference Include="govuknotify"><Version>7.0.0</Version></PackageReference></ItemGroup></Project>',
      'x.csproj',
    );
    expect(r.ok && r.packages[0]).toMatchObject({ name: 'govuknotify', version: '7.0.0' });
    expect(readPackagesConfig('<packages/>', 'packages.config')).toEqual({
      ok: true,
      packages: [],
    });
    expect(readMsbuild('<Project><ItemGroup>', 'x.csproj')).toMatchObject({ ok: false });
  });
});

describe('PHP readers (composer.json, composer.lock)', () => {
  it('finds the GOV.UK Notify PHP client, resolved from the lockfile', () => {
    const e = fixtureEvidence('php');
    expect(lines(e.platforms)).toEqual([
      'govuk-notify: composer package alphagov/notifications-php-client at composer.json:6',
      'govuk-notify: composer package alphagov/notifications-php-client at composer.lock:5',
    ]);
    const lock = readComposerLock(
      '{"packages":[{"name":"Alphagov/Notifications-PHP-Client","version":"v6.2.1"}]}',
      'composer.lock',
    );
    expect(lock.ok && lock.packages[0]).toMatchObject({
      name: 'alphagov/notifications-php-client',
      version: '6.2.1',
    });
    const manifest = readComposerJson('{"require":{"php":"^8","ext-json":"*"}}', 'composer.json');
    expect(manifest).toEqual({ ok: true, packages: [] });
  });
});
