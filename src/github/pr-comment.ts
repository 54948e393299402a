import type { Report } from '../core/report.js';
import { paginate, type GitHub } from './client.js';

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

interface IssueComment {
  id: number;
  body?: string;
  user?: { login: string; type?: string } | null;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/**
 * Keeps at most one comment per pull request. `body` null means "nothing worth a comment":
 * no comment is created, and an existing one turns into a short all-clear. Only comments
 * written by our own bot and carrying the marker are ever touched; all pages are searched.
 */
export async function upsertPrComment(
  github: GitHub,
  t: CommentTarget,
  body: string | null,
): Promise<CommentOutcome> {
  const comments = await paginate<IssueComment>(
    github,
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    {
      owner: t.owner,
      repo: t.repo,
      issue_number: t.number,
    },
    10_000,
  );
  const mine = comments.find(
    (c) => c.user?.login === t.botLogin && c.body?.includes(COMMENT_MARKER),
  );
  const wanted = body === null ? (mine ? ALL_CLEAR : null) : `${COMMENT_MARKER}\n${body}`;
  if (wanted === null) return 'skipped';
  if (mine) {
    if (mine.body === wanted) return 'unchanged';
    await github.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner: t.owner,
      repo: t.repo,
      comment_id: mine.id,
      body: wanted,
    });
    return 'updated';
  }
  await github.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.number,
    body: wanted,
  });
  return 'created';
}

/** Notices alone never make a comment; failures, warnings, waivers and approval gates do. */
export function worthCommenting(report: Report): boolean {
  return (
    report.findings.some((f) => f.level !== 'notice' || f.waived) ||
    report.approvals.required.length > 0
  );
}
