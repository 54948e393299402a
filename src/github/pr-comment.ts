import { createHash } from 'node:crypto';
import type { Report } from '../core/report.js';
import { gitHubStatusOf as statusOf } from '../errors.js';
import type { GitHub } from './client.js';

/** Hidden marker that identifies the one comment Service Gate keeps on a pull request. */
export const COMMENT_MARKER = '<!-- service-gate:pr-comment -->';
export const ALL_CLEAR = `${COMMENT_MARKER}\n### ✅ Service Standard: all clear\n\nThe findings reported earlier are resolved.\n`;

export interface CommentTarget {
  owner: string;
  repo: string;
  number: number;
  /** The login our comments are written as, e.g. "service-gate[bot]" or "github-actions[bot]". */
  botLogin: string;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/** Our existing comment (id and body), when there is one. */
export interface ExistingComment {
  id: number;
  /** Its text, or only a SHA-256 of it (what the App remembers of comments it wrote). */
  body?: string;
  sha256?: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export type CommentPlan =
  | { kind: 'skipped' }
  | { kind: 'unchanged' }
  | { kind: 'created'; body: string }
  | { kind: 'updated'; id: number; body: string };

/**
 * What to do about the comment. `body` null means "nothing worth a comment": no comment is
 * created, and an existing one turns into a short all-clear.
 */
export function planComment(
  existing: ExistingComment | undefined,
  body: string | null,
): CommentPlan {
  const wanted = body === null ? (existing ? ALL_CLEAR : null) : `${COMMENT_MARKER}\n${body}`;
  if (wanted === null) return { kind: 'skipped' };
  if (!existing) return { kind: 'created', body: wanted };
  if (existing.body === wanted || existing.sha256 === sha256(wanted)) return { kind: 'unchanged' };
  return { kind: 'updated', id: existing.id, body: wanted };
}

/** Said instead of the report when GitHub refuses the comment (422: too large, say). */
export const TOO_LONG = `${COMMENT_MARKER}\n### Service Standard: the report is too long for a comment\n\nThe full report is in this commit's **Service Standard** check run (the Checks tab).\n`;

/**
 * Carries out a plan; returns the outcome and the comment's id. A body GitHub rejects as
 * invalid (422) is replaced by a short pointer to the check run, so the PR still hears.
 */
export async function writeComment(
  github: GitHub,
  t: CommentTarget,
  plan: CommentPlan,
): Promise<{ outcome: CommentOutcome; id?: number; body?: string }> {
  if (plan.kind === 'skipped' || plan.kind === 'unchanged') return { outcome: plan.kind };
  const write = plan;
  const send = (body: string) =>
    write.kind === 'updated'
      ? github.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          owner: t.owner,
          repo: t.repo,
          comment_id: write.id,
          body,
        })
      : github.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner: t.owner,
          repo: t.repo,
          issue_number: t.number,
          body,
        });
  try {
    const { data } = await send(write.body);
    return { outcome: write.kind, id: data.id as number, body: write.body };
  } catch (error) {
    // Our comment was deleted since we last wrote it: write a new one.
    if (statusOf(error) === 404 && write.kind === 'updated')
      return writeComment(github, t, { kind: 'created', body: write.body });
    if (statusOf(error) !== 422 || write.body === TOO_LONG) throw error;
    const { data } = await send(TOO_LONG);
    return { outcome: write.kind, id: data.id as number, body: TOO_LONG };
  }
}

/** Notices alone never make a comment; failures, warnings, waivers and approval gates do. */
export function worthCommenting(report: Report): boolean {
  return (
    report.findings.some((f) => f.level !== 'notice' || f.waived) ||
    report.approvals.required.length > 0
  );
}
