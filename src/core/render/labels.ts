import { clip, escapeAnnotation, showControls } from './escape.js';
import {
  countByLevel,
  type Conclusion,
  type Finding,
  type PointSummary,
  type Report,
} from '../report.js';
import type { Level } from '../levels.js';

export const CONCLUSION_LABEL: Record<Conclusion, string> = {
  success: 'Passed',
  failure: 'Failed',
  action_required: 'Approval required',
  neutral: 'Not evaluated',
};

export const CONCLUSION_ICON: Record<Conclusion, string> = {
  success: '✅',
  failure: '❌',
  action_required: '🟠',
  neutral: '⚪',
};

/** "1 failure", "3 failures", "1,204 warnings"; "1 repository", "2 repositories" given the plural. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${groupDigits(n)} ${n === 1 ? noun : nouns}`;
}

/**
 * A whole number as en-GB writes it (12,345). Not through toLocaleString: its first call
 * loads the locale's data, 20–40 ms of a start-up that renders one report.
 */
export function groupDigits(n: number): string {
  return Number.isSafeInteger(n)
    ? String(n).replace(/\B(?=(\d{3})+$)/g, ',')
    : n.toLocaleString('en-GB');
}

/** "2 failures, 1 warning and no notices". */
export function countsSentence(counts: Record<Level, number>): string {
  const part = (n: number, noun: string) => (n === 0 ? `no ${noun}s` : plural(n, noun));
  return `${part(counts.failure, 'failure')}, ${part(counts.warning, 'warning')} and ${part(counts.notice, 'notice')}`;
}

/** A check run's title: the verdict in one line. */
export function checkRunTitle(report: Report): string {
  if (report.conclusion === 'action_required')
    return `Approval required: ${report.approvals.required.map((g) => g.kind).join(', ')}`;
  if (!report.service) return 'service.yml is missing or invalid';
  const c = countByLevel(report.findings);
  const name = showControls(clip(report.service.name, 100));
  return `${name} (${report.service.phase}): ${plural(c.failure, 'failure')}, ${plural(c.warning, 'warning')}`;
}

export const LEVEL_ICON: Record<Level, string> = { failure: '❌', warning: '⚠️', notice: 'ℹ️' };

export function pointStatus(p: PointSummary): { icon: string; label: string } {
  if (p.failures > 0) return { icon: '❌', label: 'Failing' };
  if (p.warnings > 0) return { icon: '⚠️', label: 'Warnings' };
  if (p.checked === 0) return { icon: '➖', label: 'Not checked in this phase' };
  if (p.waived > 0) return { icon: '🟦', label: 'Waived' };
  return { icon: '✅', label: 'Met' };
}

/**
 * For a finding that stands for several standards' points: "UK Technology Code of Practice 3
 * (tcop.3.open-source)", or with no report at hand (annotations), the standard's id.
 */
export function alsoPoints(f: Finding, report?: Report): string | undefined {
  if (!f.also?.length) return undefined;
  const titleOf = (standard: string) =>
    report?.points.find((p) => p.standard === standard)?.standardTitle ?? standard;
  return f.also.map((a) => `${titleOf(a.standard)} ${a.point} (${a.rule})`).join('; ');
}

/**
 * An annotation's text: the message, the fix, and the other points the finding stands for, each
 * on one line of plain text (GitHub shows annotations as text; control characters are drawn).
 */
export function annotationMessage(f: Finding, separator: string): string {
  const also = alsoPoints(f);
  return [f.message, f.fix && `Fix: ${f.fix}`, also && `Also: ${also}`]
    .filter(Boolean)
    .map((part) => escapeAnnotation(part as string))
    .join(separator);
}

/** An annotation's title: one line, at most GitHub's 255 characters. */
export function annotationTitle(f: Finding): string {
  return clip(showControls(`${f.waived ? '[waived] ' : ''}${f.title} (${f.rule})`), 255);
}
