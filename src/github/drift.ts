import { driftFingerprint as fingerprintFindings } from '../core/render/fingerprint.js';
import { GITHUB_LIMITS, utf8Bytes } from '../core/render/limits.js';
import { renderMarkdown } from '../core/render/markdown.js';
import type { Report } from '../core/report.js';
import { paginate, type GitHub } from './client.js';

/**
 * Evidence expires without a push: research goes stale, approvals and waivers expire, amber
 * actions fall due. A drift run keeps at most one open issue per repository that says so, and
 * is careful about noise: it edits only when the findings change, at most once per interval,
 * closes the issue when the service is compliant again, and never reopens an issue a
 * maintainer closed as "not planned" until the findings change.
 */

export const DRIFT_LABEL = 'service-gate-drift';
const MARKER = /<!-- service-gate:drift fingerprint=([0-9a-f]+) updated=(\S+) -->/;

export type DriftOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'throttled'
  | 'closed'
  | 'reopened'
  | 'nothing-to-do'
  | 'left-closed';

export interface DriftTarget {
  owner: string;
  repo: string;
  /** Only issues written by this login are ever edited (when given). */
  botLogin?: string;
}

interface Issue {
  number: number;
  state: string;
  state_reason?: string | null;
  body?: string | null;
  title: string;
  pull_request?: unknown;
  user?: { login: string } | null;
}

export interface DriftOptions {
  /** The current time, ISO 8601. */
  now: string;
  intervalHours: number;
  dryRun?: boolean;
}

/** The findings that matter for drift: failures and warnings that are not waived. */
export function driftFingerprint(report: Report): { fingerprint: string; count: number } {
  return fingerprintFindings(report.findings);
}

const DRIFT_FOOTER =
  '\n---\nService Gate keeps this one issue up to date as evidence ages (research, audits, approvals, waivers). It closes it when the service meets the checks again. Closing it as "not planned" silences it until the findings change.\n';

/** The issue a report asks for: what drift writes, and what `drift --dry-run` prints. */
export function driftIssueContent(report: Report, now: string): { title: string; body: string } {
  const { fingerprint, count } = driftFingerprint(report);
  const marker = `<!-- service-gate:drift fingerprint=${fingerprint} updated=${now} -->\n`;
  return {
    title: `Service Standard: ${count} ${count === 1 ? 'finding needs' : 'findings need'} attention`,
    body: `${marker}${renderMarkdown(report, {
      hideNotices: true,
      maxBytes: GITHUB_LIMITS.issueBody - utf8Bytes(marker + DRIFT_FOOTER),
    })}${DRIFT_FOOTER}`,
  };
}

export async function syncDriftIssue(
  github: GitHub,
  t: DriftTarget,
  report: Report,
  o: DriftOptions,
): Promise<DriftOutcome> {
  const { fingerprint, count } = driftFingerprint(report);
  const issues = (
    await paginate<Issue>(github, 'GET /repos/{owner}/{repo}/issues', {
      owner: t.owner,
      repo: t.repo,
      state: 'all',
      labels: DRIFT_LABEL,
      sort: 'updated',
      direction: 'desc',
    })
  ).filter(
    (i) =>
      !i.pull_request && MARKER.test(i.body ?? '') && (!t.botLogin || i.user?.login === t.botLogin),
  );
  const open = issues.find((i) => i.state === 'open');
  const base = { owner: t.owner, repo: t.repo };

  if (count === 0) {
    if (!open) return 'nothing-to-do';
    if (!o.dryRun) {
      await github.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...base,
        issue_number: open.number,
        body: 'The service meets the checks again, so Service Gate is closing this issue. Thank you.',
      });
      await github.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...base,
        issue_number: open.number,
        state: 'closed',
        state_reason: 'completed',
      });
    }
    return 'closed';
  }

  const { title, body } = driftIssueContent(report, o.now);
  if (open) {
    const [, previous, updated] = MARKER.exec(open.body ?? '')!;
    if (previous === fingerprint) return 'unchanged';
    if (Date.parse(o.now) - Date.parse(updated!) < o.intervalHours * 3_600_000) return 'throttled';
    if (!o.dryRun)
      await github.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...base,
        issue_number: open.number,
        title,
        body,
      });
    return 'updated';
  }
  const lastClosed = issues.find((i) => i.state === 'closed');
  if (lastClosed?.state_reason === 'not_planned') {
    if (MARKER.exec(lastClosed.body ?? '')?.[1] === fingerprint) return 'left-closed';
    if (!o.dryRun)
      await github.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...base,
        issue_number: lastClosed.number,
        state: 'open',
        title,
        body,
      });
    return 'reopened';
  }
  if (!o.dryRun)
    await github.request('POST /repos/{owner}/{repo}/issues', {
      ...base,
      title,
      body,
      labels: [DRIFT_LABEL],
    });
  return 'created';
}
