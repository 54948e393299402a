import { EVALUATION_TIME_BUDGET_MS } from '../limits.js';
import type { Finding } from '../report.js';
import type { Rule } from '../rules/pack.js';

/**
 * Every evaluation runs under a time budget. Rules are checked between them and between the
 * items of a for_each, so no input makes one evaluation (and the App's event loop) run on; when
 * the budget is spent evaluation stops, and what was not judged fails closed.
 */

export interface TimeBudgetOptions {
  ms?: number;
  /** Milliseconds from any origin; injected by tests. */
  clock?: () => number;
}

export class TimeBudget {
  readonly ms: number;
  private readonly clock: () => number;
  private readonly deadline: number;

  constructor(options: TimeBudgetOptions = {}) {
    this.ms = options.ms ?? EVALUATION_TIME_BUDGET_MS;
    this.clock = options.clock ?? (() => performance.now());
    this.deadline = this.clock() + this.ms;
  }

  spent(): boolean {
    return this.clock() > this.deadline;
  }
}

/** The failure that says where evaluation stopped, placed on service.yml. */
export function outOfTime(
  budget: TimeBudget,
  at: { rule: Rule; file: string; judged: number; total: number },
): Finding {
  return {
    rule: 'service-gate/time-budget',
    title: 'Service Gate judged every rule in time',
    level: 'failure',
    standard: 'service-gate',
    point: 1,
    message: `Evaluation stopped after ${budget.ms} ms, at rule '${at.rule.id}' (${at.rule.file}:${at.rule.line}); ${at.total - at.judged} of ${at.total} rules were not judged, so this fails closed.`,
    fix: 'Shorten the long lists or values in service.yml; if it is of a normal size, report it to the owner of the rule named.',
    guidance: 'https://github.com/service-gate/service-gate#untrusted-input',
    file: at.file,
    line: 1,
    column: 1,
    gate: false,
    key: 'time-budget',
  };
}

/** A rule stopped by a size limit inside CEL: the service cannot be judged by it, so it fails. */
export function celLimitFinding(rule: Rule, file: string, reason: string): Finding {
  return {
    rule: rule.id,
    title: rule.title,
    level: 'failure',
    standard: rule.standard,
    point: rule.point,
    message: `Rule '${rule.id}' stopped: ${reason}. The service is not judged by it, so this fails closed.`,
    fix: 'Shorten the long values in service.yml; if they are of a normal size, report it to the owner of the rule.',
    guidance: rule.guidance,
    file,
    line: 1,
    column: 1,
    gate: rule.gate,
    key: 'cel-limit',
  };
}
