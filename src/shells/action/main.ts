import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { evaluate } from '../../core/evaluate.js';
import { parseManifest } from '../../core/manifest/load.js';
import { effectivePolicy } from '../../core/policy/effective.js';
import { renderJson } from '../../core/render/json.js';
import { isRepositoryPath } from '../../core/repository-path.js';
import { notOneOf } from '../../core/suggest.js';
import { annotationMessage } from '../../core/render/labels.js';
import { renderMarkdown } from '../../core/render/markdown.js';
import { renderSarif } from '../../core/render/sarif.js';
import { countByLevel, type Finding, type Report } from '../../core/report.js';
import { blobPolicySource } from '../../github/blob-reader.js';
import { describeError, type GitHub } from '../../github/client.js';
import { createGitHub } from '../../github/octokit.js';
import { loadPolicyFromGitHub, POLICY_PATH } from '../../github/policy.js';
import { upsertPrComment, worthCommenting } from '../../github/pr-comment.js';
import { gatherInputs } from '../../run/check.js';
import { LocalScm } from '../../scm/local.js';
import { VERSION } from '../../version.js';

/** GitHub shows at most 10 annotations of each level per step; more are dropped silently. */
export const ANNOTATIONS_PER_LEVEL = 10;
const FAIL_ON = ['failure', 'warning', 'never'] as const;

export class InputError extends Error {
  override name = 'InputError';
}

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

/** The Action: the same core and GitHub I/O as the App, reporting through the runner. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const env = process.env;
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/') as [string, string];
    if (!owner || !repo)
      throw new InputError(
        'GITHUB_REPOSITORY is not set: run this inside a GitHub Actions workflow.',
      );
    const event = (
      env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {}
    ) as Event;
    const pr = event.pull_request;
    if (!inputs.token)
      throw new InputError(
        "Input 'token' is empty: pass token: ${{ github.token }} (the default) or a token that can read this repository.",
      );
    const github = createGitHub(
      inputs.token,
      env.GITHUB_API_URL ?? 'https://api.github.com',
      `service-gate-action/${VERSION}`,
    );
    const remote = blobPolicySource(github, owner, repo);

    const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
    // Policy and base come through the API from the base (PR) or default branch, never from the
    // checked-out head, so a pull request cannot loosen the rules it is judged by.
    const [loaded, inputsRead, base] = await Promise.all([
      loadPolicyFromGitHub(remote, { path: inputs.config, ref: pr?.base.sha }),
      gatherInputs({ scm: new LocalScm(workspace), manifestPath: inputs.path, now: today() }),
      pr
        ? remote.readElsewhere(owner, repo, `${pr.base.sha}:${inputs.path}`, 128 * 1024)
        : undefined,
    ]);
    const policy = effectivePolicy(loaded.policy, {
      fullName: `${owner}/${repo}`,
      topics: event.repository?.topics,
      properties: event.repository?.custom_properties,
    });
    policy.packs.add = [...policy.packs.add, ...inputs.packs];
    const parsedBase = base?.status === 'ok' ? parseManifest(base.text, inputs.path) : undefined;
    const baseInput = parsedBase?.ok ? parsedBase.manifest : undefined;
    const report = evaluate({
      ...inputsRead,
      base: baseInput,
      policy,
      packs: new Map([...inputsRead.packs, ...loaded.customPacks.map((p) => [p.id, p] as const)]),
      repository: `${owner}/${repo}`,
      setupDiagnostics: loaded.diagnostics,
    });

    const reportPath = join(env.RUNNER_TEMP ?? workspace, 'service-gate-report.json');
    writeFileSync(reportPath, renderJson(report));
    if (inputs.sarifFile)
      writeFileSync(resolve(workspace, inputs.sarifFile), renderSarif(report, VERSION));
    const left = annotate(report.findings);
    const blobUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/blob/${env.GITHUB_SHA ?? pr?.head.sha ?? 'HEAD'}/`;
    const summary = renderMarkdown(report, { blobUrl });
    await core.summary
      .addRaw(
        left > 0
          ? `${summary}\n> ${left} findings are not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level per step); all are listed above and in ${reportPath}.\n`
          : summary,
      )
      .write();

    const counts = countByLevel(report.findings);
    core.setOutput('conclusion', report.conclusion);
    core.setOutput('phase', report.service?.phase ?? '');
    core.setOutput('failures', counts.failure);
    core.setOutput('warnings', counts.warning);
    core.setOutput('report', reportPath);

    if (inputs.comment && pr) await comment(github, owner, repo, pr, event, report, blobUrl);
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
        `Service Gate: ${counts.failure} failing and ${counts.warning} warning findings in ${inputs.path} (fail-on: ${inputs.failOn}). See the job summary.`,
      );
    }
  } catch (error) {
    core.setFailed(
      error instanceof InputError
        ? error.message
        : `Service Gate could not run: ${describeError(error)}`,
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
      title: `${f.waived ? '[waived] ' : ''}${f.title} (${f.rule})`,
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
  owner: string,
  repo: string,
  pr: NonNullable<Event['pull_request']>,
  event: Event,
  report: Report,
  blobUrl: string,
): Promise<void> {
  const fromFork =
    pr.head.repo?.full_name !== undefined && pr.head.repo.full_name !== event.repository?.full_name;
  if (fromFork) {
    core.notice(
      'This pull request comes from a fork, whose token is read-only: the PR comment is skipped. The job summary and annotations carry the same report.',
    );
    return;
  }
  await upsertPrComment(
    github,
    { owner, repo, number: pr.number, botLogin: 'github-actions[bot]' },
    worthCommenting(report) ? renderMarkdown(report, { blobUrl, hideNotices: true }) : null,
  );
}

function today(): string {
  return (process.env.SERVICE_GATE_TODAY ?? new Date().toISOString()).slice(0, 10);
}
