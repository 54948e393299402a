import { describe, expect, it } from 'vitest';
import { effectivePolicy } from '../../../src/core/policy/effective.js';
import { parsePolicy } from '../../../src/core/policy/load.js';
import { explainPolicy, mergePolicies } from '../../../src/core/policy/merge.js';

const layer = (file: string, text: string, central: boolean) => {
  const r = parsePolicy(text, file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.layer(central);
};

const CENTRAL = `locks:
  - thresholds.research.max_age_days
  - thresholds.design_system_floors
  - severity
  - packs.force
  - approvers
thresholds:
  research: {max_age_days: 180}
  design_system_floors: {govuk-frontend: 5}
severity:
  gds.1.research-recorded: failure
packs:
  force: [accessibility]
approvers: {team: cddo/assessors}
waivers:
  - {rule: gds.12.code-open, repos: [hmpo/*], reason: Fraud rules stay closed, approved_by: cddo, expires: 2027-03-31}
`;

describe('mergePolicies', () => {
  it('lets a repository tighten a locked setting', () => {
    const m = mergePolicies([
      layer('org/.github:.github/service-gate.yml', CENTRAL, true),
      layer(
        '.github/service-gate.yml',
        'thresholds:\n  research: {max_age_days: 90}\n  design_system_floors: {govuk-frontend: 6}\nseverity:\n  gds.6.team-declared: failure\n',
        false,
      ),
    ]);
    expect(m.diagnostics).toEqual([]);
    expect(m.policy.thresholds?.research?.max_age_days).toBe(90);
    expect(m.policy.thresholds?.design_system_floors?.['govuk-frontend']).toBe(6);
  });

  it('reports an attempt to loosen a locked setting with its line, and keeps the locked value', () => {
    const repo =
      'thresholds:\n  research: {max_age_days: 365}\nseverity:\n  gds.1.research-recorded: notice\npacks:\n  force: []\napprovers: {team: hmpo/friends}\n';
    const m = mergePolicies([
      layer('org/.github:.github/service-gate.yml', CENTRAL, true),
      layer('.github/service-gate.yml', repo, false),
    ]);
    expect(m.policy.thresholds?.research?.max_age_days).toBe(180);
    expect(m.policy.severity?.['gds.1.research-recorded']).toBe('failure');
    expect(m.policy.packs?.force).toEqual(['accessibility']);
    expect(m.policy.approvers).toEqual({ team: 'cddo/assessors' });
    expect(m.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['policy/locked-setting', 2],
      ['policy/locked-setting', 4],
      ['policy/locked-setting', 7],
    ]);
    expect(m.diagnostics[0]!.message).toContain(
      'locked at 180 by org/.github:.github/service-gate.yml',
    );
  });

  it('accumulates added and forced packs: a repository cannot remove central ones', () => {
    const m = mergePolicies([
      layer('c', 'packs: {add: [uk-spend-control]}\n', true),
      layer('r', 'packs: {add: [dept-extras]}\n', false),
    ]);
    expect(m.policy.packs?.add).toEqual(['uk-spend-control', 'dept-extras']);
  });

  it('accepts waivers only from central files', () => {
    const m = mergePolicies([
      layer('c', CENTRAL, true),
      layer(
        'r',
        'waivers:\n  - {rule: a11y.2.statement, repos: ["*"], reason: We will do it later, approved_by: me, expires: 2027-01-01}\n',
        false,
      ),
    ]);
    expect(m.policy.waivers?.map((w) => w.rule)).toEqual(['gds.12.code-open']);
    expect(m.diagnostics[0]).toMatchObject({
      code: 'policy/waiver-not-central',
      file: 'r',
      line: 1,
    });
  });

  it('rejects a waiver with no expiry when parsing', () => {
    const r = parsePolicy(
      'waivers:\n  - {rule: x, repos: ["*"], reason: because it is so, approved_by: me}\n',
      'c',
    );
    expect(r.ok).toBe(false);
  });

  it('explains which file set every effective setting', () => {
    const m = mergePolicies([
      layer('org/.github:.github/service-gate.yml', CENTRAL, true),
      layer('.github/service-gate.yml', 'thresholds:\n  research: {max_age_days: 60}\n', false),
    ]);
    const rows = new Map(explainPolicy(m).map((r) => [r.setting, r]));
    expect(rows.get('thresholds.research.max_age_days')).toEqual({
      setting: 'thresholds.research.max_age_days',
      value: 60,
      source: '.github/service-gate.yml:2',
      locked: true,
    });
    expect(rows.get('thresholds.accessibility.audit_max_age_days')).toMatchObject({
      value: 365,
      source: 'default',
    });
    expect(rows.get('approvers.team')).toMatchObject({
      value: 'cddo/assessors',
      source: 'org/.github:.github/service-gate.yml:14',
      locked: true,
    });
  });
});

describe('policy targets', () => {
  it('adds packs by repository glob, topic or custom property', () => {
    const policy = {
      packs: {
        targets: [
          { repos: ['hmpo/*'], add: ['dept-extras'] },
          { topics: ['nhs'], add: ['nhs-pack'] },
          { properties: { jurisdiction: 'us' }, add: ['us-digital-services-playbook'] },
        ],
      },
    };
    expect(
      effectivePolicy(policy, { fullName: 'hmpo/passport', topics: ['nhs'] }).packs.add,
    ).toEqual(['dept-extras', 'nhs-pack']);
    expect(
      effectivePolicy(policy, { fullName: 'dwp/x', properties: { jurisdiction: 'us' } }).packs.add,
    ).toEqual(['us-digital-services-playbook']);
    expect(effectivePolicy(policy, { fullName: 'dwp/x' }).packs.add).toEqual([]);
  });
});
