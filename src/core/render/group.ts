import type { Finding } from '../report.js';

/** Findings of one rule at one level (and waived or not): shown as one entry listing each item. */
export interface FindingGroup {
  rule: string;
  level: Finding['level'];
  first: Finding;
  items: Finding[];
  size: number;
}

/**
 * Groups repeated findings of one rule (three missing KPIs are one entry listing three KPIs),
 * in the order each rule first appears.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = JSON.stringify([f.rule, f.level, Boolean(f.waived)]);
    const group = groups.get(key);
    if (group) {
      group.items.push(f);
      group.size++;
    } else groups.set(key, { rule: f.rule, level: f.level, first: f, items: [f], size: 1 });
  }
  return [...groups.values()];
}
