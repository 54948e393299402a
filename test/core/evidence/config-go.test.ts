import { describe, expect, it } from 'vitest';
import { detectEvidence } from '../../../src/core/evidence/detect.js';
import { readGoMod } from '../../../src/core/evidence/readers/go.js';
import { fixtureEvidence, lines } from './fixture.js';

describe('configuration readers', () => {
  it('finds hosts, key names and literals in .env examples, Rails initializers, Spring application.yml in a module, appsettings and tfvars', () => {
    const e = fixtureEvidence('config');
    expect(e.files_read).toEqual([
      '.env.example',
      'api/src/main/resources/application.yml',
      'appsettings.Development.json',
      'config/initializers/omniauth.rb',
      'infra/prod.tfvars',
    ]);
    expect(lines(e.platforms)).toEqual([
      'gc-notify: host api.notification.canada.ca at infra/prod.tfvars:2',
      // NOTIFY_API_KEY is GOV.UK Notify's name, but GC Notify's host is configured: it is GC Notify's
      'gc-notify: key NOTIFY_API_KEY at .env.example:3',
      'govuk-notify: host api.notifications.service.gov.uk at appsettings.Development.json:2',
      'govuk-one-login: host oidc.integration.account.gov.uk at api/src/main/resources/application.yml:7',
      'govuk-pay: host publicapi.payments.service.gov.uk at infra/prod.tfvars:1',
      'govuk-pay: key GOVUK_PAY_API_KEY at .env.example:4',
      'login-gov: host idp.int.identitysandbox.gov at config/initializers/omniauth.rb:4',
      'login-gov: text provider :login_dot_gov at config/initializers/omniauth.rb:2',
      'login-gov: text urn:gov:gsa:openidconnect.profiles:sp:sso: at config/initializers/omniauth.rb:3',
    ]);
  });

  it('skips commented-out keys and names that only contain a key name', () => {
    const e = detectEvidence({
      paths: ['.env.example'],
      files: new Map([
        ['.env.example', '# VA_NOTIFY_API_KEY=\nMY_NOTIFY_API_KEY_2=\nxoidc.account.gov.uk\n'],
      ]),
    });
    expect(e.platforms).toEqual([]);
  });
});

describe("a platform's own code", () => {
  it("does not use the platform: Notify.gov's API depends on the Notify client but is the platform", () => {
    const e = detectEvidence({
      paths: ['pyproject.toml'],
      files: new Map([
        [
          'pyproject.toml',
          '[tool.poetry]\nname = "notifications-api"\n[tool.poetry.dependencies]\nnotifications-python-client = "^10"\n',
        ],
      ]),
    });
    expect(e.platforms).toEqual([]);
  });
});

describe('Go reader', () => {
  it('reads require lines and blocks', () => {
    const r = readGoMod(
      'module x\n\nrequire github.com/a/b v1.2.3\nrequire (\n\tgithub.com/c/d v0.1.0 // indirect\n)\n',
      'go.mod',
    );
    expect(r.ok && r.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['github.com/a/b', '1.2.3', 3],
      ['github.com/c/d', '0.1.0', 5],
    ]);
  });
});
