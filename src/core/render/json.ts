import type { Report } from '../report.js';

/** The stable machine-readable shape (documented in the README as `--format json`). */
export function toJsonReport(report: Report) {
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
        package: d.package,
      })),
      platforms: report.evidence.platforms.map((p) => ({
        id: p.id,
        category: p.category,
        source: p.source,
        signal: p.signal,
      })),
      own_builds: report.evidence.own_builds,
      practices: report.evidence.practices,
    },
    evaluated_at: report.evaluatedAt,
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
