/**
 * The slice of Octokit that Service Gate's GitHub I/O uses. Probot's context.octokit and the
 * Action's Octokit both satisfy it; every call goes through `request` with a route string, so
 * tests can check each request against GitHub's OpenAPI description.
 */
export interface GitHub {
  request: RequestFn;
  graphql: <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;
}

type RequestFn = (
  route: string,
  params?: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Octokit's route-typed responses are too rich to restate
) => Promise<{ status: number; data: any; headers: Record<string, unknown> }>;

/** Reads every page of a list endpoint, stopping at `max` items. */
export async function paginate<T>(
  github: GitHub,
  route: string,
  params: Record<string, unknown>,
  max = 1000,
): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; out.length < max; page++) {
    const { data } = await github.request(route, { ...params, per_page: 100, page });
    const items = (Array.isArray(data) ? data : (data.check_runs ?? [])) as T[];
    out.push(...items);
    if (items.length < 100) break;
  }
  return out;
}

/**
 * A fetch that gives every attempt its own deadline (retries included), so a hung connection
 * becomes an error that Octokit's retry plugin retries, and in the end a reported failure,
 * never a check run left in progress. Passed to Octokit as `request.fetch`.
 */
export function fetchWithTimeout(ms: number, base: typeof fetch = fetch): typeof fetch {
  return (input, init = {}) =>
    base(input, { ...init, signal: init.signal ?? AbortSignal.timeout(ms) });
}
