import { markdownTable } from 'markdown-table';
import { countByLevel, type Finding, type Report } from '../report.js';
import { alsoPoints, CONCLUSION_LABEL, LEVEL_ICON, pointStatus } from './labels.js';

export interface MarkdownOptions {
  /** Link findings to files, e.g. https://github.com/o/r/blob/<sha>/ */
  blobUrl?: string;
  /** Leave out notices (PR comments). */
  hideNotices?: boolean;
}

/** What a check-run summary, a job summary and a PR comment show: a per-point table, then details. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const counts = countByLevel(report.findings);
  const name = report.service
    ? `**${escape(report.service.name)}** (${report.service.phase})`
    : '`service.yml`';
  out.push(
    `### ${conclusionIcon(report)} Service Standard: ${CONCLUSION_LABEL[report.conclusion]}`,
  );
  out.push('');
  out.push(
    `${name}: ${counts.failure} failing, ${counts.warning} warnings, ${counts.notice} notices.`,
  );
  if (report.transition)
    out.push(
      `\nThis change moves the service from **${report.transition.from}** to **${report.transition.to}**.`,
    );

  if (report.approvals.required.length > 0) {
    out.push('', '#### Approval needed');
    for (const gate of report.approvals.required) out.push(`- ${gate.reason}`);
    if (report.approvals.approvedBy.length > 0) {
      out.push(`\nApproved by ${report.approvals.approvedBy.map((l) => `@${l}`).join(', ')}.`);
    } else if (report.approvals.approvers) {
      out.push(`\nA member of @${report.approvals.approvers} must approve this pull request.`);
    } else {
      out.push('\nNo approvers team is configured: set `approvers.team` in the policy.');
    }
  }

  const points = report.points.filter((p) => p.checked > 0 || p.failures + p.warnings > 0);
  if (points.length > 0) {
    out.push('', '#### By standard point', '');
    out.push(
      markdownTable(
        [
          ['Standard', 'Point', 'Status', 'Findings'],
          ...points.map((p) => {
            const status = pointStatus(p);
            const n = p.failures + p.warnings + (options.hideNotices ? 0 : p.notices);
            return [
              p.standardTitle,
              `${p.point}. ${p.title}`,
              `${status.icon} ${status.label}`,
              n ? String(n) : '',
            ];
          }),
        ],
        { alignDelimiters: false },
      ),
    );
    const unchecked = report.points.length - points.length;
    if (unchecked > 0)
      out.push(
        '',
        `<sub>${unchecked} points have no automated check in this phase; the assessment panel covers them.</sub>`,
      );
  }

  for (const skipped of report.packsSkipped)
    out.push(
      '',
      `<sub>Policy pack \`${skipped.id}\` is not applied: ${escape(skipped.reason)}.</sub>`,
    );

  const shown = report.findings.filter(
    (f) => !(options.hideNotices && f.level === 'notice' && !f.waived),
  );
  if (shown.length > 0) {
    out.push('', '#### Details', '');
    for (const f of shown) out.push(renderFinding(f, report, options));
  }
  return `${out.join('\n')}\n`;
}

function renderFinding(f: Finding, report: Report, options: MarkdownOptions): string {
  const where = options.blobUrl
    ? `[${f.file}:${f.line}](${options.blobUrl}${f.file}#L${f.line})`
    : `\`${f.file}:${f.line}\``;
  const head = f.waived
    ? `- 🟦 **${escape(f.title)}** (waived until ${f.waived.expires} by ${escape(f.waived.approved_by)}: ${escape(f.waived.reason)})`
    : `- ${LEVEL_ICON[f.level]} **${escape(f.title)}**`;
  const lines = [head, `  ${escape(f.message)}`];
  if (f.fix) lines.push(`  **Fix:** ${escape(f.fix)}`);
  const also = alsoPoints(f, report);
  if (also) lines.push(`  **Also:** ${escape(also)}`);
  lines.push(`  ${where} · \`${f.rule}\` · [guidance](${f.guidance})`);
  return lines.join('<br>\n');
}

function conclusionIcon(report: Report): string {
  return { success: '✅', failure: '❌', action_required: '🟠', neutral: '⚪' }[report.conclusion];
}

/** Keeps user text from breaking the markdown (or pinging people). */
export function escape(text: string): string {
  return text
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(/@(\w)/g, '@\u200b$1')
    .replace(/\|/g, '\\|');
}
