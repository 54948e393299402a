import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/evaluate.js';
import { capPerRule } from '../../../src/core/evaluation/findings-cap.js';
import { detectEvidence } from '../../../src/core/evidence/detect.js';
import { FINDINGS_PER_RULE } from '../../../src/core/limits.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { effectivePolicy } from '../../../src/core/policy/effective.js';
import type { Finding } from '../../../src/core/report.js';
import { compileCel } from '../../../src/core/rules/cel.js';
import { compilePack, indexPacks } from '../../../src/core/rules/pack.js';
import { policyView } from '../../../src/core/evaluate.js';
import { bundledPacks } from '../../../src/run/bundled-packs.js';

/** Bounds on one evaluation: findings per rule, time, and string sizes inside CEL. */

const MANIFEST = `name: Renew your passport
description: Apply for or renew a British passport online.
owner: {organisation: HM Passport Office, team: Passports, contact: passports@example.gov.uk}
phase: alpha
`;

function customRule(fields: string): string {
  return `pack: custom\ntitle: Custom\njurisdiction: any\nstandard: {id: custom, title: Custom, url: "https://example.gov.uk"}\nrules:\n  - id: custom.one\n    title: One\n    point: 1\n    phases: [alpha]\n    severity: failure\n    message: 'item {{ item }}'\n    guidance: https://example.gov.uk\n    fix: f\n${fields}`;
}

function judgeWith(rule: string, options: { clock?: () => number; ms?: number } = {}) {
  const compiled = compilePack(customRule(rule), 'custom.yml');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const manifest = parseManifest(MANIFEST);
  const policy = effectivePolicy({ packs: { add: ['custom'] } } as never);
  return evaluate({
    manifest,
    evidence: detectEvidence({ paths: [], files: new Map() }),
    policy,
    policyView: policyView(policy),
    packs: indexPacks([...bundledPacks(), compiled.pack]),
    now: '2026-11-27',
    timeBudget: { ms: options.ms, clock: options.clock },
  } as Parameters<typeof evaluate>[0]);
}

const ofRule = (findings: readonly Finding[], rule: string) =>
  findings.filter((f) => f.rule === rule);

describe('findings per rule', () => {
  it(`lists ${FINDINGS_PER_RULE} findings of a for_each rule and counts the rest in one`, () => {
    const items = Array.from({ length: 180 }, (_, i) => i).join(', ');
    const report = judgeWith(`    for_each: '[${items}]'\n    require: 'false'\n`);
    const findings = ofRule(report.findings, 'custom.one');
    expect(findings).toHaveLength(FINDINGS_PER_RULE + 1);
    expect(findings.at(-1)!.message).toContain(`and ${180 - FINDINGS_PER_RULE} more like this`);
    expect(findings.at(-1)!.level).toBe('failure');
    expect(report.conclusion).toBe('failure');
  });

  it('caps repeated diagnostics too (300 unknown keys are not 300 findings)', () => {
    const manifest = parseManifest(
      `${MANIFEST}${Array.from({ length: 300 }, (_, i) => `unknown_${i}: 1`).join('\n')}\n`,
    );
    expect(manifest.ok).toBe(false);
    const report = evaluate({
      manifest,
      policy: effectivePolicy(undefined),
      packs: indexPacks(bundledPacks()),
      now: '2026-11-27',
    } as Parameters<typeof evaluate>[0]);
    expect(report.findings.length).toBeLessThanOrEqual(FINDINGS_PER_RULE + 1);
    expect(report.findings.at(-1)!.message).toMatch(/more like this/);
    expect(JSON.stringify(report).length).toBeLessThan(100_000);
  });

  it('capPerRule keeps each rule in place, in order', () => {
    const f = (rule: string, i: number) => ({ rule, message: `${rule}${i}` }) as Finding;
    const out = capPerRule([f('a', 1), f('a', 2), f('b', 1), f('a', 3), f('b', 2)], 2);
    expect(out.map((x) => x.message)).toEqual([
      'a1',
      'a2',
      expect.stringContaining('and 1 more'),
      'b1',
      'b2',
    ]);
  });
});

describe('the time budget', () => {
  it('stops evaluation when the budget is spent, with a located failure naming the rule', () => {
    let now = 0;
    // Each look at the clock is a second later: the budget runs out a few rules in.
    const report = judgeWith(`    require: 'true'\n`, { ms: 3_000, clock: () => (now += 1_000) });
    const stop = report.findings.find((f) => f.rule === 'service-gate/time-budget');
    expect(stop).toMatchObject({ level: 'failure', file: 'service.yml', line: 1 });
    expect(stop!.message).toMatch(/Evaluation stopped after 3000 ms, at rule '[^']+' \(.+:\d+\)/);
    expect(stop!.message).toMatch(/\d+ of \d+ rules were not judged/);
    expect(report.conclusion).toBe('failure');
  });

  it('stops inside a long for_each too', () => {
    let now = 0;
    const items = Array.from({ length: 500 }, (_, i) => i).join(', ');
    const report = judgeWith(`    for_each: '[${items}]'\n    require: 'true'\n`, {
      ms: 100_000,
      clock: () => (now += 1_000),
    });
    expect(report.findings.some((f) => f.rule === 'service-gate/time-budget')).toBe(true);
  });

  it('leaves an ordinary evaluation alone', () => {
    const report = judgeWith(`    require: 'true'\n`);
    expect(report.findings.some((f) => f.rule === 'service-gate/time-budget')).toBe(false);
  });
});

describe('string sizes inside CEL', () => {
  const a1000 = 'a'.repeat(1000);

  it('replace keeps the strings extension meaning', () => {
    const run = (e: string) => compileCel(e)({});
    expect(run("'banana'.replace('a', 'o')")).toBe('bonono');
    expect(run("'banana'.replace('a', 'o', 2)")).toBe('bonona');
    expect(run("'banana'.replace('na', '')")).toBe('ba');
    expect(run("'aaa'.replace('a', 'aa')")).toBe('aaaaaa');
    expect(run("'abc'.replace('x', 'y')")).toBe('abc');
  });

  it('a replace that would build a string past the limit fails the rule, not warns', () => {
    const report = judgeWith(`    require: "'${a1000}'.replace('a', '${a1000}').size() > 0"\n`);
    const [finding] = ofRule(report.findings, 'custom.one');
    expect(finding).toMatchObject({ level: 'failure' });
    expect(finding!.message).toMatch(/stopped: replace would make a string of 1000000 characters/);
    expect(report.conclusion).toBe('failure');
  });
});
