import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { openApiProblems } from '../../fake-github/openapi.js';
import { FakeGitHub } from '../../fake-github/server.js';
import { exampleFiles, withManifest } from '../app/fixtures.js';

// The runner's annotations and outputs are not what this measures; keep them off stdout.
vi.mock('@actions/core', async (original) => {
  const actual = await original<typeof import('@actions/core')>();
  return { ...actual, error: vi.fn(), warning: vi.fn(), notice: vi.fn(), info: vi.fn() };
});

const REPO = 'hmpo/renew-passport';
const fake = new FakeGitHub();
const saved = { ...process.env };

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  process.env = saved;
  await fake.stop();
});

it("the Action's comment path: one GraphQL read (policy, base manifest and our comment), then the comment", async () => {
  const baseSha = fake.addRepo(REPO, exampleFiles('live-renew-passport'));
  const files = withManifest(exampleFiles('live-renew-passport'), (y) =>
    y.replace('last_audit: 2026-03-11', 'last_audit: 2024-01-01'),
  );
  const headSha = fake.addCommit(REPO, files);
  fake.pulls.set(`${REPO}#7`, {
    number: 7,
    html_url: `https://github.com/${REPO}/pull/7`,
    head: { sha: headSha },
    base: { sha: baseSha },
  });
  const work = mkdtempSync(join(tmpdir(), 'sg-action-comment-'));
  const workspace = join(work, 'checkout');
  cpSync(new URL('../../../examples/live-renew-passport', import.meta.url).pathname, workspace, {
    recursive: true,
  });
  writeFileSync(join(workspace, 'service.yml'), files['service.yml']!);
  const eventPath = join(work, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      pull_request: {
        number: 7,
        html_url: `https://github.com/${REPO}/pull/7`,
        base: { sha: baseSha },
        head: { sha: headSha, repo: { full_name: REPO } },
      },
      repository: { full_name: REPO, default_branch: 'main' },
    }),
  );
  writeFileSync(join(work, 'summary.md'), '');
  writeFileSync(join(work, 'output'), '');
  Object.assign(process.env, {
    INPUT_TOKEN: 'ghs_action_token_for_tests',
    INPUT_COMMENT: 'true',
    'INPUT_FAIL-ON': 'never',
    GITHUB_REPOSITORY: REPO,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: fake.url,
    GITHUB_SHA: headSha,
    RUNNER_TEMP: work,
    GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
    GITHUB_OUTPUT: join(work, 'output'),
    SERVICE_GATE_TODAY: '2026-11-27',
  });
  const { run } = await import('../../../src/shells/action/main.js');
  const requests = () => fake.requests.map((r) => `${r.method} ${r.path.replace(/\d+/g, ':n')}`);
  await run();
  const comments = structuredClone(fake.comments.get(`${REPO}#7`) ?? []);
  expect(comments).toHaveLength(1);
  // One GraphQL read (policy, base manifest and the lookup of our comment), and the comment as
  // the first mutation: with GraphQL reads unpaced, nothing waits for a write slot (the
  // benchmark times this path with the bundle: node bench/run.js action-comment).
  expect(requests()).toEqual([
    'POST /graphql',
    'POST /repos/hmpo/renew-passport/issues/:n/comments',
  ]);
  expect(JSON.stringify(fake.requests[0]!.body)).toContain('viewerDidAuthor');
  expect(openApiProblems(fake.requests)).toEqual([]);

  // A rerun finds its comment in that same read, and leaves it alone when it says the same.
  fake.requests.length = 0;
  await run();
  expect(requests()).toEqual(['POST /graphql']);
  expect(fake.comments.get(`${REPO}#7`)).toEqual(comments);

  // A changed report edits that comment in place.
  fake.requests.length = 0;
  writeFileSync(
    join(workspace, 'service.yml'),
    files['service.yml']!.replace('last_audit: 2024-01-01', 'last_audit: 2024-02-01'),
  );
  await run();
  expect(requests()).toEqual([
    'POST /graphql',
    'PATCH /repos/hmpo/renew-passport/issues/comments/:n',
  ]);
  const edited = fake.comments.get(`${REPO}#7`)!;
  expect(edited.map((c) => c.id)).toEqual([comments[0]!.id]);
  expect(edited[0]!.body).not.toBe(comments[0]!.body);
  expect(openApiProblems(fake.requests)).toEqual([]);
});
