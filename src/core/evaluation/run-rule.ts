import type { CelInput } from '@bufbuild/cel';
import type { Level, LevelOrOff } from '../levels.js';
import type { EffectivePolicy } from '../policy/effective.js';
import type { Finding } from '../report.js';
import { celToText, isCelError } from '../rules/cel.js';
import type { Rule, Template } from '../rules/pack.js';
import type { YamlPath } from '../yaml/untrusted-yaml.js';
import { FINDINGS_PER_RULE } from '../limits.js';
import { moreLikeThis } from './findings-cap.js';
import type { TimeBudget } from './time-budget.js';

/** One rule against the views: its findings, placed on the service.yml line they are about. */

export function levelFor(rule: Rule, policy: EffectivePolicy): LevelOrOff {
  return policy.severity[rule.id] ?? rule.severity;
}

/** Runs one rule; null when it does not apply (its `when` is false). */
export interface RuleRun {
  rule: Rule;
  /** The level the policy gives the rule. */
  level: Level;
  /** The views rules read: service, repo, policy, base, now. */
  vars: Record<string, CelInput>;
  /** The service.yml judged, and where a YAML path is in it. */
  file: string;
  locate: (path: YamlPath, o?: { key?: boolean }) => { line: number; column: number };
  /** When it is spent, a for_each stops where it is; the evaluation reports running out. */
  budget?: TimeBudget;
}

export function runRule({ rule, level, vars, file, locate, budget }: RuleRun): Finding[] | null {
  const broken = (what: string, error: unknown): Finding[] => [
    {
      ...findingBase(rule, 'warning', file, locate([])),
      rule: rule.id,
      message: `Rule '${rule.id}' could not be evaluated (${what}): ${(error as Error).message}.`,
      fix: `This is a problem in the rule, not in service.yml: report it to the owner of ${rule.file}:${rule.line}.`,
    },
  ];
  // An expression that fails to compile (possible only in a lazily compiled pack) throws: a rule bug.
  try {
    if (rule.when) {
      const applies = rule.when(vars);
      if (isCelError(applies)) return broken('when', applies);
      if (applies !== true) return null;
    }
    // One finding per scope where `require` is false; an error anywhere is a broken rule.
    const judge = (scope: Record<string, CelInput>, key = '') => {
      const ok = rule.require(scope);
      if (isCelError(ok) || ok === true) return ok;
      const path = parsePath(render(rule.at, scope));
      return {
        ...findingBase(rule, level, file, locate(path, { key: true })),
        message: render(rule.message, scope),
        fix: render(rule.fix, scope),
        key,
      };
    };
    if (!rule.forEach) {
      const result = judge(vars);
      if (isCelError(result)) return broken('require', result);
      return result === true ? [] : [result];
    }
    const list = rule.forEach(vars);
    if (isCelError(list)) return broken('for_each', list);
    const out: Finding[] = [];
    let index = 0;
    let omitted = 0;
    for (const item of list as Iterable<CelInput>) {
      // The evaluation reports running out of time; the findings so far stand.
      if (budget?.spent()) break;
      const scope = { ...vars, item, index: BigInt(index++) };
      if (out.length >= FINDINGS_PER_RULE) {
        // Past the cap, only count: rendering a message per item is the expensive part.
        const ok = rule.require(scope);
        if (isCelError(ok)) return broken('require', ok);
        if (ok !== true) omitted++;
        continue;
      }
      const result = judge(scope, celToText(item).slice(0, 200));
      if (isCelError(result)) return broken('require', result);
      if (result !== true) out.push(result);
    }
    return omitted > 0 ? [...out, moreLikeThis(out.at(-1)!, omitted)] : out;
  } catch (e) {
    return broken('compile', e);
  }
}

function findingBase(
  rule: Rule,
  level: Level,
  file: string,
  at: { line: number; column: number },
): Finding {
  return {
    rule: rule.id,
    title: rule.title,
    level,
    standard: rule.standard,
    point: rule.point,
    message: rule.title,
    fix: '',
    guidance: rule.guidance,
    file,
    line: at.line,
    column: at.column,
    gate: rule.gate,
  };
}

function render(template: Template, scope: Record<string, CelInput>): string {
  return template
    .map((part) => {
      if (typeof part === 'string') return part;
      try {
        const v = part(scope);
        return isCelError(v) ? '?' : celToText(v);
      } catch {
        return '?';
      }
    })
    .join('');
}

/** 'research[0].date' → ['research', 0, 'date'] */
export function parsePath(text: string): YamlPath {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}
