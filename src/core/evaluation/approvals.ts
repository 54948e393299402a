import { PHASES } from '../domain/catalogue.js';
import type { Manifest } from '../manifest/schema.js';
import type { EffectivePolicy } from '../policy/effective.js';
import type { ApprovalRequirement } from '../report.js';

/** Changes that need a person from the approvers team to approve, whatever the findings say. */
export function approvalsRequired(
  service: Manifest,
  base: Manifest | undefined,
  policy: EffectivePolicy,
): ApprovalRequirement[] {
  if (!base) return [];
  const gates: ApprovalRequirement[] = [];
  const from = PHASES.indexOf(base.phase);
  const to = PHASES.indexOf(service.phase);
  if (to > from) {
    gates.push({
      kind: 'phase-transition',
      reason: `The phase changes from ${base.phase} to ${service.phase}.`,
    });
  }
  const threshold = spendThreshold(service, policy);
  const before = base.spend?.whole_life_cost ?? 0;
  const after = service.spend?.whole_life_cost ?? 0;
  if (threshold !== undefined && after > threshold && after > before && before <= threshold) {
    gates.push({
      kind: 'spend',
      reason:
        `Whole-life cost rises from ${before} to ${after} ${service.spend?.currency ?? ''}, past the ${threshold} approval threshold.`.replace(
          '  ',
          ' ',
        ),
    });
  }
  return gates;
}

export function spendThreshold(service: Manifest, policy: EffectivePolicy): number | undefined {
  const currency = service.spend?.currency ?? 'GBP';
  const table = service.spend?.public_facing
    ? policy.thresholds.spend.public_facing
    : policy.thresholds.spend.other;
  return (table as Record<string, number>)[currency];
}
