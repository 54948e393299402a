import { escapeMarkdown, markdownCode } from '../../core/render/escape.js';
import { checkRunTitle } from '../../core/render/labels.js';
import { GITHUB_LIMITS, utf8Bytes } from '../../core/render/limits.js';
import { COMMENT_BYTES } from '../../core/render/markdown.js';
import { renderReport } from '../../core/render/renderers.js';
import type { Report } from '../../core/report.js';
import { describeError } from '../../errors.js';
import { gather, prepare } from '../../run/judge.js';
import { BlobReader } from '../../github/blob-reader.js';
import { completeCheckRun, startCheckRun, type CheckRunTarget } from '../../github/check-run.js';
import type { GitHub } from '../../github/client.js';
import { teamApprovals } from '../../github/people.js';
import { type LoadedPolicy, loadPolicyFromGitHub } from '../../github/policy.js';
import { explainPolicy } from '../../core/policy/merge.js';
import { upsertPrComment, worthCommenting } from '../../github/pr-comment.js';
import { GitHubScm } from '../../github/scm.js';
import { DEFAULT_CHECK_NAME } from '../../core/policy/defaults.js';
import { VERSION } from '../../version.js';

export interface GateRequest {
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
}

export interface GateOutcome {
  report?: Report;
  comment?: string;
  failed?: string;
}

/**
 * Judges one commit and decides what to do with the findings: a check run always, a PR comment
 * when there is a pull request and something worth saying. Any failure still completes the
 * check run (neutral, saying what failed), so nothing is left in progress.
 */
export async function runGate(r: GateRequest): Promise<GateOutcome> {
  const target: CheckRunTarget = {
    owner: r.owner,
    repo: r.repo,
    headSha: r.headSha,
    name: DEFAULT_CHECK_NAME,
    appId: r.appId,
  };
  let checkRunId: number | undefined;
  try {
    const blobs = new BlobReader(r.github);
    const scm = new GitHubScm(r.github, blobs, r.owner, r.repo, r.headSha);
    const repository = {
      fullName: `${r.owner}/${r.repo}`,
      topics: r.topics,
      properties: r.properties,
    };
    // The policy and the commit are read together, so they share one GraphQL request.
    const [loaded, read] = await Promise.all([
      loadPolicyFromGitHub(scm),
      gather({ scm, base: r.baseSha ? { ref: r.baseSha } : undefined }),
    ]);
    const judge = prepare(loaded, { now: r.now });
    const policy = judge.policyFor(repository);
    target.name = policy.checkName;
    checkRunId = await startCheckRun(r.github, target, r.pr?.url);

    const inputs = { ...read, repository };
    let report = judge.evaluate(inputs);
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
    const server = r.pr ? new URL(r.pr.url).origin : 'https://github.com';
    const blobUrl = `${server}/${r.owner}/${r.repo}/blob/${r.headSha}/`;
    const fullReportUrl = `${server}/${r.owner}/${r.repo}/runs/${checkRunId}`;
    const policyNote = sourcesNote(loaded);
    await completeCheckRun(r.github, target, checkRunId, {
      conclusion: report.conclusion,
      title: checkRunTitle(report),
      summary:
        renderReport(report, 'markdown', {
          toolVersion: VERSION,
          blobUrl,
          maxBytes: GITHUB_LIMITS.checkSummary - utf8Bytes(policyNote),
        }) + policyNote,
      findings: report.findings,
      detailsUrl: r.pr?.url,
    });
    let comment: string | undefined;
    if (r.pr) {
      comment = await upsertPrComment(
        r.github,
        { owner: r.owner, repo: r.repo, number: r.pr.number, botLogin: r.botLogin },
        worthCommenting(report)
          ? renderReport(report, 'markdown', {
              toolVersion: VERSION,
              blobUrl,
              hideNotices: true,
              maxBytes: COMMENT_BYTES,
              fullReportUrl,
            })
          : null,
      );
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
    return { report, comment };
  } catch (error) {
    const message = describeError(error);
    r.log.error(
      { deliveryId: r.deliveryId, repo: `${r.owner}/${r.repo}`, sha: r.headSha, err: message },
      'service gate failed',
    );
    await reportFailure(r, target, checkRunId, message);
    return { failed: message };
  }
}

async function reportFailure(
  r: GateRequest,
  target: CheckRunTarget,
  knownId: number | undefined,
  message: string,
): Promise<void> {
  try {
    const id = knownId ?? (await startCheckRun(r.github, target, r.pr?.url));
    await completeCheckRun(r.github, target, id, {
      conclusion: 'neutral',
      title: 'Service Gate could not evaluate this commit',
      summary: `Service Gate could not finish: ${message}\n\nNothing was judged, so this check neither passes nor fails. Comment \`/service-gate recheck\` on the pull request, or use **Re-run**, to try again. Delivery: \`${r.deliveryId}\`.`,
      findings: [],
      detailsUrl: r.pr?.url,
    });
  } catch (second) {
    // GitHub is unreachable even for the report: the delivery log is the record (and the
    // webhook delivery shows as failed, so it can be redelivered).
    r.log.error(
      { deliveryId: r.deliveryId, err: describeError(second) },
      'could not report the failure on a check run',
    );
    throw second;
  }
}

/** Which policy files applied, and which file set each setting that is not a default. */
function sourcesNote(loaded: LoadedPolicy): string {
  if (!loaded.merged || loaded.sources.length === 0) {
    return "\n<sub>No policy file: defaults apply. Add `.github/service-gate.yml` here or in your organisation's `.github` repository.</sub>\n";
  }
  const set = explainPolicy(loaded.merged).filter((r) => r.source !== 'default');
  const rows = set.map(
    (r) =>
      `| ${markdownCode(r.setting, { inTable: true })} | ${markdownCode(JSON.stringify(r.value), { inTable: true })} | ${escapeMarkdown(r.source)}${r.locked ? ' (locked)' : ''} |`,
  );
  return [
    '',
    `<sub>Policy from ${loaded.sources.map((s) => markdownCode(s)).join(' → ')} (default branches only).</sub>`,
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
