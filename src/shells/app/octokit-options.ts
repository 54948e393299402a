import { ProbotOctokit } from 'probot';
import { fetchWithTimeout } from '../../github/client.js';
import { freshRetryCount, pacingOptions } from '../../github/pacing.js';

type Options = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type Limited = (
  retryAfter: number,
  options: { method?: string; url?: string },
  octokit: { log: { warn: (m: string) => void } },
  retryCount: number,
) => boolean;

export interface Timing {
  /** Deadline for each request attempt. */
  timeoutMs?: number;
  /** Octokit's retry and rate-limit waits are multiples of this (1,000 ms in production). */
  retryBaseMs?: number;
  /** Rate-limited requests are retried this many times, then the failure is reported. */
  rateLimitRetries?: number;
}

/** Retries of a 5xx or a timeout: waits of 1, 4 and 9 × retryBaseMs (the retry plugin's own). */
export const SERVER_ERROR_RETRIES = 3;

/**
 * Octokit settings for the App: Probot already adds the throttling and retry plugins; this
 * bounds them, so a persistent failure ends in a reported error rather than retrying forever.
 * Worst case per request, in production: 4 attempts × 20 s plus 14 s of back-off for 5xx and
 * timeouts; rate limits wait what GitHub's retry-after says, at most twice.
 */
function octokitOptions({
  timeoutMs = 20_000,
  retryBaseMs = 1000,
  rateLimitRetries = 2,
}: Timing = {}): Options {
  const limited: Limited = (retryAfter, options, octokit, retryCount) => {
    octokit.log.warn(
      `GitHub rate limit on ${options.method} ${options.url}; retry ${retryCount + 1} in ${retryAfter}s`,
    );
    return retryCount < rateLimitRetries;
  };
  return {
    request: { fetch: fetchWithTimeout(timeoutMs) },
    retry: { retryAfterBaseValue: retryBaseMs, retries: SERVER_ERROR_RETRIES },
    throttle: {
      retryAfterBaseValue: retryBaseMs,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: limited,
      onSecondaryRateLimit: limited,
    },
  } as Options;
}

/**
 * ProbotOctokit with these options. Probot passes its own throttle options to every instance,
 * which would replace ours wholesale, so they are merged here with ours taking precedence.
 * Each instance gets its own pacing state (see github/pacing.ts): writes are paced per
 * installation, GraphQL reads are not paced, and retry back-off starts afresh per request.
 */
export function serviceGateOctokit(
  timing: Timing = {},
  extraThrottle: Record<string, unknown> = {},
): typeof ProbotOctokit {
  const ours = octokitOptions(timing) as { request: object; retry: object; throttle: object };
  return ProbotOctokit.plugin(freshRetryCount as never).defaults(
    (instance: Record<string, Record<string, unknown> | undefined>) => ({
      ...instance,
      retry: { ...instance.retry, ...ours.retry },
      request: { ...instance.request, ...ours.request },
      throttle: {
        ...instance.throttle,
        ...ours.throttle,
        ...pacingOptions(
          (instance.auth as { installationId?: number } | undefined)?.installationId,
        ),
        ...extraThrottle,
      },
    }),
  );
}
