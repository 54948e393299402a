import type { Evidence } from './evidence/detect.js';
import type { Phase } from './domain/catalogue.js';
import type { Level } from './policy/schema.js';

/** The result of one evaluation: what every shell renders and acts on. */

export type Conclusion = 'success' | 'failure' | 'action_required' | 'neutral';

export interface Finding {
  rule: string;
  title: string;
  level: Level;
  standard: string;
  point: number;
  message: string;
  fix: string;
  guidance: string;
  file: string;
  line: number;
  column: number;
  /** The rule is an entry condition of the service's phase. */
  gate: boolean;
  waived?: { reason: string; approved_by: string; expires: string };
  /** The same gap found by rules of other standards (`same_as`): one finding, every point. */
  also?: { rule: string; standard: string; point: number; title: string; level: Level }[];
}

export interface PointSummary {
  standard: string;
  standardTitle: string;
  point: number;
  title: string;
  /** Rules that applied in this phase. 0 means the point is not checked automatically here. */
  checked: number;
  failures: number;
  warnings: number;
  notices: number;
  waived: number;
}

export interface ApprovalGate {
  kind: 'phase-transition' | 'spend';
  reason: string;
}

export interface Report {
  conclusion: Conclusion;
  service: { name: string; phase: Phase } | null;
  transition: { from: Phase; to: Phase } | null;
  findings: Finding[];
  points: PointSummary[];
  packs: { id: string; title: string; standard: string; url: string }[];
  /** Packs the policy asked for that do not apply to this service's jurisdiction. */
  packsSkipped: { id: string; reason: string }[];
  approvals: { required: ApprovalGate[]; approvers: string | null; approvedBy: string[] };
  evidence: Evidence;
  evaluatedAt: string;
}

export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { failure: 0, warning: 0, notice: 0 };
  for (const f of findings) if (!f.waived) counts[f.level]++;
  return counts;
}
