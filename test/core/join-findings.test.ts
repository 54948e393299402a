import { describe, expect, it } from 'vitest';
import { joinSameGaps } from '../../src/core/join-findings.js';
import { annotationMessage } from '../../src/core/render/labels.js';
import type { Finding } from '../../src/core/report.js';
import { evaluateYaml, rulesFailing } from '../helpers/evaluate.js';

function finding(rule: string, over: Partial<Finding> = {}): Finding {
  const [standard, point] = rule.startsWith('tcop')
    ? ['uk-technology-code-of-practice', 3]
    : ['gds-service-standard', 12];
  return {
    rule,
    title: rule,
    level: 'warning',
    standard,
    point,
    message: `${rule} message`,
    fix: '',
    guidance: 'https://example.gov.uk',
    file: 'service.yml',
    line: 1,
    column: 1,
    gate: false,
    ...over,
  } as Finding;
}

const SAME = new Map([['tcop.3', 'gds.12']]);

describe('joinSameGaps', () => {
  it('folds a finding into the one it names, keeping its standard point', () => {
    const joined = joinSameGaps([finding('gds.12'), finding('tcop.3')], SAME);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({
      rule: 'gds.12',
      also: [
        { rule: 'tcop.3', standard: 'uk-technology-code-of-practice', point: 3, level: 'warning' },
      ],
    });
  });

  it('says in annotations which other points a finding stands for', () => {
    const [joined] = joinSameGaps(
      [finding('gds.12', { fix: 'Publish it.' }), finding('tcop.3')],
      SAME,
    );
    expect(annotationMessage(joined!, '\n')).toBe(
      'gds.12 message\nFix: Publish it.\nAlso: uk-technology-code-of-practice 3 (tcop.3)',
    );
  });

  it('keeps a finding whose partner did not fire', () => {
    expect(joinSameGaps([finding('tcop.3')], SAME).map((f) => f.rule)).toEqual(['tcop.3']);
  });

  it('never hides a more severe finding under a milder one', () => {
    const joined = joinSameGaps([finding('gds.12'), finding('tcop.3', { level: 'failure' })], SAME);
    expect(joined.map((f) => f.rule)).toEqual(['gds.12', 'tcop.3']);
    const milder = joinSameGaps([finding('gds.12', { level: 'failure' }), finding('tcop.3')], SAME);
    expect(milder.map((f) => [f.rule, f.level, f.also?.[0]?.level])).toEqual([
      ['gds.12', 'failure', 'warning'],
    ]);
  });

  it('does not join a waived finding with one that is not', () => {
    const waived = { reason: 'r', approved_by: 'a', expires: '2027-01-01' };
    const joined = joinSameGaps([finding('gds.12', { waived }), finding('tcop.3')], SAME);
    expect(joined.map((f) => f.rule)).toEqual(['gds.12', 'tcop.3']);
  });

  it('pairs findings of for_each rules in order, one to one', () => {
    const joined = joinSameGaps(
      [
        finding('gds.12', { message: 'a' }),
        finding('gds.12', { message: 'b' }),
        finding('tcop.3', { message: 'a' }),
        finding('tcop.3', { message: 'b' }),
        finding('tcop.3', { message: 'c' }),
      ],
      SAME,
    );
    expect(joined.map((f) => [f.rule, f.message, f.also?.length ?? 0])).toEqual([
      ['gds.12', 'a', 1],
      ['gds.12', 'b', 1],
      ['tcop.3', 'c', 0],
    ]);
  });
});

describe('overlapping UK standards', () => {
  it('show one finding for closed code, and both standards still count it', () => {
    const report = evaluateYaml(
      `name: X\nowner: {organisation: Y}\nphase: private-beta\nsource: {public: false}\n`,
    );
    expect(rulesFailing(report)).toContain('gds.12.code-open');
    expect(rulesFailing(report)).not.toContain('tcop.3.open-source');
    const open = report.findings.find((f) => f.rule === 'gds.12.code-open')!;
    expect(open.also?.map((a) => a.rule)).toEqual(['tcop.3.open-source']);
    const tcop3 = report.points.find(
      (p) => p.standard === 'uk-technology-code-of-practice' && p.point === 3,
    );
    expect(tcop3).toMatchObject({ warnings: 1 });
  });

  it('report the TCoP finding alone when the service follows only the TCoP', () => {
    const report = evaluateYaml(
      `name: X\nowner: {organisation: Y}\nphase: private-beta\nsource: {public: false}\nstandards: [uk-technology-code-of-practice]\n`,
    );
    expect(rulesFailing(report)).toContain('tcop.3.open-source');
    expect(rulesFailing(report)).not.toContain('gds.12.code-open');
  });
});
