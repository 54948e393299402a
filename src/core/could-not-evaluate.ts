import { NO_EVIDENCE } from './evidence/detect.js';
import { redactSecrets } from './redact.js';
import type { Conclusion, Finding, Report } from './report.js';

/**
 * The report of an evaluation that could not finish. Service Gate fails closed: what it could
 * not judge is a failure (unless a central policy chose `on_error: neutral`), and says what
 * went wrong and how to run it again, never a pass and never a stack trace.
 */

export const COULD_NOT_EVALUATE = 'service-gate/could-not-evaluate';

export interface CouldNotEvaluate {
  /** What stopped the evaluation, in a sentence; redacted and cut to one short line here. */
  reason: string;
  /** How to run it again in this shell, e.g. "Comment `/service-gate recheck`". */
  rerun: string;
  now: string;
  /** Where the problem was found, when known. */
  at?: { file: string; line: number; column: number };
  conclusion?: Extract<Conclusion, 'failure' | 'neutral'>;
}

export function couldNotEvaluate(c: CouldNotEvaluate): Report {
  const finding: Finding = {
    rule: COULD_NOT_EVALUATE,
    title: 'Service Gate could evaluate this commit',
    level: c.conclusion === 'neutral' ? 'warning' : 'failure',
    standard: 'service-gate',
    point: 1,
    message: `Service Gate could not evaluate this commit: ${oneLine(c.reason)}`,
    fix: `Nothing was judged, so this ${c.conclusion === 'neutral' ? 'does not gate (on_error: neutral)' : 'fails closed'}. ${c.rerun}`,
    guidance: 'https://github.com/service-gate/service-gate#untrusted-input',
    file: c.at?.file ?? 'service.yml',
    line: c.at?.line ?? 1,
    column: c.at?.column ?? 1,
    gate: false,
  };
  return {
    conclusion: c.conclusion ?? 'failure',
    service: null,
    transition: null,
    findings: [finding],
    points: [],
    packs: [],
    packsSkipped: [],
    approvals: { required: [], approvers: null, approvedBy: [] },
    evidence: NO_EVIDENCE,
    evaluatedAt: c.now,
  };
}

/** An error as one short, redacted line: never a stack, a header or a token. */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(message);
}

function oneLine(text: string): string {
  const line = redactSecrets(text.split('\n')[0] ?? '').trim();
  const cut = line.length > 300 ? `${line.slice(0, 300)}…` : line;
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
}
