import { escapeMarkdown, markdownCode } from '../../core/render/escape.js';
import { checkRunTitle } from '../../core/render/labels.js';
import { GITHUB_LIMITS, utf8Bytes } from '../../core/render/limits.js';
import { COMMENT_BYTES } from '../../core/render/markdown.js';
import { renderReport } from '../../core/render/renderers.js';
import type { Report } from '../../core/report.js';
import { describeError } from '../../errors.js';
import { gather, prepare } from '../../run/judge.js';
import { BlobReader } from '../../github/blob-reader.js';
import type { GitHub } from '../../github/client.js';
import { teamApprovals } from '../../github/people.js';
import { type LoadedPolicy, loadPolicyFromGitHub } from '../../github/policy.js';
import { explainPolicy } from '../../core/policy/merge.js';
import { worthCommenting } from '../../github/pr-comment.js';
import { publishStateField, resolvePublishState } from '../../github/publish-state.js';
import type { Coordinator } from './coordination.js';
import { onErrorConclusion } from '../../run/on-error.js';
import {
  publishCheck,
  publishComment,
  type PublishContext,
  type PublishedComment,
} from './publish.js';
import { GitHubScm } from '../../github/scm.js';
import { DEFAULT_CHECK_NAME } from '../../core/policy/defaults.js';
import { VERSION } from '../../version.js';

export interface CommitToJudge {
  github: GitHub;
  owner: string;
  repo: string;
  headSha: string;
  /** The pull request's base SHA: the manifest there drives the phase-transition gates. */
  baseSha?: string;
  pr?: { number: number; url: string };
  /** Topics and custom properties from the webhook's repository, for policy targets. */
  topics?: string[];
  properties?: Record<string, string>;
  appId: number;
  botLogin: string;
  now: string;
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void };
  deliveryId: string;
  coordinator: Coordinator;
}

export interface JudgedCommit {
  report?: Report;
  comment?: PublishedComment;
  /** Why it could not evaluate (the check run then says so, failing closed). */
  failed?: string;
  /** The verdict was published, but the comment could not be written. */
  commentFailed?: string;
}

/**
 * Judges one commit and publishes the verdict: a check run always, a PR comment when there is
 * a pull request and something worth saying. The lookup of what exists already (check runs,
 * the comment, the PR's head) rides along with the GraphQL request that reads the files.
 * Anything that stops the evaluation ends the check run as a failure that says so (or neutral
 * where the central policy chose `on_error: neutral`), so nothing is left in progress and
 * nothing passes unjudged. If publishing itself fails, the error is thrown, and the delivery
 * stays unfinished in the journal, to be finished later.
 */
export async function judgeCommit(r: CommitToJudge): Promise<JudgedCommit> {
  const blobs = new BlobReader(r.github);
  const lookup = {
    owner: r.owner,
    repo: r.repo,
    headSha: r.headSha,
    appId: r.appId,
    prNumber: r.pr?.number,
  };
  const raw = blobs.alongside(publishStateField(lookup));
  let state: ReturnType<PublishContext['state']> | undefined;
  const ctx: PublishContext = {
    github: r.github,
    coordinator: r.coordinator,
    owner: r.owner,
    repo: r.repo,
    headSha: r.headSha,
    appId: r.appId,
    pr: r.pr,
    state: () => (state ??= raw().then((x) => resolvePublishState(r.github, lookup, x.raw))),
  };
  let checkName = DEFAULT_CHECK_NAME;
  let onError: 'failure' | 'neutral' = 'failure';
  let policyRead: Promise<LoadedPolicy> | undefined;
  let report: Report;
  let blobUrl: string;
  let server: string;
  let summary: string;
  try {
    const scm = new GitHubScm(r.github, blobs, r.owner, r.repo, r.headSha);
    const repository = {
      fullName: `${r.owner}/${r.repo}`,
      topics: r.topics,
      properties: r.properties,
    };
    // The policy, the commit and the publish lookup are read together, in one GraphQL request.
    policyRead = loadPolicyFromGitHub(scm);
    const [loaded, read] = await Promise.all([
      policyRead,
      gather({ scm, base: r.baseSha ? { ref: r.baseSha } : undefined }),
    ]);
    const judge = prepare(loaded, { now: r.now });
    const policy = judge.policyFor(repository);
    checkName = policy.checkName;
    onError = onErrorConclusion(policy);

    const inputs = { ...read, repository };
    report = judge.evaluate(inputs);
    if (report.approvals.required.length > 0 && r.pr && policy.approvers) {
      const approvedBy = await teamApprovals(r.github, {
        owner: r.owner,
        repo: r.repo,
        number: r.pr.number,
        team: policy.approvers.team,
      });
      if (approvedBy.length > 0) report = judge.evaluate(inputs, approvedBy);
    }

    // The pull request's URL names the right host on GitHub Enterprise Server too.
    server = r.pr ? new URL(r.pr.url).origin : 'https://github.com';
    blobUrl = `${server}/${r.owner}/${r.repo}/blob/${r.headSha}/`;
    const policyNote = sourcesNote(loaded);
    summary =
      renderReport(report, 'markdown', {
        toolVersion: VERSION,
        blobUrl,
        maxBytes: GITHUB_LIMITS.checkSummary - utf8Bytes(policyNote),
      }) + policyNote;
  } catch (error) {
    const message = describeError(error);
    // What stopped the evaluation may have come after the policy was read (the commit's files,
    // the evaluation): its on_error applies then too. A policy that was not read fails closed.
    if (policyRead && onError === 'failure')
      onError = await policyRead.then(
        (p) => onErrorConclusion(p.policy),
        () => 'failure' as const,
      );
    r.log.error(
      { deliveryId: r.deliveryId, repo: `${r.owner}/${r.repo}`, sha: r.headSha, err: message },
      'service gate failed',
    );
    await publishFailure(r, ctx, checkName, onError, message);
    return { failed: message };
  }

  let checkRunId: number;
  try {
    checkRunId = await publishCheck(ctx, checkName, {
      conclusion: report.conclusion,
      title: checkRunTitle(report),
      summary,
      findings: report.findings,
      detailsUrl: r.pr?.url,
    });
  } catch (error) {
    // GitHub refused the verdict (after retries): say so on the run, if it takes that.
    const message = `could not publish the verdict: ${describeError(error)}`;
    r.log.error(
      { deliveryId: r.deliveryId, repo: `${r.owner}/${r.repo}`, sha: r.headSha, err: message },
      'service gate failed',
    );
    await publishFailure(r, ctx, checkName, onError, message);
    return { failed: message };
  }
  let comment: PublishedComment | undefined;
  let commentFailed: string | undefined;
  if (r.pr) {
    // The verdict is already on the check run: a comment GitHub refuses does not change it.
    try {
      comment = await publishComment(
        { ...ctx, pr: r.pr, botLogin: r.botLogin },
        worthCommenting(report)
          ? renderReport(report, 'markdown', {
              toolVersion: VERSION,
              blobUrl,
              hideNotices: true,
              maxBytes: COMMENT_BYTES,
              fullReportUrl: `${server}/${r.owner}/${r.repo}/runs/${checkRunId}`,
            })
          : null,
      );
    } catch (error) {
      commentFailed = describeError(error);
      r.log.error(
        {
          deliveryId: r.deliveryId,
          repo: `${r.owner}/${r.repo}`,
          sha: r.headSha,
          err: commentFailed,
        },
        'could not write the PR comment',
      );
    }
  }
  r.log.info(
    {
      deliveryId: r.deliveryId,
      repo: `${r.owner}/${r.repo}`,
      sha: r.headSha,
      conclusion: report.conclusion,
      comment,
    },
    'service gate evaluated',
  );
  return { report, comment, commentFailed };
}

/**
 * The error verdict. It fails closed: branch protection counts `neutral` as passing, so only a
 * central policy's deliberate `on_error: neutral` gives that. Throws if GitHub cannot take even
 * this (the delivery then stays unfinished, for the journal or a redelivery to finish).
 */
async function publishFailure(
  r: CommitToJudge,
  ctx: PublishContext,
  checkName: string,
  onError: 'failure' | 'neutral',
  message: string,
): Promise<void> {
  try {
    await publishCheck(ctx, checkName, {
      conclusion: onError,
      title: 'Service Gate could not evaluate this commit',
      summary: failureSummary(message, onError, r.deliveryId),
      findings: [],
      detailsUrl: r.pr?.url,
    });
  } catch (second) {
    r.log.error(
      { deliveryId: r.deliveryId, err: describeError(second) },
      'could not report the failure on a check run',
    );
    throw second;
  }
}

export function failureSummary(
  message: string,
  onError: 'failure' | 'neutral',
  deliveryId: string,
): string {
  return [
    `**Service Gate could not evaluate this commit**, so nothing was judged: ${message}`,
    '',
    onError === 'failure'
      ? 'The check fails until an evaluation succeeds: an error must not let a pull request through unjudged.'
      : "This organisation's policy sets `on_error: neutral`, so this check does not block merging.",
    '',
    'To try again, comment `/service-gate recheck` on the pull request, or use **Re-run** on this check.',
    `If it keeps failing, give your administrator the delivery id \`${deliveryId}\`.`,
  ].join('\n');
}

/** Which policy files applied, and which file set each setting that is not a default. */
function sourcesNote(loaded: LoadedPolicy): string {
  const sources = loaded.layers.map((l) => l.file);
  if (sources.length === 0) {
    return "\n<sub>No policy file: defaults apply. Add `.github/service-gate.yml` here or in your organisation's `.github` repository.</sub>\n";
  }
  const set = explainPolicy(loaded.merged).filter((r) => r.source !== 'default');
  const rows = set.map(
    (r) =>
      `| ${markdownCode(r.setting, { inTable: true })} | ${markdownCode(JSON.stringify(r.value), { inTable: true })} | ${escapeMarkdown(r.source)}${r.locked ? ' (locked)' : ''} |`,
  );
  return [
    '',
    `<sub>Policy from ${sources.map((s) => markdownCode(s)).join(' → ')} (default branches only).</sub>`,
    '',
    `<details><summary>Policy settings: ${set.length} set by policy files, the rest defaults</summary>`,
    '',
    '| Setting | Value | Set by |',
    '| - | - | - |',
    ...rows,
    '',
    '</details>',
    '',
  ].join('\n');
}
