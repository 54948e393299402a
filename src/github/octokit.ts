import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { fetchWithTimeout, type GitHub } from './client.js';
import { freshRetryCount, pacingOptions } from './pacing.js';

/**
 * A token-authenticated client for the Action and the CLI's audit and drift commands, with
 * Octokit's retry (5xx, timeouts) and throttling (rate limits, at most two retries) plugins.
 * The App uses Probot's own Octokit, which has the same plugins. Mutations are paced one a
 * second, as GitHub asks; GraphQL reads are not (see pacing.ts).
 */
export function createGitHub(
  token: string,
  baseUrl: string,
  userAgent: string,
  throttle: Record<string, unknown> = {},
): GitHub {
  const Client = Octokit.plugin(retry, throttling, freshRetryCount as never);
  const limited = (_after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < 2;
  return new Client({
    auth: token,
    baseUrl,
    userAgent,
    request: { fetch: fetchWithTimeout(20_000) },
    throttle: {
      onRateLimit: limited,
      onSecondaryRateLimit: limited,
      ...pacingOptions(),
      ...throttle,
    },
  }) as unknown as GitHub;
}
