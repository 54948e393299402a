import type {
  DesignSystemEvidence,
  Evidence,
  OwnBuildEvidence,
  PlatformEvidence,
} from './evidence/detect.js';
import type { Phase } from './domain/catalogue.js';
import type { Level } from './levels.js';

/**
 * The result of one evaluation: `Report` is what every shell renders and acts on, and
 * `JsonReport` is its published form (`--format json`, the Action's report file, each
 * repository of an audit), the contract the README documents.
 */

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
  /**
   * What the finding is about, stable from day to day (a for_each rule's item, '' for a rule
   * without one; absent for findings about the file itself, which the line and column identify).
   * Fingerprints are built from it, never from the message.
   */
  key?: string;
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

/** A change that needs a person from the approvers team, whatever the findings say. */
export interface ApprovalRequirement {
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
  approvals: { required: ApprovalRequirement[]; approvers: string | null; approvedBy: string[] };
  evidence: Evidence;
  evaluatedAt: string;
}

export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { failure: 0, warning: 0, notice: 0 };
  for (const f of findings) if (!f.waived) counts[f.level]++;
  return counts;
}

/** The documented JSON shape: snake_case, evidence as found, with the files read and not read. */
export interface JsonReport {
  conclusion: Conclusion;
  service: Report['service'];
  transition: Report['transition'];
  findings: JsonFinding[];
  approvals: Report['approvals'];
  points: PointSummary[];
  packs: Report['packs'];
  packs_skipped: Report['packsSkipped'];
  evidence: {
    design_system: Pick<
      DesignSystemEvidence,
      'id' | 'version' | 'source' | 'line' | 'package' | 'signal'
    >[];
    platforms: Pick<PlatformEvidence, 'id' | 'category' | 'source' | 'line' | 'signal'>[];
    own_builds: OwnBuildEvidence[];
    practices: Evidence['practices'];
    files_read: Evidence['files_read'];
    files_unread: Evidence['files_unread'];
  };
  evaluated_at: string;
}

export type JsonFinding = Pick<
  Finding,
  | 'rule'
  | 'level'
  | 'standard'
  | 'point'
  | 'title'
  | 'message'
  | 'fix'
  | 'file'
  | 'line'
  | 'column'
  | 'guidance'
  | 'gate'
  | 'waived'
  | 'also'
>;

export function toJsonReport(report: Report): JsonReport {
  return {
    conclusion: report.conclusion,
    service: report.service,
    transition: report.transition,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      level: f.level,
      standard: f.standard,
      point: f.point,
      title: f.title,
      message: f.message,
      fix: f.fix,
      file: f.file,
      line: f.line,
      column: f.column,
      guidance: f.guidance,
      gate: f.gate,
      ...(f.waived ? { waived: f.waived } : {}),
      ...(f.also ? { also: f.also } : {}),
    })),
    approvals: report.approvals,
    points: report.points,
    packs: report.packs,
    packs_skipped: report.packsSkipped,
    evidence: {
      design_system: report.evidence.design_systems.map((d) => ({
        id: d.id,
        version: d.version,
        source: d.source,
        line: d.line,
        package: d.package,
        signal: d.signal,
      })),
      platforms: report.evidence.platforms.map((p) => ({
        id: p.id,
        category: p.category,
        source: p.source,
        line: p.line,
        signal: p.signal,
      })),
      own_builds: report.evidence.own_builds,
      practices: report.evidence.practices,
      files_read: report.evidence.files_read,
      // Files that could hold evidence but were not read: findings about them say "not verified".
      files_unread: report.evidence.files_unread,
    },
    evaluated_at: report.evaluatedAt,
  };
}
