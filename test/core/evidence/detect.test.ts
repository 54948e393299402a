import { describe, expect, it } from 'vitest';
import { detectEvidence } from '../../../src/core/evidence/detect.js';
import { selectEvidenceFiles } from '../../../src/core/evidence/evidence-files.js';

/** Fixtures are shaped like the files of real government repositories (trimmed). */
const detect = (files: Record<string, string>, extraPaths: string[] = []) =>
  detectEvidence({
    paths: [...Object.keys(files), ...extraPaths],
    files: new Map(Object.entries(files)),
  });

describe('design-system detection', () => {
  it('reads the resolved version from package-lock v3, ignoring nested copies', () => {
    const e = detect({
      'package.json': JSON.stringify({
        dependencies: { 'govuk-frontend': '^5.0.0', 'hmpo-components': '^7' },
      }),
      'package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/govuk-frontend': { version: '5.7.1' },
          'node_modules/hmpo-components/node_modules/govuk-frontend': { version: '4.8.0' },
        },
      }),
    });
    expect(e.design_systems).toEqual([
      expect.objectContaining({
        id: 'govuk-frontend',
        version: '5.7.1',
        major: 5,
        resolved: true,
        source: 'package-lock.json',
      }),
    ]);
  });

  it('reads package-lock v1 dependencies', () => {
    const e = detect({
      'package-lock.json': JSON.stringify({
        lockfileVersion: 1,
        dependencies: { 'nhsuk-frontend': { version: '8.3.0' } },
      }),
    });
    expect(e.design_systems[0]).toMatchObject({ id: 'nhsuk-frontend', major: 8 });
  });

  it('falls back to the lowest version of the declared range without a lockfile', () => {
    const e = detect({
      'package.json': JSON.stringify({ dependencies: { '@uswds/uswds': '~3.8.1' } }),
    });
    expect(e.design_systems[0]).toMatchObject({ id: 'uswds', version: '3.8.1', resolved: false });
  });

  it('reads yarn classic and berry lockfiles, including scoped packages', () => {
    const classic = detect({
      'yarn.lock':
        '# yarn lockfile v1\n\n"@ministryofjustice/frontend@^2.1.2":\n  version "2.2.4"\n  resolved "https://registry.yarnpkg.com/x"\n\ngovuk-frontend@^5.0.0, govuk-frontend@^5.4.0:\n  version "5.4.1"\n',
    });
    expect(classic.design_systems.map((d) => [d.id, d.version])).toEqual([
      ['govuk-frontend', '5.4.1'],
      ['moj-frontend', '2.2.4'],
    ]);
    const berry = detect({
      'yarn.lock':
        '__metadata:\n  version: 8\n\n"govuk-frontend@npm:^5.6.0":\n  version: 5.6.0\n  resolution: "govuk-frontend@npm:5.6.0"\n',
    });
    expect(berry.design_systems[0]).toMatchObject({
      id: 'govuk-frontend',
      version: '5.6.0',
      resolved: true,
    });
  });

  it('reads pnpm lockfiles v5, v6 and v9', () => {
    for (const [lock, version] of [
      [
        'lockfileVersion: 5.4\npackages:\n  /govuk-frontend/3.14.0:\n    resolution: {integrity: sha512-x}\n',
        '3.14.0',
      ],
      [
        "lockfileVersion: '6.0'\npackages:\n  /govuk-frontend@4.7.0:\n    resolution: {integrity: sha512-x}\n",
        '4.7.0',
      ],
      [
        "lockfileVersion: '9.0'\npackages:\n  govuk-frontend@5.7.1:\n    resolution: {integrity: sha512-x}\n  '@gcds-core/components@1.2.0':\n    resolution: {integrity: sha512-y}\n",
        '5.7.1',
      ],
    ] as const) {
      expect(detect({ 'pnpm-lock.yaml': lock }).design_systems[0]).toMatchObject({
        id: 'govuk-frontend',
        version,
      });
    }
  });

  it('reads Ruby gems, and treats govuk_publishing_components as GOV.UK Frontend of unknown version', () => {
    const e = detect({
      Gemfile:
        'source "https://rubygems.org"\ngem "govuk_publishing_components"\ngem "govuk_app_config"\n',
      'Gemfile.lock':
        'GEM\n  remote: https://rubygems.org/\n  specs:\n    govuk_app_config (9.15.0)\n    govuk_publishing_components (43.4.1)\n      govuk_app_config\n      govuk_personalisation (>= 0.7.0)\n',
    });
    expect(e.design_systems).toEqual([
      expect.objectContaining({
        id: 'govuk-frontend',
        package: 'govuk_publishing_components',
        version: null,
      }),
    ]);
  });

  it('reads Python requirements, pyproject and poetry.lock with normalised names (ports carry no design-system version)', () => {
    expect(
      detect({
        'requirements.txt':
          '# prod\nFlask==3.0.3\ngovuk_frontend_jinja==3.4.0 ; python_version >= "3.9"\n-r requirements-base.txt\n',
      }).design_systems[0],
    ).toMatchObject({ id: 'govuk-frontend', package: 'govuk-frontend-jinja', version: null });
    expect(
      detect({
        'pyproject.toml':
          '[project]\nname = "x"\ndependencies = ["nhsuk-frontend-jinja>=0.3", "django>=5"]\n',
      }).design_systems[0],
    ).toMatchObject({ id: 'nhsuk-frontend', version: null, resolved: false });
    expect(
      detect({ 'poetry.lock': '[[package]]\nname = "govuk-frontend-wtf"\nversion = "3.2.0"\n' })
        .design_systems[0],
    ).toMatchObject({ id: 'govuk-frontend', package: 'govuk-frontend-wtf', version: null });
  });

  it('flags decommissioned @gov.au packages as unmaintained GOLD', () => {
    expect(
      detect({ 'package.json': JSON.stringify({ dependencies: { '@gov.au/core': '^3.4.0' } }) })
        .design_systems[0],
    ).toMatchObject({ id: 'gold', unmaintained: true });
  });

  it('never throws on malformed files', () => {
    const e = detect({
      'package.json': '{ nope',
      'package-lock.json': '[]',
      'pyproject.toml': '[[[',
      'poetry.lock': 'x = ',
      'yarn.lock': '\u0000',
    });
    expect(e.design_systems).toEqual([]);
  });
});

describe('platform detection', () => {
  it('finds GOV.UK Notify, Pay and One Login from clients, env examples and config hosts', () => {
    const e = detect({
      'package.json': JSON.stringify({ dependencies: { 'notifications-node-client': '^8' } }),
      '.env.example': 'GOVUK_PAY_API_KEY=\nSESSION_SECRET=\n',
      'config/settings.yml': 'one_login:\n  issuer: https://oidc.integration.account.gov.uk/\n',
    });
    expect(e.platforms.map((p) => [p.id, p.category, p.source]).sort()).toEqual([
      ['govuk-notify', 'notifications', 'package.json'],
      ['govuk-one-login', 'identity', 'config/settings.yml'],
      ['govuk-pay', 'payments', '.env.example'],
    ]);
  });

  it('attributes the shared Notify client to GC Notify when its host is configured', () => {
    const e = detect({
      'requirements.txt': 'notifications-python-client==10.0.0\n',
      '.env.example': 'NOTIFY_BASE_URL=https://api.notification.canada.ca\nGC_NOTIFY_API_KEY=\n',
    });
    expect([...new Set(e.platforms.map((p) => p.id))]).toEqual(['gc-notify']);
    expect(e.platforms.map((p) => `${p.signal} at ${p.source}:${p.line}`)).toEqual([
      'host api.notification.canada.ca at .env.example:1',
      'key GC_NOTIFY_API_KEY at .env.example:2',
      'pypi package notifications-python-client at requirements.txt:1',
    ]);
  });

  it('does not mistake a longer env name for a platform key', () => {
    expect(detect({ '.env.example': 'NOT_NOTIFY_API_KEY_OLD=1\n' }).platforms).toEqual([]);
  });

  it('detects Login.gov from a gem and own-built payments from Go modules', () => {
    const e = detect({
      'Gemfile.lock': 'GEM\n  specs:\n    omniauth_login_dot_gov (2.0.1)\n',
      'go.mod':
        'module example.gov/pay\n\ngo 1.22\n\nrequire (\n\tgithub.com/stripe/stripe-go v76.25.0+incompatible\n\tgithub.com/gorilla/mux v1.8.1 // indirect\n)\n',
    });
    expect(e.platforms.map((p) => p.id)).toEqual(['login-gov']);
    expect(e.own_builds).toEqual([
      { category: 'payments', package: 'github.com/stripe/stripe-go', source: 'go.mod', line: 6 },
    ]);
  });
});

describe('evidence file selection and practices', () => {
  it('selects dependency files up to three folders down, lockfiles first, and skips node_modules', () => {
    const paths = [
      'package.json',
      'apps/web/package-lock.json',
      'a/b/c/package.json',
      'node_modules/x/package.json',
      'src/index.ts',
      '.env.example',
      'config/app.yml',
      'services/api/requirements-dev.txt',
      'vendor/requirements.txt',
      'a/b/c/go.mod',
      'a/b/c/d/go.mod',
    ];
    expect(selectEvidenceFiles(paths)).toEqual([
      'apps/web/package-lock.json',
      'package.json',
      'services/api/requirements-dev.txt',
      'a/b/c/go.mod',
      'a/b/c/package.json',
      '.env.example',
      'config/app.yml',
    ]);
  });

  it('sees CI, tests, licence, dependabot, security policy and statements from paths', () => {
    const e = detect({}, [
      '.github/workflows/ci.yml',
      'spec/models/user_spec.rb',
      'LICENCE.md',
      '.github/dependabot.yml',
      'SECURITY.md',
      'app/views/pages/accessibility_statement.html.erb',
      'app/views/privacy.njk',
    ]);
    expect(e.practices).toMatchObject({
      ci: true,
      tests: true,
      licence: true,
      dependency_updates: true,
      security_policy: true,
      accessibility_statement: true,
      privacy_notice: true,
      codeowners: false,
    });
  });
});
