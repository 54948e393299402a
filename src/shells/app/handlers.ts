import type { EmitterWebhookEventName } from '@octokit/webhooks';
import type { Context, Probot } from 'probot';
import type { GitHub } from '../../github/client.js';
import { canWrite } from '../../github/people.js';
import type { Coordinator } from './coordination.js';

export const RECHECK_COMMAND = /^\s*\/service-gate\s+recheck\b/m;

/**
 * `/service-gate recheck` evaluates at most once in this many milliseconds per pull request,
 * across instances (the coordinator); SERVICE_GATE_RECHECK_INTERVAL_MS overrides it.
 */
export const RECHECK_INTERVAL_MS = 60_000;

export type PullRequestLike = {
  number: number;
  html_url?: string;
  url?: string;
  updated_at?: string;
  head: { sha: string };
  base: { sha: string };
};

/** Evaluates one commit (of a pull request, when given) for the delivery in `context`. */
export type GateFn = (context: Context, headSha: string, pr?: PullRequestLike) => Promise<unknown>;

/** Runs around each handler (the journal: accepted before answering, done once published). */
export type Around = (context: Context, handler: () => Promise<void>) => Promise<void>;

/**
 * Which events evaluate which commits: the routing only; `gate` does the work. Events that
 * are not Service Gate's (other apps' check runs, edits that keep the base) cost no request.
 */
export function registerHandlers(
  probot: Probot,
  options: {
    appId: number;
    gate: GateFn;
    around?: Around;
    coordinator: Coordinator;
    recheckIntervalMs?: number;
  },
): void {
  const { gate, coordinator } = options;
  const recheckIntervalMs = options.recheckIntervalMs ?? RECHECK_INTERVAL_MS;
  const around: Around = options.around ?? ((_context, handler) => handler());
  const app = {
    on: <E extends EmitterWebhookEventName>(
      events: E | E[],
      handler: (context: Context<E>) => Promise<void>,
    ) =>
      probot.on(events, ((context: Context<E>) =>
        around(context as unknown as Context, () => handler(context))) as never),
  };
  app.on(
    ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'],
    async (context) => {
      await gate(context, context.payload.pull_request.head.sha, context.payload.pull_request);
    },
  );

  app.on('pull_request.edited', async (context) => {
    // Only a new base changes the verdict (it changes the phase transition being judged).
    if (!(context.payload.changes as { base?: unknown }).base) return;
    await gate(context, context.payload.pull_request.head.sha, context.payload.pull_request);
  });

  app.on(['pull_request_review.submitted', 'pull_request_review.dismissed'], async (context) => {
    await gate(
      context,
      context.payload.pull_request.head.sha,
      context.payload.pull_request as PullRequestLike,
    );
  });

  app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
    const suite = context.payload.check_suite;
    if (suite.app?.id !== options.appId) return;
    const prs = suite.pull_requests as PullRequestLike[];
    // A push sends check_suite.requested beside pull_request.synchronize (or push, on the
    // default branch); those events already evaluate, so requested only covers other branches.
    if (
      context.payload.action === 'requested' &&
      (prs.length > 0 || suite.head_branch === context.payload.repository.default_branch)
    )
      return;
    if (prs.length === 0) return void (await gate(context, suite.head_sha));
    for (const pr of prs) await gate(context, suite.head_sha, await fetchPull(context, pr.number));
  });

  app.on(['check_run.rerequested', 'check_run.requested_action'], async (context) => {
    const run = context.payload.check_run;
    if (run.app?.id !== options.appId) return;
    if (
      context.payload.action === 'requested_action' &&
      (context.payload as { requested_action?: { identifier?: string } }).requested_action
        ?.identifier !== 'recheck'
    )
      return;
    const pr = (run.pull_requests as PullRequestLike[])[0];
    await gate(context, run.head_sha, pr ? await fetchPull(context, pr.number) : undefined);
  });

  app.on('push', async (context) => {
    const { ref, after, repository, deleted } = context.payload;
    if (deleted || ref !== `refs/heads/${repository.default_branch}`) return;
    await gate(context, after);
  });

  app.on(['installation.created', 'installation_repositories.added'], async (context) => {
    const payload = context.payload as {
      repositories?: { full_name: string }[];
      repositories_added?: { full_name: string }[];
    };
    const repositories = payload.repositories_added ?? payload.repositories ?? [];
    for (const { full_name } of repositories) {
      const [owner, repo] = full_name.split('/') as [string, string];
      try {
        const { data } = await context.octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
          owner,
          repo,
          ref: 'HEAD',
        });
        await gate(withRepo(context, owner, repo), data.sha);
      } catch (e) {
        context.log.warn(
          { deliveryId: context.id, repo: full_name, err: (e as Error).message },
          'no first evaluation (empty repository?)',
        );
      }
    }
  });

  app.on('issue_comment.created', async (context) => {
    const { comment, issue } = context.payload;
    if (!issue.pull_request || !RECHECK_COMMAND.test(comment.body) || comment.user?.type === 'Bot')
      return;
    const { owner, repo } = context.repo();
    const login = comment.user?.login ?? '';
    const limit = `${owner}/${repo}#${issue.number}`;
    // Refusals are answered once per window per PR (`key`), however many comments ask.
    const answerOnce = async (key: string, ms: number, body: string) => {
      if ((await coordinator.claimWindow(key, context.id, Math.max(1, ms))).holder === context.id)
        await context.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: issue.number,
          body,
        });
    };
    if (!(await canWrite(context.octokit as unknown as GitHub, owner, repo, login)))
      return answerOnce(
        `recheck-not-allowed:${limit}`,
        recheckIntervalMs,
        `@${login} thanks — only people with write access can ask Service Gate to re-check. A maintainer can comment \`/service-gate recheck\`, or push a new commit.`,
      );
    // One evaluation per window per PR; the same delivery again (a redelivery, a recovery) is
    // the same request.
    const window = await coordinator.claimWindow(`recheck:${limit}`, context.id, recheckIntervalMs);
    if (window.holder !== context.id)
      return answerOnce(
        `recheck-refused:${limit}`,
        window.msLeft,
        `@${login} Service Gate re-checks a pull request at most once every ${seconds(recheckIntervalMs)}. \`/service-gate recheck\` will work again on this one in ${seconds(window.msLeft)}; pushing a commit re-evaluates at once.`,
      );
    const pr = await fetchPull(context, issue.number);
    await gate(context, pr.head.sha, pr);
  });
}

const seconds = (ms: number) => {
  const n = Math.max(1, Math.ceil(ms / 1000));
  return n === 1 ? '1 second' : `${n} seconds`;
};

async function fetchPull(context: Context, number: number): Promise<PullRequestLike> {
  const { owner, repo } = context.repo();
  const { data } = await context.octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner,
    repo,
    pull_number: number,
  });
  return data as PullRequestLike;
}

/** Installation events carry many repositories; context.repo() must name the one being judged. */
function withRepo(context: Context, owner: string, repo: string): Context {
  return Object.assign(Object.create(context) as Context, {
    repo: <T>(o?: T) => ({ owner, repo, ...o }),
  });
}
