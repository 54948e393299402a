import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openApiProblems } from '../fake-github/openapi.js';
import { FakeGitHub } from '../fake-github/server.js';
import { exampleFiles } from '../shells/app/fixtures.js';
import { atRepo, payload, SECRET } from '../shells/app/harness.js';
import { auditedOn, openPullRequest, pullRequestEvent, REPO } from '../shells/app/pull-requests.js';
import { type AppProcess, freePort, startAppProcess, until } from '../shells/app/server-process.js';

// `npm run test:services`: two App processes (the built lib/) sharing a real Redis server,
// Debian's redis-server started here on a free loopback port.
let redis: ChildProcess;
let redisUrl: string;
let fake: FakeGitHub;
let baseSha: string;
const running: AppProcess[] = [];

beforeAll(async () => {
  const port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  redis.stdout!.on('data', (d) => (out += String(d)));
  redis.on('error', (e) => (out += `could not start redis-server: ${e.message}`));
  await until(
    () => /Ready to accept connections/.test(out) || redis.exitCode !== null,
    20_000,
    'redis-server',
  );
  if (redis.exitCode !== null) throw new Error(`redis-server did not start:\n${out}`);
  redisUrl = `redis://127.0.0.1:${port}`;
});
afterAll(() => {
  redis?.kill('SIGKILL');
});

beforeEach(async () => {
  // A fresh database per test (each test's instances start clean).
  const { Redis } = await import('ioredis');
  const client = new Redis(redisUrl);
  await client.flushall();
  await client.quit();
  fake = new FakeGitHub();
  await fake.start();
  baseSha = fake.addRepo(REPO, exampleFiles('live-renew-passport'));
});
afterEach(async () => {
  for (const app of running.splice(0)) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
  await fake.stop();
  expect(openApiProblems(fake.requests)).toEqual([]);
});

const start = async (env: Record<string, string> = {}, port?: number) => {
  const app = await startAppProcess(fake, { REDIS_URL: redisUrl, ...env }, port);
  running.push(app);
  return app;
};

const headAudited = (day: number) => fake.addCommit(REPO, auditedOn(day));
/** Days from a 2024-01 audit to today (the App processes judge as of the real date). */
const auditAge = (day: number) =>
  (Date.parse(new Date().toISOString().slice(0, 10)) - Date.UTC(2024, 0, day)) / 86_400_000;

const prEvent = (action: string, head: string, number: number, updatedAt: string) =>
  pullRequestEvent(action, { number, head, base: baseSha }, { updatedAt });

describe('two instances sharing Redis', () => {
  it('the same PRs delivered to both at once: one check run per head SHA, one comment per PR, for the newest head', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    fake.webhook = { url: a.url, secret: SECRET };
    const prs = Array.from({ length: 8 }, (_, i) => ({
      number: i + 1,
      older: headAudited(1 + i),
      newer: headAudited(10 + i),
    }));
    for (const p of prs) openPullRequest(fake, { number: p.number, head: p.newer, base: baseSha });
    const statuses = await Promise.all(
      prs.flatMap((p) =>
        [a, b].flatMap((instance) => [
          fake.deliver(
            'pull_request',
            prEvent('opened', p.older, p.number, '2026-11-27T10:00:00Z'),
            { url: instance.url },
          ),
          fake.deliver(
            'pull_request',
            prEvent('synchronize', p.newer, p.number, '2026-11-27T10:00:05Z'),
            { url: instance.url },
          ),
        ]),
      ),
    );
    expect(statuses.filter((s) => s !== 200 && s !== 202)).toEqual([]);
    await until(
      () => fake.checkRuns.filter((r) => r.status === 'completed').length >= 16,
      60_000,
      'the check runs',
    );
    // Writes are paced a second apart per installation, across both instances (Redis).
    await until(
      () => prs.every((p) => (fake.comments.get(`${REPO}#${p.number}`) ?? []).length > 0),
      60_000,
      'the comments',
    );
    await new Promise((r) => setTimeout(r, 2000)); // nothing more arrives
    for (const p of prs) {
      expect(fake.checkRuns.filter((r) => r.head_sha === p.older)).toHaveLength(1);
      expect(fake.checkRuns.filter((r) => r.head_sha === p.newer)).toHaveLength(1);
      const comments = fake.comments.get(`${REPO}#${p.number}`) ?? [];
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain(`was ${auditAge(10 + p.number - 1)} days ago`);
    }
  }, 120_000);

  it('an instance killed mid-evaluation: the other one finishes its delivery from the shared journal', async () => {
    const head = headAudited(3);
    openPullRequest(fake, { number: 7, head, base: baseSha });
    const [a] = await Promise.all([
      start({ SERVICE_GATE_RECOVER_EVERY_MS: '1000' }),
      start({ SERVICE_GATE_RECOVER_EVERY_MS: '1000' }),
    ]);
    fake.webhook = { url: a!.url, secret: SECRET };
    fake.faults.push({ method: 'POST', path: /^\/graphql$/, hang: true, times: 1 });
    const delivered = fake.deliver(
      'pull_request',
      prEvent('opened', head, 7, '2026-11-27T10:00:00Z'),
    );
    await until(() => fake.count((r) => r.path === '/graphql') === 1, 30_000, 'the GraphQL read');
    a!.child.kill('SIGKILL');
    await a!.exited;
    expect(await delivered).toBe(0);
    // The survivor sees the dead instance's heartbeat lapse, then finishes its delivery.
    await until(
      () => fake.checkRuns.some((r) => r.status === 'completed'),
      60_000,
      'the check run',
    );
    expect(fake.checkRuns).toEqual([
      expect.objectContaining({ head_sha: head, status: 'completed', conclusion: 'failure' }),
    ]);
    expect(fake.count((r) => r.path.endsWith('/attempts'))).toBe(0);
  }, 120_000);

  it('a delivery that failed while both were down is redelivered once, not once per instance', async () => {
    const head = headAudited(4);
    openPullRequest(fake, { number: 7, head, base: baseSha });
    const port = await freePort();
    fake.webhook = { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret: SECRET };
    expect(
      await fake.deliver('pull_request', prEvent('opened', head, 7, '2026-11-27T10:00:00Z')),
    ).toBe(0);
    await Promise.all([start({}, port), start()]);
    await until(
      () => fake.checkRuns.some((r) => r.status === 'completed'),
      60_000,
      'the check run',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.count((r) => r.method === 'POST' && r.path.endsWith('/attempts'))).toBe(1);
    expect(fake.checkRuns).toHaveLength(1);
  }, 120_000);

  it('/service-gate recheck: one evaluation per window per PR, and one refusal reply, across both', async () => {
    const interval = 20_000;
    const env = { SERVICE_GATE_RECHECK_INTERVAL_MS: String(interval) };
    const [a, b] = await Promise.all([start(env), start(env)]);
    fake.webhook = { url: a.url, secret: SECRET };
    const head = headAudited(5);
    openPullRequest(fake, { number: 7, head, base: baseSha });
    fake.permissions.set(`${REPO}:maintainer`, 'maintain');
    const recheck = payload('issue_comment', 'created', (p) => {
      atRepo(p, 'hmpo', 'renew-passport');
      p.issue.number = 7;
      p.issue.pull_request = { url: `https://api.github.com/repos/${REPO}/pulls/7` };
      p.comment.body = '/service-gate recheck';
      p.comment.user = { ...p.comment.user, login: 'maintainer', type: 'User' };
    });
    const published = () =>
      fake.count((r) => r.method !== 'GET' && /\/check-runs(\/|$)/.test(r.path));
    const refusals = () =>
      (fake.comments.get(`${REPO}#7`) ?? []).filter((c) => /re-checks a pull request/.test(c.body));

    const opened = Date.now();
    expect(await fake.deliver('issue_comment', recheck, { url: a.url })).toBe(200);
    expect(fake.checkRuns).toEqual([expect.objectContaining({ status: 'completed' })]);
    const once = published();
    expect(await fake.deliver('issue_comment', recheck, { url: b!.url })).toBe(200);
    expect(await fake.deliver('issue_comment', recheck, { url: a.url })).toBe(200);
    expect(await fake.deliver('issue_comment', recheck, { url: b!.url })).toBe(200);
    // All of that was inside the window (else the test says nothing).
    expect(Date.now() - opened).toBeLessThan(interval);
    expect(published()).toBe(once);
    expect(refusals()).toHaveLength(1);

    await new Promise((r) => setTimeout(r, opened + interval + 500 - Date.now()));
    expect(await fake.deliver('issue_comment', recheck, { url: b!.url })).toBe(200);
    expect(published()).toBeGreaterThan(once);
    expect(fake.checkRuns).toHaveLength(1);
    expect(refusals()).toHaveLength(1);
  }, 120_000);
});
