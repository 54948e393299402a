import { describe, expect, it } from 'vitest';
import { evaluateYaml, rulesFailing } from '../helpers/evaluate.js';

const head = (phase: string, assessments = '') => `name: Register a childminder
owner: {organisation: Ofsted}
phase: ${phase}
${assessments ? `assessments:\n${assessments}` : ''}
`;
const alphaGreen = '  - {phase: alpha, date: 2026-06-01, outcome: green}';
const betaMet = '  - {phase: beta, date: 2026-09-01, outcome: met}';
const gateRules = (phase: string, assessments: string, basePhase?: string) => {
  const report = evaluateYaml(head(phase, assessments), basePhase ? { base: head(basePhase) } : {});
  return { report, failing: rulesFailing(report, 'failure').filter((r) => r.startsWith('core.')) };
};

describe('phase transitions', () => {
  it('alpha → private-beta passes with a passed alpha assessment, and needs approval', () => {
    const { report, failing } = gateRules('private-beta', alphaGreen, 'alpha');
    expect(failing).toEqual([]);
    expect(report.transition).toEqual({ from: 'alpha', to: 'private-beta' });
    expect(report.approvals.required.map((g) => g.kind)).toEqual(['phase-transition']);
  });

  it('alpha → private-beta fails without an alpha assessment', () => {
    expect(gateRules('private-beta', '', 'alpha').failing).toContain(
      'core.entry-assessment-recorded',
    );
  });

  it('amber passes while its actions are not overdue, and fails once they are', () => {
    const amber = (due: string) =>
      `  - {phase: alpha, date: 2026-06-01, outcome: amber, actions_due: ${due}}`;
    expect(gateRules('private-beta', amber('2026-12-31'), 'alpha').failing).toEqual([]);
    expect(gateRules('private-beta', amber('2026-10-01'), 'alpha').failing).toEqual([
      'core.amber-actions-cleared',
    ]);
  });

  it('red and not-met block, unless a later assessment passed', () => {
    for (const outcome of ['red', 'not-met']) {
      expect(
        gateRules(
          'private-beta',
          `  - {phase: alpha, date: 2026-06-01, outcome: ${outcome}}`,
          'alpha',
        ).failing,
      ).toEqual(['core.entry-assessment-passed']);
    }
    const reassessed = `  - {phase: alpha, date: 2026-06-01, outcome: red}\n  - {phase: alpha, date: 2026-08-01, outcome: green}`;
    expect(gateRules('private-beta', reassessed, 'alpha').failing).toEqual([]);
  });

  it('private-beta → public-beta needs a passed beta assessment', () => {
    expect(gateRules('public-beta', alphaGreen, 'private-beta').failing).toContain(
      'core.entry-assessment-recorded',
    );
    expect(gateRules('public-beta', `${alphaGreen}\n${betaMet}`, 'private-beta').failing).toEqual(
      [],
    );
  });

  it('public-beta → live needs a passed live assessment', () => {
    expect(gateRules('live', `${alphaGreen}\n${betaMet}`, 'public-beta').failing).toContain(
      'core.entry-assessment-recorded',
    );
    expect(
      gateRules(
        'live',
        `${betaMet}\n  - {phase: live, date: 2026-11-01, outcome: green}`,
        'public-beta',
      ).failing,
    ).toEqual([]);
  });

  it('skipping a phase fails', () => {
    const { failing } = gateRules('public-beta', `${alphaGreen}\n${betaMet}`, 'alpha');
    expect(failing).toEqual(['core.phase-not-skipped']);
  });

  it('moving back is allowed with a notice, and needs no approval', () => {
    const { report } = gateRules('alpha', alphaGreen, 'private-beta');
    expect(rulesFailing(report, 'failure')).not.toContain('core.phase-not-skipped');
    expect(rulesFailing(report, 'notice')).toContain('core.phase-moved-back');
    expect(report.approvals.required).toEqual([]);
  });

  it('retiring from any phase is not a skip', () => {
    expect(gateRules('retired', '', 'alpha').failing).toEqual([]);
  });

  it('without a base, the current phase entry conditions still hold', () => {
    const { report, failing } = gateRules('public-beta', alphaGreen);
    expect(failing).toContain('core.entry-assessment-recorded');
    expect(report.transition).toBeNull();
    expect(report.conclusion).toBe('failure');
  });

  it('an approval from the approvers team turns action_required into success', () => {
    const yaml = `${head('private-beta', alphaGreen)}`;
    const pending = evaluateYaml(yaml, { base: head('alpha') });
    const failures = rulesFailing(pending, 'failure');
    // Only the phase change is at stake here: silence unrelated failing rules of the UK packs.
    const quiet = { severity: Object.fromEntries(failures.map((r) => [r, 'off' as const])) };
    expect(evaluateYaml(yaml, { base: head('alpha'), policy: quiet }).conclusion).toBe(
      'action_required',
    );
    expect(
      evaluateYaml(yaml, { base: head('alpha'), policy: quiet, approvedBy: ['assessor'] })
        .conclusion,
    ).toBe('success');
  });

  it('raising spend past the threshold needs approval', () => {
    const withSpend = (cost: number) =>
      `${head('alpha')}spend: {currency: GBP, whole_life_cost: ${cost}, public_facing: true}\n`;
    const report = evaluateYaml(withSpend(150_000), { base: withSpend(90_000) });
    expect(report.approvals.required.map((g) => g.kind)).toEqual(['spend']);
    expect(evaluateYaml(withSpend(95_000), { base: withSpend(90_000) }).approvals.required).toEqual(
      [],
    );
  });
});
