import { describe, expect, it } from 'vitest';
import { effectivePolicy } from '../../../src/core/policy/effective.js';
import { parsePolicy } from '../../../src/core/policy/load.js';
import { explainPolicy, mergePolicies } from '../../../src/core/policy/merge.js';
import { MODEL_LEAVES } from '../../../src/core/policy/model.js';
import { prepare } from '../../../src/run/judge.js';

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

  it('gives each of many repositories its own targets from one merge, as an audit judges them', () => {
    const policy = {
      packs: { add: ['extra', 'extra'], targets: [{ repos: ['HMPO/*'], add: ['dept-extras'] }] },
    };
    const judge = prepare(
      { policy, customPacks: [], diagnostics: [] },
      {
        now: '2026-11-27',
        addPacks: ['from-action'],
      },
    );
    const adds = ['hmpo/passport', 'dwp/x', 'hmpo/visa', 'dwp/y'].map(
      (fullName) => judge.policyFor({ fullName }).packs.add,
    );
    expect(adds).toEqual([
      ['extra', 'dept-extras', 'from-action'],
      ['extra', 'from-action'],
      ['extra', 'dept-extras', 'from-action'],
      ['extra', 'from-action'],
    ]);
    // Untargeted repositories share the policy converted once, equal to one converted alone.
    expect(judge.policyFor({ fullName: 'dwp/x' })).toBe(judge.policyFor({ fullName: 'dwp/y' }));
    expect(judge.policyFor({ fullName: 'dwp/x' })).toEqual({
      ...effectivePolicy(policy, { fullName: 'dwp/x' }),
      packs: { ...effectivePolicy(policy).packs, add: ['extra', 'from-action'] },
    });
  });
});

describe('the policy model', () => {
  it('declares a default for every setting that its own schema accepts', () => {
    for (const { path, node } of MODEL_LEAVES) {
      const value = node.default;
      if (value === undefined) continue;
      const ok =
        node.kind === 'setting'
          ? node.schema.safeParse(value).success
          : Object.entries(value as object).every(
              ([k, v]) => node.key.safeParse(k).success && node.value.safeParse(v).success,
            );
      expect(ok, path.join('.')).toBe(true);
    }
  });

  it('counts every default as at least as strict as itself, so locking a default never fails', () => {
    for (const { path, node } of MODEL_LEAVES) {
      if (node.kind === 'entries')
        for (const v of Object.values(node.default))
          expect(node.tighter.atLeastAsStrict(v, v), path.join('.')).toBe(true);
      else
        expect(node.tighter.atLeastAsStrict(node.default, node.default), path.join('.')).toBe(true);
    }
  });

  it('orders WCAG targets by version and level together', () => {
    const target = MODEL_LEAVES.find(
      (l) => l.path.join('.') === 'thresholds.accessibility.minimum_target',
    )!.node.tighter;
    expect(target.atLeastAsStrict('WCAG 2.2 AA', 'WCAG 2.2 AAA')).toBe(true);
    expect(target.atLeastAsStrict('WCAG 2.1 AA', 'WCAG 2.2 AA')).toBe(true);
    expect(target.atLeastAsStrict('WCAG 2.2 AA', 'WCAG 2.1 AAA')).toBe(false);
    expect(target.atLeastAsStrict('WCAG 2.2 AA', 'WCAG 2.2 A')).toBe(false);
  });
});

describe('no key in a policy reaches a prototype', () => {
  it.each([
    [
      'a dotted design-system id',
      'thresholds:\n  design_system_floors:\n    x.__proto__.polluted: 1\n',
      3,
    ],
    [
      'constructor.prototype in a key',
      'severity:\n  x.constructor.prototype.polluted: failure\n',
      2,
    ],
    [
      'a plain __proto__ key',
      'thresholds:\n  spend:\n    public_facing:\n      __proto__: {GBP: 1}\n',
      4,
    ],
  ])('rejects %s with its line', (_name, text, line) => {
    const r = parsePolicy(text, 'p.yml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/forbidden-key', file: 'p.yml', line });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores such keys in a policy built in code, and keeps every mapping prototype-free', () => {
    const policy = JSON.parse(
      '{"thresholds":{"design_system_floors":{"__proto__":{"polluted":1},"uswds":4}},"severity":{"constructor":"off"}}',
    );
    const m = mergePolicies([{ file: 'code', policy, central: true }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(m.diagnostics.map((d) => d.code)).toEqual([
      'policy/forbidden-key',
      'policy/forbidden-key',
    ]);
    const floors = m.policy.thresholds!.design_system_floors!;
    expect(Object.getPrototypeOf(floors)).toBeNull();
    expect(floors.uswds).toBe(4);
    const effective = effectivePolicy(m.policy);
    expect(effective.severity['toString']).toBeUndefined();
    expect(effective.thresholds.spend.public_facing['constructor']).toBeUndefined();
  });
});
