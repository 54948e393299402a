import type { Context, Probot } from 'probot';
import type { GitHub } from '../../github/client.js';
import { botLoginResolver } from './bot-login.js';
import { type Coordinator, MemoryCoordinator, recordHead } from './coordination.js';
import { judgeCommit, type JudgedCommit } from './judge-commit.js';
import { type PullRequestLike, registerHandlers } from './handlers.js';
import type { Journal } from './journal.js';
import { journaling } from './journaling.js';
import { startRecovery, type RecoveryOptions } from './recovery.js';

export { RECHECK_COMMAND } from './handlers.js';

export interface AppOptions {
  appId: number;
  /** The app's bot login (slug + "[bot]"); looked up once with GET /app when not given. */
  botLogin?: string;
  /** Today as YYYY-MM-DD; injected by tests. */
  today?: () => string;
  /** Locks and memory shared between instances (Redis); one process's memory by default. */
  coordinator?: Coordinator;
  /** Where accepted deliveries are recorded until published; none by default (tests). */
  journal?: Journal;
  /** How often to finish orphaned deliveries and sweep GitHub's failed ones (ms). */
  recoverEveryMs?: number;
  recovery?: Pick<RecoveryOptions, 'windowMs' | 'maxRedeliveries' | 'maxAttempts'>;
  /** At most one `/service-gate recheck` evaluation per PR in this long (RECHECK_INTERVAL_MS). */
  recheckIntervalMs?: number;
}

/**
 * The Probot shell: routes events (handlers.ts) to judgeCommit. Work for one commit is serialised
 * in this process, so a redelivery that arrives mid-run waits, then finds the run and comment
 * to update; publishing is serialised across instances by the coordinator.
 */
export function serviceGateApp(options: AppOptions) {
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const coordinator = options.coordinator ?? new MemoryCoordinator();
  const inFlight = new Map<string, Promise<unknown>>();

  return (app: Probot) => {
    const botLogin = botLoginResolver(options.botLogin, async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request('GET /app');
      return `${(data as { slug: string }).slug}[bot]`;
    });

    const journal = options.journal;
    const { around, accept } = journaling(journal);

    const gate = async (
      context: Context,
      headSha: string,
      pr?: PullRequestLike,
    ): Promise<JudgedCommit> => {
      const { owner, repo } = context.repo();
      await accept(context);
      if (pr?.updated_at)
        await recordHead(coordinator, `${owner}/${repo}`, pr.number, {
          sha: headSha,
          at: pr.updated_at,
        });
      const key = `${owner}/${repo}@${headSha}`;
      const previous = inFlight.get(key) ?? Promise.resolve();
      const run = previous
        .catch(() => undefined)
        .then(async () =>
          judgeCommit({
            github: context.octokit as unknown as GitHub,
            owner,
            repo,
            headSha,
            baseSha: pr?.base.sha,
            pr: pr
              ? {
                  number: pr.number,
                  url: pr.html_url ?? `https://github.com/${owner}/${repo}/pull/${pr.number}`,
                }
              : undefined,
            appId: options.appId,
            botLogin: await botLogin(),
            now: today(),
            log: context.log,
            deliveryId: context.id,
            coordinator,
            ...repositoryFacts(context),
          }),
        );
      inFlight.set(key, run);
      try {
        return await run;
      } finally {
        if (inFlight.get(key) === run) inFlight.delete(key);
      }
    };

    registerHandlers(app, {
      appId: options.appId,
      gate,
      around,
      coordinator,
      recheckIntervalMs: options.recheckIntervalMs,
    });

    if (journal)
      startRecovery(
        {
          journal,
          coordinator,
          receive: (event) => app.receive(event as Parameters<Probot['receive']>[0]),
          appGitHub: async () => (await app.auth()) as unknown as GitHub,
          log: app.log,
          ...options.recovery,
        },
        options.recoverEveryMs,
      );
  };
}

function repositoryFacts(context: Context): {
  topics?: string[];
  properties?: Record<string, string>;
} {
  const repository = (
    context.payload as {
      repository?: { topics?: string[]; custom_properties?: Record<string, string> };
    }
  ).repository;
  return { topics: repository?.topics, properties: repository?.custom_properties };
}
