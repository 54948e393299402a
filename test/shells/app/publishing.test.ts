import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiProblems } from '../../fake-github/openapi.js';
import { FakeGitHub } from '../../fake-github/server.js';
import { COMMENT_MARKER, TOO_LONG } from '../../../src/github/pr-comment.js';
import { exampleFiles } from './fixtures.js';
import { type RunningApp, startApp } from './harness.js';
import { auditedOn, openPullRequest, pullRequestEvent, REPO } from './pull-requests.js';

let app: RunningApp | undefined;
let fake: FakeGitHub;
let baseSha: string;

/** A head whose findings name its audit date, so each head's comment differs. */
const headAudited = (day: number) => fake.addCommit(REPO, auditedOn(day));

/** Days from a 2024-01 audit to the tests' today, as the accessibility rule's message says. */
const auditAge = (day: number) => (Date.UTC(2026, 10, 27) - Date.UTC(2024, 0, day)) / 86_400_000;

const openPr = (number: number, head: string) =>
  openPullRequest(fake, { number, head, base: baseSha });

const prEvent = (action: string, head: string, number: number, updatedAt: string) =>
  pullRequestEvent(action, { number, head, base: baseSha }, { updatedAt });

const commentsOn = (n: number) => fake.comments.get(`${REPO}#${n}`) ?? [];

beforeEach(() => {
  fake = new FakeGitHub();
  baseSha = fake.addRepo(REPO, exampleFiles('live-renew-passport'));
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  expect(openApiProblems(fake.requests)).toEqual([]);
});

describe('failing closed', () => {
  it.each([
    [
      'a central on_error: neutral ends it as neutral',
      { 'hmpo/.github': 'on_error: neutral\n' },
      'neutral',
    ],
    ['without one, it ends as a failure', {}, 'failure'],
    [
      "a repository's own on_error: neutral cannot loosen that",
      { [REPO]: 'on_error: neutral\n' },
      'failure',
    ],
  ] as const)(
    'an exception during evaluation, after the policy is read, ends the check run saying why and how to re-run: %s',
    async (_name, policies: Record<string, string>, conclusion) => {
      for (const [repo, text] of Object.entries(policies))
        fake.addRepo(repo, {
          ...(repo === REPO ? exampleFiles('live-renew-passport') : {}),
          '.github/service-gate.yml': text,
        });
      app = await startApp(fake);
      const head = headAudited(1);
      openPr(7, head);
      // The policy is read (through GraphQL); the commit's tree answer lacks its list: reading
      // it throws inside the evaluation.
      fake.faults.push({ method: 'GET', path: /\/git\/trees\//, status: 200, body: {}, times: 1 });
      await app.deliver('pull_request', prEvent('opened', head, 7, '2026-11-27T10:00:00Z'));
      const runs = fake.checkRuns.filter((r) => r.head_sha === head);
      expect(runs).toEqual([expect.objectContaining({ status: 'completed', conclusion })]);
      expect(runs[0]!.output.title).toBe('Service Gate could not evaluate this commit');
      expect(runs[0]!.output.summary).toMatch(
        /could not evaluate this commit.*: .*tree|undefined/is,
      );
      expect(runs[0]!.output.summary).toContain('`/service-gate recheck`');
      expect(runs[0]!.output.summary).toContain(
        conclusion === 'neutral'
          ? "This organisation's policy sets `on_error: neutral`, so this check does not block merging."
          : 'The check fails until an evaluation succeeds',
      );
      expect(commentsOn(7)).toEqual([]);
      expect(JSON.stringify(fake.requests.find((q) => q.path === '/graphql')?.body)).toContain(
        'HEAD:.github/service-gate.yml',
      );
    },
  );

  it('a comment GitHub refuses with 422 leaves the verdict as it was, and says where the report is', async () => {
    app = await startApp(fake);
    const head = headAudited(1);
    openPr(7, head);
    fake.faults.push({
      method: 'POST',
      path: /\/issues\/7\/comments$/,
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ code: 'custom', message: 'body is too long (maximum is 65536 characters)' }],
      },
      times: 1,
    });
    await app.deliver('pull_request', prEvent('opened', head, 7, '2026-11-27T10:00:00Z'));
    expect(fake.checkRuns.filter((r) => r.head_sha === head)).toEqual([
      expect.objectContaining({ status: 'completed', conclusion: 'failure' }),
    ]);
    expect(fake.checkRuns[0]!.output.title).not.toMatch(/could not evaluate/);
    expect(commentsOn(7).map((c) => c.body)).toEqual([TOO_LONG]);
  });

  it('completes the run a dead process left in progress instead of adding a second', async () => {
    app = await startApp(fake);
    const head = headAudited(1);
    openPr(7, head);
    fake.checkRuns.push({
      id: 1,
      owner: 'hmpo',
      repo: 'renew-passport',
      name: 'Service Standard',
      head_sha: head,
      status: 'in_progress',
      conclusion: null,
      output: {},
      annotations: [],
      app_id: fake.appId,
    });
    await app.deliver('pull_request', prEvent('opened', head, 7, '2026-11-27T10:00:00Z'));
    expect(fake.checkRuns).toEqual([
      expect.objectContaining({ id: 1, status: 'completed', conclusion: 'failure' }),
    ]);
  });
});

describe('bounded retries', () => {
  it('four different requests failing once each with a 502 in one delivery all retry after the base interval', async () => {
    const base = 300;
    app = await startApp(fake, { retryBaseMs: base });
    const head = headAudited(1);
    openPr(7, head);
    for (const [method, path] of [
      ['GET', /\/git\/trees\//],
      ['POST', /^\/graphql$/],
      ['POST', /\/check-runs$/],
      ['POST', /\/issues\/7\/comments$/],
    ] as const)
      fake.faults.push({ method, path, status: 502, times: 1 });
    await app.deliver('pull_request', prEvent('opened', head, 7, '2026-11-27T10:00:00Z'));
    expect(fake.checkRuns).toEqual([expect.objectContaining({ conclusion: 'failure' })]);
    expect(commentsOn(7)).toHaveLength(1);
    const waits = (['/git/trees/', '/graphql', '/check-runs', '/issues/7/comments'] as const).map(
      (part) => {
        const [failed, retried] = fake.requests.filter(
          (r) => r.path.includes(part) && (r.method !== 'GET') === (part !== '/git/trees/'),
        );
        return Math.round(retried!.at - failed!.at);
      },
    );
    // The retry plugin waits (retries so far + 1)² × base: base for every first retry, when
    // each request counts its own retries (a shared count made the fourth wait 16 × base).
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(base - 20);
      expect(wait).toBeLessThan(3 * base);
    }
  });
});

describe('one comment per pull request, describing its newest head', () => {
  it('an opened delivery and a push right after it, for 20 PRs at once, leave one comment each, for the newer head', async () => {
    app = await startApp(fake);
    const prs = Array.from({ length: 20 }, (_, i) => ({
      number: i + 1,
      older: headAudited(1 + (i % 9)),
      newer: headAudited(10 + (i % 9)),
    }));
    // GitHub already shows the push when its delivery arrives.
    for (const p of prs) openPr(p.number, p.newer);
    await Promise.all(
      prs.flatMap((p) => [
        app!.deliver('pull_request', prEvent('opened', p.older, p.number, '2026-11-27T10:00:00Z')),
        app!.deliver(
          'pull_request',
          prEvent('synchronize', p.newer, p.number, '2026-11-27T10:00:05Z'),
        ),
      ]),
    );
    // Probot answers 202 once a handler runs past 9 s: wait for the work, not the answers.
    for (
      let i = 0;
      i < 600 &&
      (fake.checkRuns.filter((r) => r.status === 'completed').length < 40 ||
        prs.some((p) => commentsOn(p.number).length === 0));
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    for (const p of prs) {
      const comments = commentsOn(p.number);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain(COMMENT_MARKER);
      expect(comments[0]!.body).toContain(`was ${auditAge(10 + ((p.number - 1) % 9))} days ago`);
      // Both heads still get their own check run: a check run belongs to a commit.
      expect(fake.checkRuns.filter((r) => r.head_sha === p.older)).toHaveLength(1);
      expect(fake.checkRuns.filter((r) => r.head_sha === p.newer)).toHaveLength(1);
    }
  }, 60_000);

  it('an evaluation of an older head that finishes after a newer delivery arrived does not overwrite its comment', async () => {
    app = await startApp(fake);
    const older = headAudited(1);
    const newer = headAudited(12);
    openPr(7, newer);
    await app.deliver('pull_request', prEvent('synchronize', newer, 7, '2026-11-27T10:00:05Z'));
    const written = commentsOn(7)[0]!.body;
    // A late redelivery of the older push, while GitHub still (wrongly) reported it as head.
    openPr(7, older);
    await app.deliver('pull_request', prEvent('opened', older, 7, '2026-11-27T10:00:00Z'));
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0]!.body).toBe(written);
  });

  it('a burst of 30 deliveries to a fresh instance looks up the bot login once', async () => {
    app = await startApp(fake);
    const heads = Array.from({ length: 30 }, (_, i) => headAudited(1 + (i % 28)));
    heads.forEach((h, i) => openPr(i + 1, h));
    await Promise.all(
      heads.map((h, i) =>
        app!.deliver('pull_request', prEvent('opened', h, i + 1, '2026-11-27T10:00:00Z')),
      ),
    );
    expect(fake.count((r) => r.method === 'GET' && r.path === '/app')).toBe(1);
  }, 60_000);
});
