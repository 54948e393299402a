import { ProbotOctokit } from 'probot';
import { fetchWithTimeout } from '../../github/client.js';

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

/**
 * Octokit settings for the App: Probot already adds the throttling and retry plugins; this
 * bounds them, so a persistent failure ends in a reported error rather than retrying forever.
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
    retry: { retryAfterBaseValue: retryBaseMs },
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
 */
export function serviceGateOctokit(
  timing: Timing = {},
  extraThrottle: Record<string, unknown> = {},
): typeof ProbotOctokit {
  const ours = octokitOptions(timing) as { request: object; retry: object; throttle: object };
  return ProbotOctokit.defaults(
    (instance: Record<string, Record<string, unknown> | undefined>) => ({
      ...instance,
      retry: { ...instance.retry, ...ours.retry },
      request: { ...instance.request, ...ours.request },
      throttle: { ...instance.throttle, ...ours.throttle, ...extraThrottle },
    }),
  );
}
