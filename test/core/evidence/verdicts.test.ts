import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../../src/run/gather.js';
import { MemoryScm } from '../../../src/scm/memory.js';
import { evaluateYaml } from '../../helpers/evaluate.js';

const manifest = (extra: string) => `name: Apply for a licence
phase: alpha
owner: {organisation: Department, team: Team, contact: team@example.gov.uk}
${extra}`;

const claims = (files: Record<string, string>, extra: string) =>
  evaluateYaml(manifest(extra), { files })
    .findings.filter(
      (f) => f.rule.startsWith('core.design-system') || f.rule.startsWith('core.platform'),
    )
    .map((f) => `${f.level} ${f.rule}: ${f.message}`);

describe('honest verdicts', () => {
  it('declared but not found is a failure when every dependency file was read', () => {
    expect(
      claims(
        { 'package.json': '{"dependencies":{"express":"^4"}}' },
        'design_system: {name: govuk-frontend}',
      ),
    ).toEqual([
      'failure core.design-system-found: service.yml declares govuk-frontend, but none of the dependency files in the repository uses it (Service Gate read every one: package.json).',
    ]);
  });

  it('is a notice naming the files when the repository has a build file Service Gate cannot read', () => {
    expect(
      claims(
        {
          'package.json': '{"dependencies":{"express":"^4"}}',
          'setup.py': 'install_requires=["govuk-frontend-jinja"]',
        },
        'design_system: {name: govuk-frontend}\nplatforms: {notifications: govuk-notify}',
      ),
    ).toEqual([
      'notice core.design-system-not-verified: Not verified: service.yml declares govuk-frontend, which is not in the dependency files Service Gate read, and it could not read setup.py (Service Gate has no reader for this kind of dependency file).',
      'notice core.platform-not-verified: Not verified: service.yml says the service uses govuk-notify for notifications; nothing for it is in the files Service Gate read, and it could not read setup.py (Service Gate has no reader for this kind of dependency file).',
    ]);
  });

  it('is a notice when a dependency file is malformed', () => {
    const found = claims(
      { 'pom.xml': '<project><dependencies>' },
      'design_system: {name: govuk-frontend}',
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^notice core.design-system-not-verified: .*could not read pom.xml \(it could not be read: it is not valid XML/,
      ),
    ]);
  });

  it('HMRC Frontend declared with play-frontend-hmrc found passes; GOV.UK Frontend found beside it is consistent', () => {
    expect(
      claims(
        {
          'project/AppDependencies.scala':
            '"uk.gov.hmrc" %% "play-frontend-hmrc-play-30" % "10.3.0"',
          'package.json': '{"dependencies":{"govuk-frontend":"^5.7.0"}}',
        },
        'design_system: {name: hmrc-frontend}',
      ),
    ).toEqual([]);
    // and GOV.UK Frontend declared is satisfied by HMRC Frontend, which builds on it
    expect(
      claims(
        {
          'project/AppDependencies.scala':
            '"uk.gov.hmrc" %% "play-frontend-hmrc-play-30" % "10.3.0"',
        },
        'design_system: {name: govuk-frontend}',
      ),
    ).toEqual([]);
  });

  it('names the file, line and signal in found-but-not-declared findings, and flags unmaintained platforms', () => {
    expect(
      claims(
        {
          'Gemfile.lock': 'GEM\n  specs:\n    govuk_notify_rails (2.2.0)\n',
          '.env.example': 'X=1\nNOTIFY_URL=https://api.notify.gov\n',
        },
        'design_system: {name: govuk-frontend}',
      ),
    ).toEqual([
      'failure core.design-system-found: service.yml declares govuk-frontend, but none of the dependency files in the repository uses it (Service Gate read every one: .env.example, Gemfile.lock).',
      // Notify.gov runs on GOV.UK Notify's clients: with its host configured, the gem is its
      'warning core.platform-declared: The repository uses notify-gov (host api.notify.gov at .env.example:2, rubygems package govuk_notify_rails at Gemfile.lock:3), but service.yml does not declare it under platforms.notifications.',
      'warning core.platform-maintained: The repository uses notify-gov (host api.notify.gov at .env.example:2, rubygems package govuk_notify_rails at Gemfile.lock:3), which is decommissioned or no longer maintained.',
    ]);
  });

  it('a file too large to read is named, through any Scm, so the verdict is not verified', async () => {
    const big = JSON.stringify({
      lockfileVersion: 3,
      packages: {},
      pad: 'x'.repeat(9 * 1024 * 1024),
    });
    const e = await readEvidence(
      new MemoryScm(
        ['package.json', 'package-lock.json'],
        new Map([
          ['package.json', '{}'],
          ['package-lock.json', big],
        ]),
      ),
    );
    expect(e.files_read).toEqual(['package.json']);
    expect(e.files_unread).toEqual([
      {
        file: 'package-lock.json',
        kind: 'dependency',
        reason: expect.stringMatching(/^it is \d+ bytes, over the 8388608/),
      },
    ]);
  });
});
