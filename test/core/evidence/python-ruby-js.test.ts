import { describe, expect, it } from 'vitest';
import { readRequirements } from '../../../src/core/evidence/readers/python.js';
import { readGemfileLock } from '../../../src/core/evidence/readers/ruby.js';
import { fixtureEvidence, lines } from './fixture.js';

describe('Python readers', () => {
  it('reads requirements*.in, requirements/*.txt, egg= lines, Pipfile, Pipfile.lock, pyproject groups, uv.lock and poetry.lock', () => {
    const e = fixtureEvidence('python');
    expect(e.files_read).toEqual([
      'Pipfile',
      'Pipfile.lock',
      'poetry.lock',
      'pyproject.toml',
      'requirements.in',
      'requirements/base.txt',
      'uv.lock',
    ]);
    expect(lines(e.design_systems)).toEqual([
      'govuk-frontend: pypi package govuk-frontend-jinja (bundles GOV.UK Frontend) at uv.lock:18',
      // also in requirements/base.txt: one item, from the lockfile
      'govuk-frontend: pypi package govuk-frontend-wtf (bundles GOV.UK Frontend) at uv.lock:10',
      'nhsuk-frontend: pypi package nhsuk-frontend-jinja (bundles NHS.UK Frontend) at pyproject.toml:20',
    ]);
    expect(lines(e.platforms)).toEqual([
      'govuk-notify: pypi package django-gov-notify at Pipfile.lock:4',
      'govuk-notify: pypi package django-gov-notify at Pipfile:8',
      'govuk-notify: pypi package notifications-python-client at Pipfile.lock:5',
      'govuk-notify: pypi package notifications-python-client at poetry.lock:4',
      'govuk-notify: pypi package notifications-python-client at pyproject.toml:10',
      'govuk-notify: pypi package notifications-python-client at requirements.in:5',
      'govuk-one-login: pypi package govuk-onelogin-django at Pipfile:9',
    ]);
  });

  it('names VCS requirements by their egg fragment and skips options and continuations', () => {
    const r = readRequirements(
      '-e git+https://github.com/alphagov/notifications-python-client.git@9.1.0#egg=notifications_python_client\n--index-url https://x\nflask==3.0.3 \\\n    --hash=sha256:00\n',
      'requirements.txt',
    );
    expect(r.ok && r.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['notifications-python-client', null, 1],
      ['flask', '3.0.3', 3],
    ]);
  });
});

describe('Ruby readers', () => {
  it('reads the Gemfile, a gemspec, and Gemfile.lock direct, transitive and git gems', () => {
    const e = fixtureEvidence('ruby');
    expect(lines(e.design_systems)).toEqual([
      'govuk-frontend: rubygems package govuk-components (bundles GOV.UK Frontend) at Gemfile.lock:5',
      'govuk-frontend: rubygems package govuk_design_system_formbuilder (bundles GOV.UK Frontend) at engine.gemspec:3',
    ]);
    expect(lines(e.platforms)).toEqual([
      'govuk-notify: rubygems package govuk_notify_rails at Gemfile.lock:12',
      'govuk-notify: rubygems package govuk_notify_rails at Gemfile:4',
      'govuk-notify: rubygems package mail-notify at Gemfile.lock:15',
      'govuk-notify: rubygems package mail-notify at Gemfile:5',
      // transitive: brought by govuk_notify_rails and mail-notify
      'govuk-notify: rubygems package notifications-ruby-client at Gemfile.lock:17',
    ]);
    const lock = readGemfileLock('DEPENDENCIES\n  mail-notify!\n', 'Gemfile.lock');
    expect(lock.ok && lock.packages[0]).toMatchObject({
      name: 'mail-notify',
      resolved: false,
      line: 2,
    });
  });
});

describe('JavaScript readers', () => {
  it("reads workspaces (nested package.json and a workspace's own install) and ignores copies nested in other packages", () => {
    const e = fixtureEvidence('js');
    expect(lines(e.design_systems)).toEqual([
      'govuk-frontend: npm package govuk-frontend at package-lock.json:8',
      'govuk-frontend: npm package govuk-frontend at package-lock.json:9',
      'moj-frontend: npm package @ministryofjustice/frontend at package-lock.json:10',
    ]);
    expect(e.design_systems.map((d) => d.version)).toEqual(['5.7.1', '4.8.0', '3.0.2']);
    expect(e.design_systems.find((d) => d.id === 'govuk-frontend')).toMatchObject({
      version: '5.7.1',
      resolved: true,
      related: ['hmrc-frontend', 'moj-frontend'],
    });
    expect(lines(e.platforms)).toEqual([
      'govuk-one-login: npm package @govuk-one-login/frontend-analytics at packages/web/package.json:6',
    ]);
  });
});
