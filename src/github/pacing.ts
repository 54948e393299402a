import Bottleneck from 'bottleneck/light.js';

/**
 * How Service Gate configures Octokit's throttling and retry plugins (the App's Probot Octokit
 * and the Action's Octokit alike), without replacing either:
 *
 * - GitHub asks for a pause between *mutations* only. The throttling plugin paces every POST,
 *   GraphQL queries included, one a second per key; a GraphQL query here skips that queue (it
 *   still goes through the plugin's concurrency limit and rate-limit handling).
 * - The pacing key is the installation, as GitHub's limits are, so that instances sharing
 *   Redis add throughput across installations instead of sharing one global write queue.
 * - Each request starts its retry back-off from zero: the retry plugin keeps `retryCount` on
 *   `options.request`, which Octokit shares between the requests of one client.
 */

interface ThrottleState {
  write: { key(id: string): { schedule<T>(options: object, job: () => Promise<T>): Promise<T> } };
}

/** A write queue that does not queue: for reads the plugin would otherwise pace. */
const UNPACED: ThrottleState['write'] = {
  key: () => ({ schedule: (_options, job) => job() }),
};

interface RequestOptions {
  method?: string;
  url?: string;
  query?: unknown;
  request?: Record<string, unknown>;
}

/** A GraphQL request that only reads: any operation other than a mutation or subscription. */
export function isGraphQLRead(options: RequestOptions): boolean {
  if (
    options.method !== 'POST' ||
    !new URL(options.url ?? '', 'http://x').pathname.endsWith('/graphql')
  )
    return false;
  const query = typeof options.query === 'string' ? options.query : '';
  return !/^\s*(?:#[^\n]*\n\s*)*(?:mutation|subscription)\b/.test(query);
}

/**
 * Throttle options for one Octokit instance. `retryLimiter` is the plugin's own per-client
 * Bottleneck (it still retries rate-limited requests); it hands GraphQL reads a state whose
 * write queue does not pace.
 */
export function pacingOptions(installationId?: number | string): Record<string, unknown> {
  const retryLimiter = new Bottleneck();
  const schedule = retryLimiter.schedule.bind(retryLimiter) as (...args: unknown[]) => unknown;
  Object.assign(retryLimiter, {
    schedule: (job: unknown, state: ThrottleState, request: unknown, options: RequestOptions) =>
      schedule(
        job,
        isGraphQLRead(options)
          ? Object.create(state, { write: { value: UNPACED, enumerable: true } })
          : state,
        request,
        options,
      ),
  });
  return {
    retryLimiter,
    ...(installationId === undefined ? {} : { id: `installation-${installationId}` }),
  };
}

type Hook = {
  hook: {
    wrap(
      name: 'request',
      fn: (request: (o: RequestOptions) => Promise<unknown>, o: RequestOptions) => Promise<unknown>,
    ): void;
  };
};

/**
 * An Octokit plugin, registered after retry and throttling so that it runs before both: each
 * request gets its own `request` options object, so its retry count (and back-off) starts at
 * zero. Octokit's hooks all share one options object per request, so it is changed in place.
 */
export function freshRetryCount(octokit: Hook): void {
  octokit.hook.wrap('request', (request, options) => {
    options.request = { ...options.request, retryCount: 0 };
    return request(options);
  });
}
