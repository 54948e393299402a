import { FINDINGS_PER_RULE } from '../limits.js';
import type { Finding } from '../report.js';

/**
 * A rule lists at most FINDINGS_PER_RULE findings: a service.yml with a few aliases can repeat
 * one gap tens of thousands of times, and 9,000 unknown keys would otherwise become megabytes
 * of comment. What is left out is counted in one last finding of the same rule and level, so
 * the verdict and the counts by level are unchanged in kind.
 */

const AND_MORE = '#and-more';

export function moreLikeThis(last: Finding, omitted: number): Finding {
  return {
    ...last,
    message: `…and ${omitted} more like this, not listed: Service Gate lists ${FINDINGS_PER_RULE} findings per rule.`,
    key: `${last.key ?? ''}${AND_MORE}`,
  };
}

/** Keeps the first `max` findings of each rule (in order) and counts the rest. */
export function capPerRule(findings: readonly Finding[], max = FINDINGS_PER_RULE): Finding[] {
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  const lastKept = new Map<string, number>();
  for (const f of findings) {
    // Already a count of what its rule left out (runRule caps for_each rules as it goes).
    if (f.key?.endsWith(AND_MORE)) {
      out.push(f);
      continue;
    }
    const n = (seen.get(f.rule) ?? 0) + 1;
    seen.set(f.rule, n);
    if (n <= max) {
      lastKept.set(f.rule, out.length);
      out.push(f);
    }
  }
  // Insert each rule's "and N more" right after its last listed finding.
  const extra = [...seen].filter(([, n]) => n > max);
  if (extra.length === 0) return out;
  const after = new Map(
    extra.map(([rule, n]) => [
      lastKept.get(rule)!,
      moreLikeThis(out[lastKept.get(rule)!]!, n - max),
    ]),
  );
  return out.flatMap((f, i) => (after.has(i) ? [f, after.get(i)!] : [f]));
}
