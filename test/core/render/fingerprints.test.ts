import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { driftFingerprint } from '../../../src/core/render/fingerprint.js';
import { renderSarif } from '../../../src/core/render/sarif.js';
import { evaluateYaml } from '../../helpers/evaluate.js';

const yaml = readFileSync(
  new URL('../../../examples/failing-claim-support/service.yml', import.meta.url),
  'utf8',
);
const on = (now: string) => evaluateYaml(yaml, { now });
const sarif = (now: string, manifestPath?: string) =>
  JSON.parse(renderSarif(on(now), '1.0.0', { manifestPath })) as {
    runs: {
      automationDetails: { id: string };
      tool: { driver: { rules: Record<string, { text?: string; markdown?: string }>[] } };
      results: {
        ruleId: string;
        message: { text: string };
        partialFingerprints: Record<string, string>;
      }[];
    }[];
  };

describe('stable identities', () => {
  it('messages age overnight, but drift and SARIF fingerprints stay the same', () => {
    const today = on('2026-11-27');
    const tomorrow = on('2026-11-28');
    expect(today.findings.map((f) => f.message)).not.toEqual(
      tomorrow.findings.map((f) => f.message),
    );
    expect(driftFingerprint(tomorrow.findings)).toEqual(driftFingerprint(today.findings));
    const prints = (now: string) => sarif(now).runs[0]!.results.map((r) => r.partialFingerprints);
    expect(prints('2026-11-28')).toEqual(prints('2026-11-27'));
  });

  it('gives each finding of a rule its own fingerprint (three missing KPIs are three alerts)', () => {
    const results = sarif('2026-11-27').runs[0]!.results;
    const kpis = results.filter((r) => r.ruleId === 'gds.10.four-kpis');
    expect(kpis.length).toBeGreaterThan(1);
    expect(new Set(kpis.map((r) => r.partialFingerprints.serviceGateFinding)).size).toBe(
      kpis.length,
    );
    const all = results.map((r) => r.partialFingerprints.serviceGateFinding);
    expect(new Set(all).size).toBe(all.length);
  });

  it('a drift fingerprint changes when a finding appears or changes level', () => {
    const report = on('2026-11-27');
    const fewer = report.findings.filter(
      (f) => f.rule !== 'gds.10.four-kpis' || !f.message.includes('completion'),
    );
    expect(driftFingerprint(fewer)).not.toEqual(driftFingerprint(report.findings));
    const escalated = report.findings.map((f) =>
      f.level === 'warning' ? { ...f, level: 'failure' as const } : f,
    );
    expect(driftFingerprint(escalated)).not.toEqual(driftFingerprint(report.findings));
  });
});

describe('SARIF for code scanning', () => {
  it('has one category per service.yml, and a full description and markdown help per rule', () => {
    expect(sarif('2026-11-27', 'services/carers/service.yml').runs[0]!.automationDetails.id).toBe(
      'service-gate/services/carers/service.yml/',
    );
    expect(sarif('2026-11-27').runs[0]!.automationDetails.id).toBe('service-gate/service.yml/');
    for (const rule of sarif('2026-11-27').runs[0]!.tool.driver.rules) {
      expect(rule.fullDescription?.text).toMatch(/\w/);
      expect(rule.help?.markdown).toMatch(/\[Guidance\]\(https:\/\//);
    }
  });
});
