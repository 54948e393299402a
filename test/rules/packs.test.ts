import { describe, expect, it } from 'vitest';
import { compilePack, type Pack, sameAsProblems } from '../../src/core/rules/pack.js';
import { parseManifest } from '../../src/core/manifest/load.js';
import { NO_EVIDENCE } from '../../src/core/evidence/detect.js';
import { prepare } from '../../src/run/judge.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPacks, bundledRulesDir } from '../../src/run/bundled-packs.js';
import { evaluateYaml, rulesFailing } from '../helpers/evaluate.js';

describe('bundled rule packs', () => {
  it('all compile, with unique rule ids and guidance links', () => {
    const packs = bundledPacks();
    expect(packs.map((p) => p.id).sort()).toEqual([
      'accessibility',
      'gds-service-standard',
      'service-gate-core',
      'uk-spend-control',
      'uk-technology-code-of-practice',
      'us-21st-century-idea',
      'us-digital-services-playbook',
    ]);
    const ids = packs.flatMap((p) => p.rules.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every expression and {{ }} placeholder in the bundled packs compiles (they compile lazily at run time)', () => {
    const dir = bundledRulesDir();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      const result = compilePack(readFileSync(join(dir, file), 'utf8'), file);
      expect(result.ok ? [] : result.diagnostics).toEqual([]);
    }
  });

  it('GDS maps all 14 points and the US playbook all 13 plays', () => {
    const byId = new Map(bundledPacks().map((p) => [p.id, p]));
    expect(Object.keys(byId.get('gds-service-standard')!.standard.points)).toEqual(
      Array.from({ length: 14 }, (_, i) => String(i + 1)),
    );
    expect(Object.keys(byId.get('us-digital-services-playbook')!.standard.points)).toHaveLength(13);
  });
});

describe('compilePack', () => {
  const pack = (rule: string) =>
    `pack: custom\ntitle: Custom\njurisdiction: uk\nstandard: {id: custom, title: Custom, url: "https://example.gov.uk"}\nrules:\n${rule}`;
  const rule = (require: string, extra = '') =>
    `  - id: custom.one\n    title: One\n    point: 1\n    phases: [alpha]\n    severity: warning\n    require: "${require}"\n    message: m\n    guidance: https://example.gov.uk\n    fix: f\n${extra}`;

  it('reports a CEL syntax error with the file and the line of the expression', () => {
    const r = compilePack(pack(rule('service.phase ==')), 'rules/custom.yml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({
      file: 'rules/custom.yml',
      line: 11,
      code: 'pack/bad-cel',
    });
  });

  it('reports a misspelt rule key with did-you-mean', () => {
    const r = compilePack(pack(rule('true', '    severty: failure\n')), 'rules/custom.yml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ line: 15, hint: "Did you mean 'severity'?" });
  });

  it('rejects duplicate rule ids', () => {
    const r = compilePack(pack(rule('true') + rule('true')), 'rules/custom.yml');
    expect(r.ok || r.diagnostics.map((d) => d.code)).toEqual(['pack/duplicate-rule']);
  });
});

describe('pack selection and policy values', () => {
  const live = `name: X\nowner: {organisation: Y}\nphase: live\n`;

  it('defaults to the UK packs, and never judges a US service by them', () => {
    const uk = evaluateYaml(live);
    expect(uk.packs.map((p) => p.id)).toEqual([
      'service-gate-core',
      'gds-service-standard',
      'uk-spend-control',
      'uk-technology-code-of-practice',
      'accessibility',
    ]);
    const us = evaluateYaml(`${live}standards: [us-digital-services-playbook]\n`, {
      policy: { packs: { add: ['uk-spend-control', 'accessibility'] } },
    });
    expect(us.packs.map((p) => p.id)).toEqual([
      'service-gate-core',
      'us-digital-services-playbook',
      'accessibility',
    ]);
    expect(rulesFailing(us).some((r) => r.startsWith('gds.') || r.startsWith('spend.'))).toBe(
      false,
    );
    expect(us.packsSkipped).toEqual([
      { id: 'uk-spend-control', reason: 'the service follows us packs, not uk' },
    ]);
  });

  it('reports an unknown pack name in standards with did-you-mean', () => {
    const r = evaluateYaml(`${live}standards: [gds-servce-standard]\n`);
    expect(r.findings[0]).toMatchObject({
      rule: 'manifest/unknown-pack',
      line: 4,
      fix: "Did you mean 'gds-service-standard'?",
    });
  });

  it('reads thresholds from policy, not from rules', () => {
    const yaml = `name: X\nphase: alpha\nresearch:\n  - {date: 2026-08-01, method: interviews, participants: 6}\n`;
    expect(rulesFailing(evaluateYaml(yaml))).not.toContain('gds.1.research-recent');
    expect(
      rulesFailing(
        evaluateYaml(yaml, { policy: { thresholds: { research: { max_age_days: 60 } } } }),
      ),
    ).toContain('gds.1.research-recent');
  });

  it('spend above the threshold without approval fails, per currency and audience', () => {
    const spend = (cost: number, publicFacing: boolean) =>
      `name: X\nphase: alpha\nspend: {currency: GBP, whole_life_cost: ${cost}, public_facing: ${publicFacing}}\n`;
    expect(rulesFailing(evaluateYaml(spend(150_000, true)), 'failure')).toContain(
      'spend.2.approved',
    );
    expect(rulesFailing(evaluateYaml(spend(150_000, false)), 'failure')).not.toContain(
      'spend.2.approved',
    );
    expect(
      rulesFailing(
        evaluateYaml(spend(150_000, true), {
          policy: { thresholds: { spend: { public_facing: { GBP: 200_000 } } } },
        }),
        'failure',
      ),
    ).not.toContain('spend.2.approved');
  });
});

describe('waivers', () => {
  const yaml = `name: X\nowner: {organisation: Y}\nphase: alpha\nresearch: []\n`;
  const waiver = (expires: string) => ({
    waivers: [
      {
        rule: 'gds.1.research-recorded',
        repos: ['org/*'],
        reason: 'Research ran under another service',
        approved_by: 'cddo-assurance',
        expires,
      },
    ],
  });

  it('a current waiver marks the finding waived, with reason and expiry', () => {
    const r = evaluateYaml(yaml, { policy: waiver('2027-06-01'), repository: 'org/app' });
    const f = r.findings.find((x) => x.rule === 'gds.1.research-recorded')!;
    expect(f.waived).toEqual({
      reason: 'Research ran under another service',
      approved_by: 'cddo-assurance',
      expires: '2027-06-01',
    });
    expect(rulesFailing(r, 'failure')).not.toContain('gds.1.research-recorded');
  });

  it('an expired waiver fails, and one near expiry warns', () => {
    expect(
      rulesFailing(
        evaluateYaml(yaml, { policy: waiver('2026-11-01'), repository: 'org/app' }),
        'failure',
      ),
    ).toEqual(expect.arrayContaining(['gds.1.research-recorded', 'waiver/expired']));
    expect(
      rulesFailing(
        evaluateYaml(yaml, { policy: waiver('2026-12-05'), repository: 'org/app' }),
        'warning',
      ),
    ).toContain('waiver/expiring');
  });

  it('does not apply to repositories outside its globs', () => {
    expect(
      rulesFailing(
        evaluateYaml(yaml, { policy: waiver('2027-06-01'), repository: 'other/app' }),
        'failure',
      ),
    ).toContain('gds.1.research-recorded');
  });
});

describe('evidence findings', () => {
  it('reports an undeclared platform once, naming every file that shows it', () => {
    const files = {
      '.env.example': 'NOTIFY_API_KEY=changeme\n',
      'package.json': JSON.stringify({ dependencies: { 'notifications-node-client': '^8.2.0' } }),
      'requirements.txt': 'notifications-python-client==10.0.0\n',
    };
    const report = evaluateYaml(`name: X\nowner: {organisation: Y}\nphase: alpha\n`, { files });
    const declared = report.findings.filter((f) => f.rule === 'core.platform-declared');
    expect(declared).toHaveLength(1);
    expect(declared[0]!.message).toContain('govuk-notify');
    for (const file of Object.keys(files)) expect(declared[0]!.message).toContain(file);
    expect(report.evidence.platforms.length).toBeGreaterThan(1);

    const withDeclaration = evaluateYaml(
      `name: X\nowner: {organisation: Y}\nphase: alpha\nplatforms: {notifications: govuk-notify}\n`,
      { files },
    );
    expect(rulesFailing(withDeclaration)).not.toContain('core.platform-declared');
    expect(rulesFailing(withDeclaration)).not.toContain('core.platform-found');
  });
});

describe('same_as', () => {
  it('names a rule that exists in the bundled packs, in the same jurisdiction', () => {
    const rules = bundledPacks().flatMap((p) => p.rules);
    const byId = new Map(rules.map((r) => [r.id, r]));
    const joining = rules.filter((r) => r.sameAs);
    expect(joining.length).toBeGreaterThan(0);
    for (const r of joining) {
      const target = byId.get(r.sameAs!);
      expect(target, `${r.id} same_as ${r.sameAs}`).toBeDefined();
      expect([r.jurisdiction, 'any']).toContain(target!.jurisdiction);
    }
    expect(sameAsProblems(bundledPacks())).toEqual([]);
  });

  const custom = (sameAs: string): Pack => {
    const r = compilePack(
      `pack: dept\ntitle: Dept\njurisdiction: uk\nstandard: {id: dept, title: Dept, url: "https://example.gov.uk"}\nrules:\n  - id: dept.1.security\n    title: Security\n    point: 1\n    phases: [alpha]\n    severity: warning\n    same_as: ${sameAs}\n    require: repo.practices.security_policy\n    message: m\n    guidance: https://example.gov.uk\n    fix: f\n`,
      'rules/dept.yml',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return r.pack;
  };

  it('is checked when packs load: a rule no pack has is a policy problem, with did-you-mean', () => {
    expect(sameAsProblems([...bundledPacks(), custom('gds.9.security-policy')])).toEqual([]);
    const [problem] = sameAsProblems([...bundledPacks(), custom('gds.9.security-polcy')]);
    expect(problem).toMatchObject({
      file: 'rules/dept.yml',
      line: 6,
      code: 'pack/unknown-same-as',
      hint: "Did you mean 'gds.9.security-policy'?",
    });
    expect(sameAsProblems([custom('dept.1.security')])[0]!.message).toContain('names itself');

    // Through the judge every shell uses: a finding, so the mistake cannot go unseen.
    const judge = prepare(
      { customPacks: [custom('gds.9.security-polcy')], diagnostics: [] },
      { now: '2026-11-27' },
    );
    const report = judge.evaluate({
      manifest: parseManifest('name: X\nphase: alpha\n'),
      evidence: NO_EVIDENCE,
    });
    expect(report.findings.map((f) => f.rule)).toContain('policy/unknown-same-as');
  });
});
