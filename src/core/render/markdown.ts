import { markdownTable } from 'markdown-table';
import { countByLevel, type Finding, type Report } from '../report.js';
import { clip, escapeMarkdown, markdownCode, markdownLink, showControls } from './escape.js';
import { groupFindings, type FindingGroup } from './group.js';
import {
  alsoPoints,
  CONCLUSION_ICON,
  CONCLUSION_LABEL,
  countsSentence,
  LEVEL_ICON,
  plural,
  pointStatus,
} from './labels.js';
import { GITHUB_LIMITS, utf8Bytes } from './limits.js';

export interface MarkdownOptions {
  /** Link findings to files, e.g. https://github.com/o/r/blob/<sha>/ */
  blobUrl?: string;
  /** Leave out notices (PR comments and drift issues). */
  hideNotices?: boolean;
  /**
   * The most UTF-8 bytes the result may take (see GITHUB_LIMITS, less what the caller adds).
   * Findings that do not fit are left out and counted, with a link to `fullReportUrl`.
   */
  maxBytes?: number;
  /** Where every finding can be read when some are left out (the check run). */
  fullReportUrl?: string;
}

/**
 * Bytes a PR comment's body may take: GitHub's limit less the hidden marker the comment keeps
 * (pr-comment.ts) and a margin.
 */
export const COMMENT_BYTES = GITHUB_LIMITS.comment - 100;

/** How many items of one rule's group are listed before "and N more". */
const GROUP_ITEMS_SHOWN = 10;
/** User text is clipped so one value can never crowd out the rest of the body. */
const MAX_NAME = 200;
const MAX_TEXT = 1_000;

interface Block {
  text: string;
  /** Findings this block shows (counted as left out when it does not fit). */
  findings: number;
}

/**
 * What a check-run summary, a job summary, a PR comment and a drift issue show, in the order a
 * reader acts on it: the verdict; what blocks (approvals needed, failures with their fixes);
 * warnings; then notices, waivers and the per-point table folded in `<details>`.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const head = header(report);
  const visible = report.findings.filter(
    (f) => !(options.hideNotices && f.level === 'notice' && !f.waived),
  );
  const groups = groupFindings(visible);
  const of = (level: Finding['level'], waived: boolean) =>
    groups.filter((g) => Boolean(g.first.waived) === waived && (waived || g.level === level));
  const failures = of('failure', false);
  const warnings = of('warning', false);
  const notices = of('notice', false);
  const waived = of('failure', true);

  const main: Block[] = [];
  const section = (title: string, list: FindingGroup[]) => {
    if (list.length === 0) return;
    main.push({ text: `\n#### ${title}\n`, findings: 0 });
    for (const g of list) main.push({ text: renderGroup(g, report, options), findings: g.size });
  };
  section(
    `${LEVEL_ICON.failure} ${plural(countOf(failures), 'failure')}: fix before merging`,
    failures,
  );
  section(`${LEVEL_ICON.warning} ${plural(countOf(warnings), 'warning')}`, warnings);

  const folded: Block[] = [];
  const foldedSection = (title: string, list: FindingGroup[]) => {
    if (list.length === 0) return;
    folded.push({ text: `\n**${title}**\n`, findings: 0 });
    for (const g of list) folded.push({ text: renderGroup(g, report, options), findings: g.size });
  };
  foldedSection(`${LEVEL_ICON.notice} ${plural(countOf(notices), 'notice')}`, notices);
  foldedSection(`🟦 ${plural(countOf(waived), 'waived finding')}`, waived);
  const table = pointTable(report, options);
  if (table) folded.push({ text: table, findings: 0 });
  for (const skipped of report.packsSkipped)
    folded.push({
      text: `\n<sub>Policy pack ${markdownCode(skipped.id)} is not applied: ${escapeMarkdown(clip(skipped.reason, MAX_TEXT))}.</sub>\n`,
      findings: 0,
    });
  const foldTitle = [
    notices.length ? plural(countOf(notices), 'notice') : '',
    waived.length ? plural(countOf(waived), 'waived finding') : '',
    table ? 'the result for each standard point' : '',
  ].filter(Boolean);

  return fit(head, main, folded, foldTitle, options);
}

function countOf(groups: readonly FindingGroup[]): number {
  return groups.reduce((n, g) => n + g.size, 0);
}

function header(report: Report): string {
  const counts = countByLevel(report.findings);
  const name = report.service
    ? `**${escapeMarkdown(clip(report.service.name, MAX_NAME))}** (${report.service.phase})`
    : '`service.yml`';
  const out = [
    `### ${CONCLUSION_ICON[report.conclusion]} Service Standard: ${CONCLUSION_LABEL[report.conclusion]}`,
    '',
    `${name}: ${countsSentence(counts)}.`,
  ];
  if (report.transition)
    out.push(
      '',
      `This change moves the service from **${report.transition.from}** to **${report.transition.to}**.`,
    );
  if (report.approvals.required.length > 0) {
    out.push('', '#### 🟠 Approval needed');
    for (const gate of report.approvals.required)
      out.push(`- ${escapeMarkdown(clip(gate.reason, MAX_TEXT))}`);
    const { approvedBy, approvers } = report.approvals;
    if (approvedBy.length > 0) {
      out.push('', `Approved by ${approvedBy.map(mention).join(', ')}.`);
    } else if (approvers) {
      out.push('', `A member of ${mention(approvers)} must approve this pull request.`);
    } else {
      out.push('', 'No approvers team is configured: set `approvers.team` in the policy.');
    }
  }
  return `${out.join('\n')}\n`;
}

/** A deliberate mention of a login or team from GitHub or the central policy; anything else is text. */
function mention(login: string): string {
  return /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(login) ? `@${login}` : escapeMarkdown(login);
}

function where(f: Finding, options: MarkdownOptions): string {
  const label = `${f.file}:${f.line}`;
  if (!options.blobUrl) return markdownCode(clip(label, MAX_NAME));
  const path = showControls(f.file).split('/').map(encodeURIComponent).join('/');
  return markdownLink(clip(label, MAX_NAME), `${options.blobUrl}${path}#L${f.line}`);
}

function renderGroup(g: FindingGroup, report: Report, options: MarkdownOptions): string {
  const f = g.first;
  const title = `**${escapeMarkdown(clip(f.title, MAX_NAME))}**`;
  const head = f.waived
    ? `- 🟦 ${title} (waived until ${escapeMarkdown(f.waived.expires)} by ${escapeMarkdown(clip(f.waived.approved_by, MAX_NAME))}: ${escapeMarkdown(clip(f.waived.reason, MAX_TEXT))})`
    : `- ${LEVEL_ICON[f.level]} ${title}${g.size > 1 ? ` (${g.size})` : ''}`;
  const text = (s: string) => escapeMarkdown(clip(s, MAX_TEXT));
  const lines = [head];
  const sameFix = g.items.every((i) => i.fix === f.fix);
  const sameLine = g.items.every((i) => i.file === f.file && i.line === f.line);
  if (g.size === 1) {
    lines.push(text(f.message));
  } else {
    for (const item of g.items.slice(0, GROUP_ITEMS_SHOWN)) {
      const fix = !sameFix && item.fix ? ` **Fix:** ${text(item.fix)}` : '';
      lines.push(`${sameLine ? '' : `${where(item, options)} `}${text(item.message)}${fix}`);
    }
    if (g.size > GROUP_ITEMS_SHOWN)
      lines.push(`…and ${plural(g.size - GROUP_ITEMS_SHOWN, 'more finding')} of this rule.`);
  }
  if (sameFix && f.fix) lines.push(`**Fix:** ${text(f.fix)}`);
  const also = alsoPoints(f, report);
  if (also) lines.push(`**Also:** ${text(also)}`);
  const guidance = markdownLink('guidance', f.guidance);
  lines.push(
    `<sub>${sameLine ? `${where(f, options)} · ` : ''}${markdownCode(clip(f.rule, MAX_NAME))} · ${guidance}</sub>`,
  );
  return `${lines.join('<br>\n  ')}\n`;
}

function pointTable(report: Report, options: MarkdownOptions): string | undefined {
  const points = report.points.filter((p) => p.checked > 0 || p.failures + p.warnings > 0);
  if (points.length === 0) return undefined;
  const rows = points.map((p) => {
    const status = pointStatus(p);
    const n = p.failures + p.warnings + (options.hideNotices ? 0 : p.notices);
    return [
      escapeMarkdown(p.standardTitle),
      `${p.point}. ${escapeMarkdown(p.title)}`,
      `${status.icon} ${status.label}`,
      n ? String(n) : '',
    ];
  });
  const unchecked = report.points.length - points.length;
  return [
    '',
    markdownTable([['Standard', 'Point', 'Status', 'Findings'], ...rows], {
      alignDelimiters: false,
    }),
    ...(unchecked > 0
      ? [
          '',
          `<sub>${plural(unchecked, 'point')} ${unchecked === 1 ? 'has' : 'have'} no automated check in this phase; the assessment panel covers them.</sub>`,
        ]
      : []),
    '',
  ].join('\n');
}

/**
 * Lays the blocks out in order within `maxBytes`. The header always fits (its user text is
 * clipped); findings are added in order until one does not fit, and every finding after it is
 * counted in a note that links to the full report.
 */
function fit(
  head: string,
  main: readonly Block[],
  folded: readonly Block[],
  foldTitle: readonly string[],
  options: MarkdownOptions,
): string {
  const limit = options.maxBytes ?? Infinity;
  const open = `\n<details><summary>${escapeMarkdown(capitalise(foldTitle.join(', ')))}</summary>\n`;
  const close = '\n</details>\n';
  const total = [...main, ...folded].reduce((n, b) => n + b.findings, 0);
  const noteRoom = 400 + utf8Bytes(options.fullReportUrl ?? '');
  let out = head;
  let used = utf8Bytes(out);
  let shown = 0;
  let full = false;
  const add = (b: Block, reserve: number) => {
    if (full) return;
    const size = utf8Bytes(b.text);
    if (used + size + reserve + noteRoom > limit) {
      if (b.findings > 0) full = true;
      return;
    }
    out += b.text;
    used += size;
    shown += b.findings;
  };
  for (const b of main) add(b, 0);
  if (folded.length > 0 && !full && used + utf8Bytes(open + close) + noteRoom <= limit) {
    out += open;
    used += utf8Bytes(open);
    for (const b of folded) add(b, utf8Bytes(close));
    out += close;
  }
  const left = total - shown;
  if (left > 0) out += omittedNote(left, options.fullReportUrl);
  return out;
}

function omittedNote(left: number, url: string | undefined): string {
  const where = url
    ? markdownLink('the check run', url)
    : '`npx service-gate check` (or `--format json`)';
  return `\n> **${plural(left, 'finding')} left out** to keep within GitHub's size limit: every finding is in ${where}.\n`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
