import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiProblems } from '../../fake-github/openapi.js';
import { FakeGitHub } from '../../fake-github/server.js';
import { exampleFiles } from './fixtures.js';
import { SECRET } from './harness.js';
import { auditedOn, openPullRequest, pullRequestEvent, REPO } from './pull-requests.js';
import { type AppProcess, freePort, startAppProcess, until } from './server-process.js';

// These run the built server (lib/, from `npm run build`, which `npm test` runs first).
let fake: FakeGitHub;
let baseSha: string;
let head: string;
let journal: string;
const running: AppProcess[] = [];

const prEvent = () =>
  pullRequestEvent(
    'opened',
    { number: 7, head, base: baseSha },
    { updatedAt: '2026-11-27T10:00:00Z' },
  );

const start = async (port: number) => {
  const app = await startAppProcess(fake, { SERVICE_GATE_JOURNAL: journal }, port);
  running.push(app);
  return app;
};

beforeEach(async () => {
  fake = new FakeGitHub();
  await fake.start();
  baseSha = fake.addRepo(REPO, exampleFiles('live-renew-passport'));
  head = fake.addCommit(REPO, auditedOn(1));
  openPullRequest(fake, { number: 7, head, base: baseSha });
  journal = join(mkdtempSync(join(tmpdir(), 'sg-journal-')), 'journal.jsonl');
});
afterEach(async () => {
  for (const app of running.splice(0)) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
  await fake.stop();
  expect(openApiProblems(fake.requests)).toEqual([]);
});

describe('nothing is lost when the process dies', () => {
  it('killed mid-evaluation (SIGKILL) and started again, the check completes with no new push or comment', async () => {
    const port = await freePort();
    const first = await start(port);
    fake.webhook = { url: first.url, secret: SECRET };
    // The files' GraphQL read never answers: the process is mid-evaluation when it is killed.
    fake.faults.push({ method: 'POST', path: /^\/graphql$/, hang: true, times: 1 });
    const delivered = fake.deliver('pull_request', prEvent());
    await until(() => fake.count((r) => r.path === '/graphql') === 1, 30_000, 'the GraphQL read');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await delivered).toBe(0); // GitHub records it as failed
    expect(fake.checkRuns).toEqual([]);

    await start(port);
    await until(
      () => fake.checkRuns.some((r) => r.status === 'completed'),
      30_000,
      'the check run',
    );
    expect(fake.checkRuns).toEqual([
      expect.objectContaining({ head_sha: head, status: 'completed', conclusion: 'failure' }),
    ]);
    await until(() => (fake.comments.get(`${REPO}#7`) ?? []).length > 0, 30_000, 'the comment');
    expect(fake.comments.get(`${REPO}#7`)).toHaveLength(1);
    // Finished from the journal: GitHub was not asked to redeliver, nothing was delivered again.
    expect(fake.count((r) => r.path.endsWith('/attempts'))).toBe(0);
    expect(fake.deliveries).toHaveLength(1);
  }, 90_000);

  it('a delivery that failed while the App was down is redelivered by the sweep, once', async () => {
    const port = await freePort();
    fake.webhook = { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret: SECRET };
    expect(await fake.deliver('pull_request', prEvent())).toBe(0);
    const app = await start(port);
    await until(
      () => fake.checkRuns.some((r) => r.status === 'completed'),
      30_000,
      'the check run',
    );
    expect(fake.checkRuns).toEqual([
      expect.objectContaining({ head_sha: head, status: 'completed', conclusion: 'failure' }),
    ]);
    expect(fake.count((r) => r.method === 'POST' && r.path.endsWith('/attempts'))).toBe(1);
    await until(() => fake.deliveries.length === 2, 30_000, 'the redelivery to be answered');
    expect(fake.deliveries.map((d) => [d.redelivery, d.status_code])).toEqual([
      [false, 0],
      [true, 200],
    ]);
    // Started again, it sees the successful redelivery and asks for nothing more.
    app.child.kill('SIGKILL');
    await app.exited;
    await start(port);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.count((r) => r.method === 'POST' && r.path.endsWith('/attempts'))).toBe(1);
    expect(fake.checkRuns).toHaveLength(1);
  }, 90_000);
});
