import type { Conclusion, Finding, PointSummary, Report } from '../report.js';
import type { Level } from '../levels.js';

export const CONCLUSION_LABEL: Record<Conclusion, string> = {
  success: 'Passed',
  failure: 'Failed',
  action_required: 'Approval required',
  neutral: 'Not evaluated',
};

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

/** An annotation's text: the message, the fix, and the other points the finding stands for. */
export function annotationMessage(f: Finding, separator: string): string {
  const also = alsoPoints(f);
  return [f.message, f.fix && `Fix: ${f.fix}`, also && `Also: ${also}`]
    .filter(Boolean)
    .join(separator);
}
