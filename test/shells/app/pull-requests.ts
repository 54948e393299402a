import type { FakeGitHub } from '../../fake-github/server.js';
import { exampleFiles, withManifest } from './fixtures.js';
import { atRepo, payload } from './harness.js';

/** The repository the App tests judge: the live example, published as hmpo/renew-passport. */
export const REPO = 'hmpo/renew-passport';

/** A pull request as the tests open it: its number, head commit and base commit. */
export interface PullRequest {
  number: number;
  head: string;
  base: string;
}

/**
 * The live example with its accessibility audit moved to 2024-01-`day`: a head with findings whose
 * messages name the audit's age, so heads audited on different days get different comments.
 */
export function auditedOn(day: number): Record<string, string> {
  return withManifest(exampleFiles('live-renew-passport'), (y) =>
    y.replace('last_audit: 2026-03-11', `last_audit: 2024-01-${String(day).padStart(2, '0')}`),
  );
}

/** The PR open on the fake GitHub, as its REST and GraphQL reads then return it. */
export function openPullRequest(fake: FakeGitHub, pr: PullRequest, repo = REPO): void {
  fake.pulls.set(`${repo}#${pr.number}`, {
    number: pr.number,
    html_url: `https://github.com/${repo}/pull/${pr.number}`,
    head: { sha: pr.head },
    base: { sha: pr.base },
  });
}

/** A `pull_request` delivery for the PR, built from GitHub's own example payload. */
export function pullRequestEvent(
  action: string,
  pr: PullRequest,
  options: { updatedAt?: string; repo?: string } = {},
): Record<string, any> {
  const [owner, name] = (options.repo ?? REPO).split('/') as [string, string];
  return payload('pull_request', action, (p) => {
    atRepo(p, owner, name);
    p.number = pr.number;
    p.pull_request.number = pr.number;
    p.pull_request.html_url = `https://github.com/${owner}/${name}/pull/${pr.number}`;
    if (options.updatedAt) p.pull_request.updated_at = options.updatedAt;
    p.pull_request.head.sha = pr.head;
    p.pull_request.base.sha = pr.base;
  });
}
