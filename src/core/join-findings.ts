import { severityRank } from './levels.js';
import type { Finding } from './report.js';

/**
 * One gap, one finding. Standards overlap (the Technology Code of Practice and the Service
 * Standard both ask for open code, a privacy notice, user research), and a rule that declares
 * `same_as: <rule>` joins that rule's finding instead of repeating it: the finding lists every
 * standard point it stands for, so point summaries stay complete while the PR shows it once.
 *
 * Findings pair in order (the first of each rule together, and so on), and only when the target
 * is at least as severe and both are waived or neither is, so joining never hides anything.
 */
export function joinSameGaps(
  findings: readonly Finding[],
  sameAs: ReadonlyMap<string, string>,
): Finding[] {
  if (sameAs.size === 0) return [...findings];
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);

  const joinedInto = new Map<Finding, Finding>();
  const taken = new Set<Finding>();
  for (const [rule, target] of sameAs) {
    const targets = byRule.get(target) ?? [];
    for (const f of byRule.get(rule) ?? []) {
      const into = targets.find(
        (t) =>
          !taken.has(t) &&
          severityRank(t.level) >= severityRank(f.level) &&
          Boolean(t.waived) === Boolean(f.waived),
      );
      if (!into) continue;
      taken.add(into);
      joinedInto.set(f, into);
    }
  }

  const also = new Map<Finding, NonNullable<Finding['also']>>();
  for (const [f, into] of joinedInto) {
    also.set(into, [
      ...(also.get(into) ?? []),
      ...[f, ...(f.also ?? [])].map((x) => ({
        rule: x.rule,
        standard: x.standard,
        point: x.point,
        title: x.title,
        level: x.level,
      })),
    ]);
  }
  return findings
    .filter((f) => !joinedInto.has(f))
    .map((f) => (also.has(f) ? { ...f, also: [...(f.also ?? []), ...also.get(f)!] } : f));
}
