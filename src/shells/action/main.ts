import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { isRepositoryPath } from '../../core/repository-path.js';
import { notOneOf } from '../../core/suggest.js';
import { annotationMessage, annotationTitle, plural } from '../../core/render/labels.js';
import { GITHUB_LIMITS } from '../../core/render/limits.js';
import { COMMENT_BYTES } from '../../core/render/markdown.js';
import { renderReport } from '../../core/render/renderers.js';
import { countByLevel, type Finding, type Report } from '../../core/report.js';
import { describeError, InputError } from '../../errors.js';
import { blobPolicySource } from '../../github/blob-reader.js';
import type { GitHub } from '../../github/client.js';
import { createGitHub } from '../../github/octokit.js';
import { loadPolicyFromGitHub, POLICY_PATH } from '../../github/policy.js';
import {
  type ExistingComment,
  planComment,
  worthCommenting,
  writeComment,
} from '../../github/pr-comment.js';
import { publishStateField, resolvePublishState } from '../../github/publish-state.js';
import { onErrorConclusion } from '../../run/on-error.js';
import { gather, prepare, type RepositoryFacts } from '../../run/judge.js';
import { LocalScm } from '../../scm/local.js';
import { containingRoot, writeRegularFile } from '../../scm/safe-fs.js';
import { VERSION } from '../../version.js';

export { InputError };

/** GitHub shows at most 10 annotations of each level per step; more are dropped silently. */
export const ANNOTATIONS_PER_LEVEL = 10;
const FAIL_ON = ['failure', 'warning', 'never'] as const;

export interface ActionInputs {
  path: string;
  config: string;
  packs: string[];
  failOn: (typeof FAIL_ON)[number];
  comment: boolean;
  sarifFile?: string;
  token: string;
}

export function readInputs(): ActionInputs {
  const failOn = core.getInput('fail-on') || 'failure';
  if (!(FAIL_ON as readonly string[]).includes(failOn))
    throw new InputError(notOneOf("Input 'fail-on'", failOn, FAIL_ON));
  const comment = core.getInput('comment') || 'false';
  if (!['true', 'false'].includes(comment))
    throw new InputError(`Input 'comment' must be true or false; got '${comment}'.`);
  const packs = core
    .getInput('packs')
    .split(/[\s,]+/)
    .filter(Boolean);
  const bad = packs.find((p) => !/^[a-z0-9-]+$/.test(p));
  if (bad)
    throw new InputError(
      `Input 'packs' lists '${bad}', which is not a rule pack id (lower-case letters, digits and dashes).`,
    );
  const [path, config] = (['path', 'config'] as const).map((name) => {
    const value = core.getInput(name) || (name === 'path' ? 'service.yml' : POLICY_PATH);
    // Both are read from the repository, in the checkout and through the API at the base commit.
    if (!isRepositoryPath(value))
      throw new InputError(
        `Input '${name}' must be a path inside the repository, like ${name === 'path' ? 'services/api/service.yml' : POLICY_PATH}; got '${value}'.`,
      );
    return value;
  }) as [string, string];
  return {
    path,
    config,
    packs,
    failOn: failOn as ActionInputs['failOn'],
    comment: comment === 'true',
    sarifFile: core.getInput('sarif-file') || undefined,
    token: core.getInput('token'),
  };
}

interface Event {
  pull_request?: {
    number: number;
    html_url: string;
    base: { sha: string };
    head: { sha: string; repo?: { full_name: string } | null };
  };
  repository?: {
    full_name: string;
    default_branch: string;
    topics?: string[];
    custom_properties?: Record<string, string>;
  };
}

/** What the runner says about this run: the repository, the event, the checkout. */
interface Runner {
  owner: string;
  repo: string;
  event: Event;
  pr?: NonNullable<Event['pull_request']>;
  workspace: string;
  reportPath: string;
  blobUrl: string;
  /** This workflow run, where the job summary lists every finding. */
  runUrl: string;
}

function readRunner(env: NodeJS.ProcessEnv): Runner {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/') as [string, string];
  if (!owner || !repo)
    throw new InputError(
      'GITHUB_REPOSITORY is not set: run this inside a GitHub Actions workflow.',
    );
  const event = (
    env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {}
  ) as Event;
  const pr = event.pull_request;
  const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
  return {
    owner,
    repo,
    event,
    pr,
    workspace,
    reportPath: join(env.RUNNER_TEMP ?? workspace, 'service-gate-report.json'),
    blobUrl: `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/blob/${env.GITHUB_SHA ?? pr?.head.sha ?? 'HEAD'}/`,
    runUrl: `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
  };
}

/** The Action: the same judge and GitHub I/O as the App, reporting through the runner. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const runner = readRunner(process.env);
    if (!inputs.token)
      throw new InputError(
        "Input 'token' is empty: pass token: ${{ github.token }} (the default) or a token that can read this repository.",
      );
    const github = createGitHub(
      inputs.token,
      process.env.GITHUB_API_URL ?? 'https://api.github.com',
      `service-gate-action/${VERSION}`,
    );
    const judged = await judgeCheckout(github, inputs, runner);
    await publish(github, judged, inputs, runner);
  } catch (error) {
    if (error instanceof CouldNotJudge) return couldNotJudge(error);
    core.setFailed(
      error instanceof InputError
        ? error.message
        : `Service Gate could not run: ${describeError(error)}`,
    );
  }
}

/** Judging stopped before a verdict; `conclusion` is what the central policy's on_error makes of that. */
class CouldNotJudge extends Error {
  constructor(
    message: string,
    readonly conclusion: 'failure' | 'neutral',
  ) {
    super(message);
  }
}

/**
 * Fails closed, as the App's check run does: the step fails unless the central policy (read
 * before the error) deliberately chose `on_error: neutral`, when it passes with a warning.
 */
function couldNotJudge(error: CouldNotJudge): void {
  const why = /[.!?…]$/.test(error.message) ? error.message : `${error.message}.`;
  const said = `Service Gate could not evaluate this commit, so nothing was judged: ${why}`;
  core.setOutput('conclusion', error.conclusion);
  if (error.conclusion === 'neutral')
    core.warning(
      `${said} This organisation's policy sets on_error: neutral, so this step does not fail. Re-run the job to judge the commit.`,
    );
  else
    core.setFailed(
      `${said} The step fails until an evaluation succeeds: an error must not let a change through unjudged. Re-run the job; if it fails the same way, report this message.`,
    );
}

/** What was judged, and our comment on the pull request as the same read found it. */
interface Judged {
  report: Report;
  ourComment?: Promise<ExistingComment | undefined>;
}

/** The pull request whose comment this run keeps, when it comments at all (never from a fork). */
function commentTarget(inputs: ActionInputs, runner: Runner) {
  const { pr, owner, repo } = runner;
  if (!inputs.comment || !pr || fromFork(runner)) return undefined;
  return { owner, repo, headSha: pr.head.sha, prNumber: pr.number };
}

function fromFork({ pr, event }: Runner): boolean {
  return (
    pr?.head.repo?.full_name !== undefined && pr.head.repo.full_name !== event.repository?.full_name
  );
}

/**
 * Judges the checked-out head. Policy and base come through the API from the base (PR) or
 * default branch, never from the checkout, so a pull request cannot loosen the rules it is
 * judged by.
 */
async function judgeCheckout(
  github: GitHub,
  inputs: ActionInputs,
  runner: Runner,
): Promise<Judged> {
  const { owner, repo, pr, event } = runner;
  const remote = blobPolicySource(github, owner, repo);
  // Our comment is looked up in the same GraphQL request as the files, not in one of its own.
  const target = commentTarget(inputs, runner);
  const lookup = target && remote.blobs.alongside(publishStateField(target));
  const baseScm = {
    readFile: (path: string, o: { ref?: string; maxBytes?: number } = {}) =>
      remote.readElsewhere(owner, repo, `${o.ref ?? 'HEAD'}:${path}`, o.maxBytes),
  };
  const repository: RepositoryFacts = {
    fullName: `${owner}/${repo}`,
    topics: event.repository?.topics,
    properties: event.repository?.custom_properties,
  };
  // Read together, so the policy files and the base manifest share one GraphQL request.
  const policy = loadPolicyFromGitHub(remote, { path: inputs.config, ref: pr?.base.sha });
  try {
    const [loaded, read] = await Promise.all([
      policy,
      gather(
        {
          scm: new LocalScm(runner.workspace),
          base: pr ? { ref: pr.base.sha, scm: baseScm } : undefined,
        },
        { manifestPath: inputs.path },
      ),
    ]);
    const judge = prepare(loaded, {
      now: today(),
      manifestPath: inputs.path,
      addPacks: inputs.packs,
    });
    const ourComment =
      lookup &&
      lookup()
        .then((x) => resolvePublishState(github, target, x.raw))
        .then((state) => state.comment);
    ourComment?.catch(() => undefined); // awaited when the comment is written
    return { report: judge.evaluate({ ...read, repository }), ourComment };
  } catch (error) {
    // A policy that could not be read cannot have chosen neutral: that fails closed.
    const conclusion = await policy.then(
      (p) => onErrorConclusion(p.policy),
      () => 'failure' as const,
    );
    throw new CouldNotJudge(describeError(error), conclusion);
  }
}

/** The report file, SARIF, job summary, annotations, outputs, PR comment, and the step's result. */
async function publish(
  github: GitHub,
  { report, ourComment }: Judged,
  inputs: ActionInputs,
  runner: Runner,
): Promise<void> {
  const { reportPath, blobUrl, runUrl } = runner;
  const render = (format: 'json' | 'sarif' | 'markdown', hideNotices?: boolean) =>
    renderReport(report, format, {
      toolVersion: VERSION,
      blobUrl,
      hideNotices,
      manifestPath: inputs.path,
      fullReportUrl: runUrl,
      // A PR comment, or the job summary (whose limit is 1 MiB per step).
      maxBytes: hideNotices ? COMMENT_BYTES : GITHUB_LIMITS.jobSummary - 1_000,
    });
  // The comment first: the one write that waits on GitHub goes out before the local ones.
  const commented =
    inputs.comment && runner.pr
      ? comment(
          github,
          runner,
          ourComment,
          worthCommenting(report) ? render('markdown', true) : null,
        )
      : undefined;
  commented?.catch(() => undefined); // awaited below
  // Never through a link: the checkout is the pull request's, and may have planted one.
  writeRegularFile(reportPath, render('json'), {
    root: containingRoot(runner.workspace, reportPath),
  });
  if (inputs.sarifFile) {
    const sarifPath = resolve(runner.workspace, inputs.sarifFile);
    writeRegularFile(sarifPath, render('sarif'), {
      root: containingRoot(runner.workspace, sarifPath),
    });
  }
  const left = annotate(report.findings);
  const summary = render('markdown');
  await core.summary
    .addRaw(
      left > 0
        ? `${summary}\n> ${plural(left, 'finding')} ${left === 1 ? 'is' : 'are'} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level per step); all are listed above and in ${reportPath}.\n`
        : summary,
    )
    .write();

  const counts = countByLevel(report.findings);
  core.setOutput('conclusion', report.conclusion);
  core.setOutput('phase', report.service?.phase ?? '');
  core.setOutput('failures', counts.failure);
  core.setOutput('warnings', counts.warning);
  core.setOutput('report', reportPath);

  await commented;
  if (report.conclusion === 'action_required') {
    core.notice(
      `Approval needed: ${report.approvals.required.map((g) => g.reason).join(' ')} The Action cannot record approvals; the Service Gate App can.`,
    );
  }
  const failing =
    inputs.failOn === 'never'
      ? 0
      : inputs.failOn === 'warning'
        ? counts.failure + counts.warning
        : counts.failure;
  if (failing > 0) {
    core.setFailed(
      `Service Gate: ${plural(counts.failure, 'failure')} and ${plural(counts.warning, 'warning')} in ${inputs.path} (fail-on: ${inputs.failOn}). See the job summary.`,
    );
  }
}

/** Annotations on service.yml lines, at most 10 per level; returns how many were left out. */
export function annotate(findings: readonly Finding[]): number {
  const used = { failure: 0, warning: 0, notice: 0 };
  let left = 0;
  for (const f of findings) {
    const level = f.waived ? 'notice' : f.level;
    if (used[level] >= ANNOTATIONS_PER_LEVEL) {
      left++;
      continue;
    }
    used[level]++;
    const props = {
      file: f.file,
      startLine: f.line,
      startColumn: f.column,
      title: annotationTitle(f),
    };
    const message = annotationMessage(f, ' ');
    if (level === 'failure') core.error(message, props);
    else if (level === 'warning') core.warning(message, props);
    else core.notice(message, props);
  }
  return left;
}

async function comment(
  github: GitHub,
  runner: Runner,
  existing: Promise<ExistingComment | undefined> | undefined,
  body: string | null,
): Promise<void> {
  const { pr, owner, repo } = runner;
  if (!pr) return;
  if (fromFork(runner)) {
    core.notice(
      'This pull request comes from a fork, whose token is read-only: the PR comment is skipped. The job summary and annotations carry the same report.',
    );
    return;
  }
  await writeComment(
    github,
    { owner, repo, number: pr.number, botLogin: 'github-actions[bot]' },
    planComment(await existing, body),
  );
}

function today(): string {
  return (process.env.SERVICE_GATE_TODAY ?? new Date().toISOString()).slice(0, 10);
}
