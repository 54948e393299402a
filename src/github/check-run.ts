import { annotationMessage, annotationTitle } from '../core/render/labels.js';
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

interface CheckRun {
  id: number;
  name: string;
  app?: { id: number } | null;
}

/**
 * Finds this app's check run for the head SHA, or creates it; either way it is left
 * in_progress. Re-runs and redeliveries update the same run instead of adding another.
 */
export async function startCheckRun(
  github: GitHub,
  t: CheckRunTarget,
  detailsUrl?: string,
): Promise<number> {
  const runs = await paginate<CheckRun>(
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
  const mine = runs.find((r) => r.name === t.name && (r.app?.id ?? t.appId) === t.appId);
  if (mine) {
    await github.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: t.owner,
      repo: t.repo,
      check_run_id: mine.id,
      status: 'in_progress',
    });
    return mine.id;
  }
  const { data } = await github.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: t.owner,
    repo: t.repo,
    name: t.name,
    head_sha: t.headSha,
    status: 'in_progress',
    external_id: t.headSha,
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
  });
  return data.id as number;
}

export interface CheckRunResult {
  conclusion: Report['conclusion'];
  title: string;
  summary: string;
  findings: readonly Finding[];
  detailsUrl?: string;
}

/** Completes the run, then adds annotations 50 at a time on the exact service.yml lines. */
export async function completeCheckRun(
  github: GitHub,
  t: CheckRunTarget,
  id: number,
  result: CheckRunResult,
): Promise<void> {
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
  const base = { owner: t.owner, repo: t.repo, check_run_id: id };
  for (let i = 0; i === 0 || i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await github.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...base,
      ...(i === 0
        ? {
            status: 'completed',
            conclusion: result.conclusion,
            completed_at: new Date().toISOString(),
            ...(result.detailsUrl ? { details_url: result.detailsUrl } : {}),
            actions: [
              {
                label: 'Re-check',
                description: 'Evaluate service.yml again',
                identifier: 'recheck',
              },
            ],
          }
        : {}),
      output: {
        title: result.title,
        summary,
        annotations: annotations.slice(i, i + ANNOTATIONS_PER_REQUEST),
      },
    });
  }
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
  const note = unannotated > 0 ? `\n\n${unannotated} further findings are not annotated.` : '';
  if (utf8Bytes(summary) + utf8Bytes(note) <= MAX_SUMMARY) return summary + note;
  const cut =
    '\n\n…the report is too long to show in full; run `npx service-gate check` locally for all of it.';
  const room = MAX_SUMMARY - utf8Bytes(cut) - utf8Bytes(note);
  return cutToBytes(summary, room).trimEnd() + cut + note;
}
