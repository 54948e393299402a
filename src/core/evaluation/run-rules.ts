import type { EffectivePolicy } from '../policy/effective.js';
import type { Finding } from '../report.js';
import { takeCelLimitHit } from '../rules/cel-limits.js';
import type { Pack, Rule } from '../rules/pack.js';
import type { Phase } from '../domain/catalogue.js';
import type { YamlPath } from '../yaml/untrusted-yaml.js';
import type { PointTally } from './points.js';
import { levelFor, runRule, type RuleVars } from './run-rule.js';
import { celLimitFinding, outOfTime, TimeBudget, type TimeBudgetOptions } from './time-budget.js';

export interface RulesRun {
  packs: readonly Pack[];
  phase: Phase;
  policy: EffectivePolicy;
  /** The views rules read: service, repo, policy, base, now. */
  vars: RuleVars;
  file: string;
  locate: (path: YamlPath, o?: { key?: boolean }) => { line: number; column: number };
  /** Counts each rule that applied against its point. */
  points: PointTally;
  timeBudget?: TimeBudgetOptions;
}

/**
 * Every rule of the chosen packs that applies in the service's phase, in pack order, within the
 * evaluation's time budget. A rule that builds a string past the CEL limits fails for the
 * service; running out of time stops with a finding naming the rule reached, and what was
 * judged so far stands.
 */
export function runRules(run: RulesRun): Finding[] {
  const { policy, vars, file, locate, points } = run;
  const findings: Finding[] = [];
  const budget = new TimeBudget(run.timeBudget);
  const applicable: Rule[] = [];
  for (const pack of run.packs) for (const rule of rulesIn(pack, run.phase)) applicable.push(rule);
  for (let judgedSoFar = 0; judgedSoFar < applicable.length; judgedSoFar++) {
    const rule = applicable[judgedSoFar]!;
    const level = levelFor(rule, policy);
    if (level === 'off') continue;
    const ruleFindings = runRule({ rule, level, vars, file, locate, budget });
    const limitHit = takeCelLimitHit();
    if (limitHit) findings.push(celLimitFinding(rule, file, limitHit));
    else if (ruleFindings !== null) {
      points.checked(rule.standard, rule.point);
      for (const f of ruleFindings) findings.push(f);
    }
    if (budget.spent()) {
      findings.push(
        outOfTime(budget, { rule, file, judged: judgedSoFar + 1, total: applicable.length }),
      );
      break;
    }
  }
  return findings;
}

/** A pack's rules that apply in a phase, worked out once per pack (packs do not change). */
const byPhase = new WeakMap<Pack, Map<Phase, readonly Rule[]>>();

function rulesIn(pack: Pack, phase: Phase): readonly Rule[] {
  let phases = byPhase.get(pack);
  if (!phases) byPhase.set(pack, (phases = new Map()));
  let rules = phases.get(phase);
  if (!rules) phases.set(phase, (rules = pack.rules.filter((r) => r.phases.includes(phase))));
  return rules;
}
