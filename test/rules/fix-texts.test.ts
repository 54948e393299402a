import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { evaluateYaml, rulesFailing } from '../helpers/evaluate.js';
import { exampleFiles, withManifest } from '../shells/app/fixtures.js';

/** An example repository, its service.yml edited, judged with the bundled packs. */
function judge(name: string, edit: (yaml: string) => string = (y) => y, drop: string[] = []) {
  const files = withManifest(exampleFiles(name), edit);
  for (const path of drop) delete files[path];
  return evaluateYaml(files['service.yml']!, { files });
}

const findingsOf = (report: Report, rule: string) =>
  report.findings.filter((f) => f.rule === rule && !f.waived);

const point = (report: Report, standard: string, n: number) =>
  report.points.find((p) => p.standard === standard && p.point === n);

// failing-claim-support declares One Login, and nothing in the repository integrates it.
const CLAIM = 'failing-claim-support';
const elsewhere = (y: string) =>
  y.replace(
    'identity: govuk-one-login',
    'identity: {id: govuk-one-login, integrated_in: dwp/claim-support-identity}',
  );

describe('a platform integrated in another repository', () => {
  it('the "not found" finding tells the team how to say so', () => {
    const [found] = findingsOf(judge(CLAIM), 'core.platform-found');
    expect(found!.message).toContain('govuk-one-login for identity');
    expect(found!.fix).toBe(
      "Check the declaration. If another repository holds the integration, name it: 'identity: {id: govuk-one-login, integrated_in: <owner>/<repository>}'.",
    );
    expect(found!.fix).not.toMatch(/comment/);
  });

  it('is never reported "not found": a notice says where it is and that it was not looked for', () => {
    const report = judge(CLAIM, elsewhere);
    expect(findingsOf(report, 'core.platform-found')).toEqual([]);
    const [note] = findingsOf(report, 'core.platform-integrated-elsewhere');
    expect(note).toMatchObject({ level: 'notice', line: 29 });
    expect(note!.message).toBe(
      'Not verified here: service.yml says dwp/claim-support-identity holds the integration with govuk-one-login for identity. Service Gate reads only this repository, so it did not look for it there.',
    );
    expect(note!.message).not.toMatch(/not found/);
    // The other declared platform is still looked for here, and still reported.
    expect(report.findings.map((f) => f.message).join('\n')).not.toMatch(
      /govuk-one-login for identity, but no client library/,
    );
  });

  it('is not "not verified" either when some files could not be read', () => {
    const files = withManifest(exampleFiles(CLAIM), elsewhere);
    const report = evaluateYaml(files['service.yml']!, {
      files,
      paths: [...Object.keys(files), 'setup.py'],
    });
    expect(report.evidence.files_unread.length).toBeGreaterThan(0);
    expect(
      findingsOf(report, 'core.platform-not-verified').filter((f) =>
        f.message.includes('identity'),
      ),
    ).toEqual([]);
    expect(findingsOf(report, 'core.platform-integrated-elsewhere')).toHaveLength(1);
  });

  it('says nothing when the integration is in this repository after all', () => {
    // The childminder service configures One Login in config/.
    const report = judge('private-beta-childminder-register', (y) =>
      y.replace(
        'identity: govuk-one-login',
        'identity: {id: govuk-one-login, integrated_in: ofsted/identity}',
      ),
    );
    expect(rulesFailing(report)).not.toContain('core.platform-integrated-elsewhere');
    // ...and the object form declares the platform the code uses.
    expect(rulesFailing(report)).not.toContain('core.platform-declared');
  });

  it('is not an explanation for building your own', () => {
    // Stripe in yarn.lock: declaring GOV.UK Pay elsewhere does not explain it.
    const report = judge(CLAIM, (y) =>
      y.replace(
        'notifications: govuk-notify',
        'notifications: govuk-notify\n  payments: {id: govuk-pay, integrated_in: dwp/payments}',
      ),
    );
    const own = findingsOf(report, 'core.own-build-explained');
    expect(own.map((f) => f.message)).toEqual([expect.stringContaining('stripe')]);
    expect(own[0]!.also?.map((a) => a.rule)).toEqual(['tcop.8.reuse-platforms']);
    // An {own: reason} still is.
    const explained = judge(CLAIM, (y) =>
      y.replace(
        'notifications: govuk-notify',
        'notifications: govuk-notify\n  payments: {own: Carers are paid by the DWP payment system, not by card}',
      ),
    );
    expect(rulesFailing(explained)).not.toContain('core.own-build-explained');
  });

  it('an assured form platform declared elsewhere still needs no assessment', () => {
    const form = (forms: string) =>
      `name: Apply for a fishing event\nkind: form\nphase: live\nplatforms: {forms: ${forms}}\n`;
    expect(rulesFailing(evaluateYaml(form('govuk-forms')))).not.toContain(
      'core.entry-assessment-recorded',
    );
    const elsewhereForm = evaluateYaml(
      form('{id: govuk-forms, integrated_in: defra/fishing-forms}'),
    );
    expect(rulesFailing(elsewhereForm)).not.toContain('core.entry-assessment-recorded');
    expect(rulesFailing(evaluateYaml(form('none')))).toContain('core.entry-assessment-recorded');
  });
});

describe('fix texts name only what is missing', () => {
  it('the Service Standard suggests the shared platform of the category it asks about', () => {
    const report = evaluateYaml(
      'name: X\nowner: {organisation: Y}\nphase: private-beta\ntransactional: true\n',
    );
    const fixes = Object.fromEntries(
      findingsOf(report, 'gds.13.shared-platforms').map((f) => [
        f.message.match(/handles (\w+)\./)![1],
        f.fix,
      ]),
    );
    expect(Object.keys(fixes).sort()).toEqual(['identity', 'notifications', 'payments']);
    const others = {
      identity: 'govuk-one-login',
      payments: 'govuk-pay',
      notifications: 'govuk-notify',
    };
    for (const [category, id] of Object.entries(others)) {
      expect(fixes[category]).toContain(`set ${category} to the shared platform, ${id};`);
      for (const other of Object.values(others).filter((o) => o !== id))
        expect(fixes[category]).not.toContain(other);
    }
    // The claim-support example declares identity and notifications: only payments is asked.
    const [payments] = findingsOf(judge(CLAIM), 'gds.13.shared-platforms');
    expect(payments!.fix).toBe(
      'Under platforms:, set payments to the shared platform, govuk-pay; to none if the service has no such need; or to {own: <why the shared platform does not fit>}.',
    );
  });

  it('the TCoP security findings name the one file that is missing', () => {
    // The childminder service has Dependabot and SECURITY.md; take each away in turn.
    const noSecurity = judge('private-beta-childminder-register', undefined, ['SECURITY.md']);
    const security = noSecurity.findings.filter((f) => /security|dependab/i.test(f.fix));
    expect(security.map((f) => f.rule)).toEqual(['gds.9.security-policy']);
    expect(security[0]!.fix).not.toMatch(/dependabot/i);

    const noDependabot = judge('private-beta-childminder-register', undefined, [
      '.github/dependabot.yml',
    ]);
    const updates = noDependabot.findings.filter((f) => /security|dependab/i.test(f.fix));
    expect(updates.map((f) => [f.rule, f.fix])).toEqual([
      [
        'gds.9.dependency-updates',
        'Add .github/dependabot.yml (or a Renovate config) so security fixes arrive as pull requests.',
      ],
    ]);
    expect(updates[0]!.fix).not.toContain('SECURITY.md');
  });

  it('the TCoP says what licence is missing when the code is public', () => {
    const yaml = (source: string) =>
      `name: X\nowner: {organisation: Y}\nphase: private-beta\nsource: ${source}\nstandards: [uk-technology-code-of-practice]\n`;
    const [closed] = findingsOf(evaluateYaml(yaml('{public: false}')), 'tcop.3.open-source');
    expect(closed!.fix).toMatch(/^Publish the code with an open licence/);
    const [unlicensed] = findingsOf(evaluateYaml(yaml('{public: true}')), 'tcop.3.open-source');
    expect(unlicensed!.message).toBe(
      'The code is public, but neither service.yml nor a LICENCE file names its licence.',
    );
    expect(unlicensed!.fix).toMatch(/^Add a LICENCE file/);
  });

  it('the US playbook asks for what is missing: CI or tests, privacy or disclosure, licence or publishing', () => {
    const us = (extra: string) =>
      `name: X\nowner: {organisation: Y, contact: x@example.gov}\nphase: live\nstandards: [us-digital-services-playbook]\n${extra}`;
    const fixOf = (report: Report, rule: string) => findingsOf(report, rule)[0]?.fix;
    const messageOf = (report: Report, rule: string) => findingsOf(report, rule)[0]?.message;

    const testsOnly = evaluateYaml(us(''), { paths: ['test/app.test.js'] });
    expect(fixOf(testsOnly, 'play.10.automated-tests')).toBe(
      'Run the tests in CI on every change, e.g. in .github/workflows/ci.yml.',
    );
    const nothing = evaluateYaml(us(''));
    expect(fixOf(nothing, 'play.10.automated-tests')).toBe(
      'Add automated tests and run them in CI on every change.',
    );

    expect(messageOf(nothing, 'play.11.security')).toBe(
      'The repository lacks a vulnerability disclosure policy (SECURITY.md) and a privacy notice.',
    );
    expect(fixOf(nothing, 'play.11.security')).toBe(
      'Publish a vulnerability disclosure policy and a privacy policy.',
    );
    const withPolicy = evaluateYaml(us(''), { paths: ['SECURITY.md'] });
    expect(messageOf(withPolicy, 'play.11.security')).toBe(
      'The repository lacks a privacy notice.',
    );
    expect(fixOf(withPolicy, 'play.11.security')).toBe('Publish a privacy policy.');

    const publicNoLicence = evaluateYaml(us('source: {public: true}\n'));
    expect(messageOf(publicNoLicence, 'play.13.open')).toBe(
      'The code is public, but the repository has no licence file.',
    );
    const licensedClosed = evaluateYaml(us('source: {public: false}\n'), { paths: ['LICENSE'] });
    expect(fixOf(licensedClosed, 'play.13.open')).toBe(
      'Publish the code and set source: {public: true}.',
    );
  });

  it('counts in messages agree with their number', () => {
    const round = (n: number) =>
      `name: X\nowner: {organisation: Y}\nphase: alpha\nresearch:\n  - {date: 2026-11-01, method: interviews, participants: ${n}}\n`;
    const one = findingsOf(evaluateYaml(round(1)), 'gds.1.research-participants')[0]!;
    expect(one.message).toContain('had 1 participant;');
    const three = findingsOf(evaluateYaml(round(3)), 'gds.1.research-participants')[0]!;
    expect(three.message).toContain('had 3 participants;');
  });
});

describe('one gap, one finding, counted under every point it affects', () => {
  it('no SECURITY.md: one finding for Service Standard 9 and TCoP 6', () => {
    const report = judge('live-renew-passport', undefined, ['SECURITY.md']);
    const shown = report.findings.filter((f) => /SECURITY\.md/.test(f.message + f.fix));
    expect(shown.map((f) => f.rule)).toEqual(['gds.9.security-policy']);
    expect(shown[0]!.also?.map((a) => [a.rule, a.standard, a.point])).toEqual([
      ['tcop.6.vulnerability-reporting', 'uk-technology-code-of-practice', 6],
    ]);
    expect(point(report, 'gds-service-standard', 9)).toMatchObject({ warnings: 1 });
    expect(point(report, 'uk-technology-code-of-practice', 6)).toMatchObject({ warnings: 1 });
  });

  it('neither file: one finding per missing file, each naming both points', () => {
    const report = judge(CLAIM);
    const security = report.findings.filter((f) =>
      ['gds.9.security-policy', 'gds.9.dependency-updates'].includes(f.rule),
    );
    expect(security.map((f) => [f.rule, f.also?.map((a) => a.rule)])).toEqual([
      ['gds.9.security-policy', ['tcop.6.vulnerability-reporting']],
      ['gds.9.dependency-updates', ['tcop.6.secure']],
    ]);
    expect(rulesFailing(report).filter((r) => r.startsWith('tcop.6'))).toEqual([]);
    expect(point(report, 'uk-technology-code-of-practice', 6)).toMatchObject({ warnings: 2 });
  });

  it('a service judged by the TCoP alone still gets its own finding', () => {
    const report = judge(
      'live-renew-passport',
      (y) => y.replace(/^standards: .*$/m, 'standards: [uk-technology-code-of-practice]'),
      ['SECURITY.md'],
    );
    const [own] = findingsOf(report, 'tcop.6.vulnerability-reporting');
    expect(own!.fix).toBe('Add SECURITY.md saying how to report a vulnerability.');
    expect(findingsOf(report, 'tcop.6.secure')).toEqual([]);
  });
});
