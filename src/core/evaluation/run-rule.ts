import { type CelError, type CelInput, isCelList } from '@bufbuild/cel';
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

/** The views rules read, as CEL values built once per evaluation. */
export type RuleVars = {
  service: CelInput;
  repo: CelInput;
  policy: CelInput;
  base: CelInput;
  now: string;
};

/** A for_each rule's scope: the views, and the item judged with its index. */
type ItemScope = RuleVars & { item: CelInput; index: bigint };

type Scope = RuleVars | ItemScope;

/** Runs one rule; null when it does not apply (its `when` is false). */
export interface RuleRun {
  rule: Rule;
  /** The level the policy gives the rule. */
  level: Level;
  /** The views rules read: service, repo, policy, base, now. */
  vars: RuleVars;
  /** The service.yml judged, and where a YAML path is in it. */
  file: string;
  locate: (path: YamlPath, o?: { key?: boolean }) => { line: number; column: number };
  /** When it is spent, a for_each stops where it is; the evaluation reports running out. */
  budget?: TimeBudget;
}

// Findings are built as whole object literals, in the key order reports print: on Node 20 a
// spread followed by more keys leaves V8's fast path, and cost a third of an evaluation.

export function runRule(run: RuleRun): Finding[] | null {
  const { rule, vars } = run;
  // An expression that fails to compile (possible only in a lazily compiled pack) throws: a rule bug.
  try {
    if (rule.when) {
      const applies = rule.when(vars);
      if (isCelError(applies)) return [broken(run, 'when', applies)];
      if (applies !== true) return null;
    }
    // One finding per scope where `require` is false; an error anywhere is a broken rule.
    if (!rule.forEach) {
      const ok = rule.require(vars);
      if (isCelError(ok)) return [broken(run, 'require', ok)];
      return ok === true ? [] : [finding(run, vars, '')];
    }
    const list = rule.forEach(vars);
    if (isCelError(list)) return [broken(run, 'for_each', list)];
    const out: Finding[] = [];
    let index = 0;
    let omitted = 0;
    let error: CelError | undefined;
    /** Judges one item; false to stop (time is up, or `require` failed to evaluate). */
    const judge = (item: CelInput): boolean => {
      // The evaluation reports running out of time; the findings so far stand.
      if (run.budget?.spent()) return false;
      const scope: ItemScope = {
        service: vars.service,
        repo: vars.repo,
        policy: vars.policy,
        base: vars.base,
        now: vars.now,
        item,
        index: BigInt(index++),
      };
      const ok = rule.require(scope);
      if (isCelError(ok)) {
        error = ok;
        return false;
      }
      if (ok === true) return true;
      // Past the cap, only count: rendering a message per item is the expensive part.
      if (out.length >= FINDINGS_PER_RULE) omitted++;
      else out.push(finding(run, scope, celToText(item).slice(0, 200)));
      return true;
    };
    // A list by index (lists do not change); anything else as JavaScript iterates it.
    if (isCelList(list)) {
      for (let i = 0, n = list.size; i < n; i++) if (!judge(list.get(i)!)) break;
    } else for (const item of list as Iterable<CelInput>) if (!judge(item)) break;
    if (error) return [broken(run, 'require', error)];
    if (omitted > 0) out.push(moreLikeThis(out.at(-1)!, omitted));
    return out;
  } catch (e) {
    return [broken(run, 'compile', e)];
  }
}

/** The finding of a scope where `require` is false. */
function finding({ rule, level, file, locate }: RuleRun, scope: Scope, key: string): Finding {
  const at = locate(parsePath(render(rule.at, scope)), { key: true });
  return {
    rule: rule.id,
    title: rule.title,
    level,
    standard: rule.standard,
    point: rule.point,
    message: render(rule.message, scope),
    fix: render(rule.fix, scope),
    guidance: rule.guidance,
    file,
    line: at.line,
    column: at.column,
    gate: rule.gate,
    key,
  };
}

/** A rule that could not be evaluated: a warning about the rule, not about service.yml. */
function broken({ rule, file, locate }: RuleRun, what: string, error: unknown): Finding {
  const at = locate([]);
  return {
    rule: rule.id,
    title: rule.title,
    level: 'warning',
    standard: rule.standard,
    point: rule.point,
    message: `Rule '${rule.id}' could not be evaluated (${what}): ${(error as Error).message}.`,
    fix: `This is a problem in the rule, not in service.yml: report it to the owner of ${rule.file}:${rule.line}.`,
    guidance: rule.guidance,
    file,
    line: at.line,
    column: at.column,
    gate: rule.gate,
  };
}

function render(template: Template, scope: Scope): string {
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') out += part;
    else {
      try {
        const v = part(scope);
        out += isCelError(v) ? '?' : celToText(v);
      } catch {
        out += '?';
      }
    }
  }
  return out;
}

/** 'research[0].date' → ['research', 0, 'date'] */
export function parsePath(text: string): YamlPath {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}
