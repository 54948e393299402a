import type { CelInput } from '@bufbuild/cel';
import type { Evidence } from '../evidence/detect.js';
import type { Manifest } from '../manifest/schema.js';
import type { EffectivePolicy } from '../policy/effective.js';
import { toCel } from '../rules/cel.js';

/** What rules see: `service`, `repo`, `policy` and `base`, shaped so expressions stay simple. */

/** The policy as rules see it: its thresholds, as `policy.*`. */
export function policyView(policy: EffectivePolicy): CelInput {
  return toCel(policy.thresholds);
}

/**
 * The manifest as rules see it: every list and section is present (empty when service.yml
 * leaves it out), so rules test declarations with has(service.section.field) and never
 * fail on a missing parent.
 */
export function celView(m: Manifest): Record<string, unknown> {
  const sections = [
    'owner',
    'team',
    'design_system',
    'platforms',
    'accessibility',
    'performance',
    'source',
  ] as const;
  const view: Record<string, unknown> = { assessments: [], research: [], standards: [], ...m };
  for (const s of sections) view[s] = m[s] ?? {};
  view.spend = m.spend ? { ...m.spend, approval: m.spend.approval ?? {} } : { approval: {} };
  return view;
}

/**
 * Evidence as rules see it: as detected, plus `platforms_used`, one entry per platform with every
 * signal that showed it, so a rule can report a platform once however many files mention it.
 */
export function evidenceView(evidence: Evidence): Record<string, unknown> {
  const used = new Map<
    string,
    { id: string; category: string; unmaintained: boolean; signals: string[] }
  >();
  for (const p of evidence.platforms) {
    const key = `${p.category}/${p.id}`;
    let entry = used.get(key);
    if (!entry)
      used.set(
        key,
        (entry = { id: p.id, category: p.category, unmaintained: p.unmaintained, signals: [] }),
      );
    entry.signals.push(`${p.signal} at ${p.source}:${p.line}`);
  }
  return { ...evidence, platforms_used: [...used.values()] };
}
