import { annotationMessage, annotationTitle, plural } from '../core/render/labels.js';
import { cutToBytes, GITHUB_LIMITS, utf8Bytes } from '../core/render/limits.js';
import type { Finding, Report } from '../core/report.js';
import { paginate, type GitHub } from './client.js';

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  appId: number;
}

/** GitHub's limits: 50 annotations per request, 65,535 bytes per summary. */
export const ANNOTATIONS_PER_REQUEST = 50;
export const MAX_SUMMARY = GITHUB_LIMITS.checkSummary;
const MAX_ANNOTATIONS = 1000;

/**
 * This app's run of this name on the head SHA, through REST: only when reporting an error,
 * because the GraphQL lookup that normally finds it may be what failed.
 */
export async function findCheckRun(github: GitHub, t: CheckRunTarget): Promise<number | undefined> {
  const runs = await paginate<{ id: number; name: string; app?: { id: number } | null }>(
    github,
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
    {
      owner: t.owner,
      repo: t.repo,
      ref: t.headSha,
      check_name: t.name,
      app_id: t.appId,
      filter: 'latest',
    },
  );
  return runs.find((r) => r.name === t.name && (r.app?.id ?? t.appId) === t.appId)?.id;
}

export interface CheckRunResult {
  conclusion: Report['conclusion'];
  title: string;
  summary: string;
  findings: readonly Finding[];
  detailsUrl?: string;
}

/**
 * Publishes the verdict in one request: a new run is created already completed (GitHub sets
 * `status: completed` when a conclusion is given), or the run found for this head SHA (a
 * redelivery, a rerun, or one a dead process left in progress) is completed in place.
 * Annotations beyond the first 50 follow in PATCHes of 50. Returns the run's id.
 */
export async function publishCheckRun(
  github: GitHub,
  t: CheckRunTarget,
  existingId: number | undefined,
  result: CheckRunResult,
): Promise<number> {
  // Annotations must name files in this repository; policy problems in another repository
  // (the organisation's .github) are shown in the summary only.
  const own = `${t.owner}/${t.repo}:`;
  const annotations = result.findings
    .filter((f) => !/^[^/\s]+\/[^/\s:]+:/.test(f.file) || f.file.startsWith(own))
    .map((f) => ({ ...f, file: f.file.startsWith(own) ? f.file.slice(own.length) : f.file }))
    .slice(0, MAX_ANNOTATIONS)
    .map(toAnnotation);
  const summary = fitSummary(
    result.summary,
    result.findings.length > MAX_ANNOTATIONS ? result.findings.length - MAX_ANNOTATIONS : 0,
  );
  const output = (i: number) => ({
    title: result.title,
    summary,
    annotations: annotations.slice(i, i + ANNOTATIONS_PER_REQUEST),
  });
  const verdict = {
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    ...(result.detailsUrl ? { details_url: result.detailsUrl } : {}),
    actions: [
      { label: 'Re-check', description: 'Evaluate service.yml again', identifier: 'recheck' },
    ],
    output: output(0),
  };
  const repo = { owner: t.owner, repo: t.repo };
  const id =
    existingId ??
    ((
      await github.request('POST /repos/{owner}/{repo}/check-runs', {
        ...repo,
        name: t.name,
        head_sha: t.headSha,
        external_id: t.headSha,
        ...verdict,
      })
    ).data.id as number);
  if (existingId !== undefined)
    await github.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...repo,
      check_run_id: id,
      ...verdict,
    });
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST)
    await github.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...repo,
      check_run_id: id,
      output: output(i),
    });
  return id;
}

function toAnnotation(f: Finding) {
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    start_column: f.column,
    end_column: f.column,
    annotation_level: f.waived ? 'notice' : f.level,
    title: annotationTitle(f),
    message: cutToBytes(annotationMessage(f, '\n'), GITHUB_LIMITS.annotationMessage, false),
    raw_details: f.guidance,
  };
}

/**
 * Keeps a summary within GitHub's limit in UTF-8 bytes, cutting at a line and saying so. The
 * renderer already fits its findings (renderMarkdown's maxBytes); this is the last guard for
 * what callers append.
 */
export function fitSummary(summary: string, unannotated = 0): string {
  const note =
    unannotated > 0
      ? `\n\n${plural(unannotated, 'further finding')} ${unannotated === 1 ? 'is' : 'are'} not annotated.`
      : '';
  if (utf8Bytes(summary) + utf8Bytes(note) <= MAX_SUMMARY) return summary + note;
  const cut =
    '\n\n…the report is too long to show in full; run `npx service-gate check` locally for all of it.';
  const room = MAX_SUMMARY - utf8Bytes(cut) - utf8Bytes(note);
  return cutToBytes(summary, room).trimEnd() + cut + note;
}
