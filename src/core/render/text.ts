import { styleText } from 'node:util';
import { countByLevel, type Finding, type Report } from '../report.js';
import type { Level } from '../levels.js';
import { alsoPoints, CONCLUSION_LABEL } from './labels.js';

type Style = Parameters<typeof styleText>[0];

/** Terminal output, grouped by standard point. Colour only when asked (the CLI asks on a TTY). */
export function renderText(report: Report, options: { color?: boolean } = {}): string {
  const paint = (style: Style, s: string) => (options.color ? styleText(style, s) : s);
  const LEVEL: Record<Level, string> = {
    failure: paint('red', 'fail'),
    warning: paint('yellow', 'warn'),
    notice: paint('cyan', 'note'),
  };
  const out: string[] = [];
  const counts = countByLevel(report.findings);
  const title = report.service ? `${report.service.name} (${report.service.phase})` : 'service.yml';
  const verdict = {
    success: 'green',
    failure: 'red',
    action_required: 'yellow',
    neutral: 'gray',
  } as const;
  out.push(
    `${paint('bold', title)}: ${paint(verdict[report.conclusion], CONCLUSION_LABEL[report.conclusion])}`,
  );
  if (report.transition)
    out.push(`  phase change: ${report.transition.from} → ${report.transition.to}`);
  for (const gate of report.approvals.required)
    out.push(`  ${paint('yellow', 'approval needed')}: ${gate.reason}`);

  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const point = report.points.find((p) => p.standard === f.standard && p.point === f.point);
    const key = point
      ? `${point.standardTitle} ${point.point}. ${point.title}`
      : f.standard === 'service-gate'
        ? 'Service Gate'
        : `${f.standard} ${f.point}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [heading, findings] of groups) {
    out.push('', paint('bold', heading));
    for (const f of findings) {
      const level = f.waived ? paint('blue', 'waived') : LEVEL[f.level];
      out.push(
        `  ${level} ${f.file}:${f.line}:${f.column} ${f.message} ${paint('gray', `[${f.rule}]`)}`,
      );
      if (f.fix) out.push(`       ${paint('dim', `fix: ${f.fix}`)}`);
      const also = alsoPoints(f, report);
      if (also) out.push(`       ${paint('dim', `also: ${also}`)}`);
      if (f.waived)
        out.push(
          `       ${paint('dim', `waived until ${f.waived.expires} by ${f.waived.approved_by}: ${f.waived.reason}`)}`,
        );
    }
  }
  out.push('', `${counts.failure} failing, ${counts.warning} warnings, ${counts.notice} notices`);
  if (report.packs.length > 0) {
    const checks = report.points.reduce((n, p) => n + p.checked, 0);
    out.push(
      paint(
        'dim',
        `${checks} checks from ${report.packs.map((p) => p.title).join(', ')}. Details of a rule: service-gate explain RULE`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
