import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openApiProblems } from '../../fake-github/openapi.js';
import { FakeGitHub } from '../../fake-github/server.js';
import { exampleFiles, withManifest } from '../app/fixtures.js';
import { atRepo, payload } from '../app/harness.js';
import { node24 as node24Path } from '../../helpers/node24.js';

/**
 * Smoke test of the committed bundle: dist/index.js runs under Node 24 as the runner would
 * start it, with a real pull_request event, step summary and output files, and a fake GitHub
 * API on loopback.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const REPO = 'dwp/claim-carer-support';
let fake: FakeGitHub;
let baseSha: string;

interface Run {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

let NODE24 = '';
beforeAll(async () => {
  NODE24 = await node24Path();
}, 180_000);

beforeEach(async () => {
  fake = new FakeGitHub();
  baseSha = fake.addRepo(
    REPO,
    withManifest(exampleFiles('failing-claim-support'), (y) =>
      y.replace('phase: public-beta', 'phase: private-beta'),
    ),
  );
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
  expect(openApiProblems(fake.requests)).toEqual([]);
});

function node24(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, args, {
      cwd,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
}

async function runAction(
  inputs: Record<string, string>,
  options: { fork?: boolean; event?: string } = {},
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-action-'));
  const workspace = join(dir, 'workspace');
  cpSync(join(ROOT, 'examples/failing-claim-support'), workspace, { recursive: true });
  const event =
    options.event === 'push'
      ? payload('push', undefined, (p) => atRepo(p, 'dwp', 'claim-carer-support'))
      : payload('pull_request', 'opened', (p) => {
          atRepo(p, 'dwp', 'claim-carer-support');
          Object.assign(p.pull_request, {
            number: 12,
            html_url: `https://github.com/${REPO}/pull/12`,
          });
          p.pull_request.base.sha = baseSha;
          p.pull_request.head.repo = {
            ...p.repository,
            full_name: options.fork ? 'someone/claim-carer-support' : REPO,
          };
        });
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  if (options.event !== 'push')
    fake.pulls.set(`${REPO}#12`, {
      number: 12,
      html_url: `https://github.com/${REPO}/pull/12`,
      head: { sha: event.pull_request.head.sha },
      base: { sha: baseSha },
    });
  writeFileSync(join(dir, 'summary.md'), '');
  writeFileSync(join(dir, 'output.txt'), '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event ?? 'pull_request',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_REPOSITORY: REPO,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    RUNNER_TEMP: dir,
    SERVICE_GATE_TODAY: '2026-11-27',
    INPUT_TOKEN: 'ghs_action_token_for_tests',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const { code, stdout } = await node24([join(ROOT, 'dist/index.js')], env);
  expect(stdout).not.toMatch(/SyntaxError|ERR_/);
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(join(dir, 'output.txt'), 'utf8').matchAll(
    /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm,
  ))
    outputs[m[1]!] = m[3]!;
  return { code, stdout, outputs, summary: readFileSync(join(dir, 'summary.md'), 'utf8') };
}

describe('dist/index.js under Node 24', () => {
  it('reports a failing service through outputs, summary, annotations, exit status and one PR comment', async () => {
    const r = await runAction({ comment: 'true', 'sarif-file': 'service-gate.sarif' });
    expect(r.stdout).toMatch(/^::error title=[^\n]*,file=service\.yml,line=\d+,col=\d+::/m);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ conclusion: 'failure', phase: 'public-beta' });
    expect(Number(r.outputs.failures)).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(readFileSync(r.outputs.report!, 'utf8')).conclusion).toBe('failure');
    expect(r.summary).toContain('| Standard | Point | Status | Findings |');
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    expect(annotations.filter((l) => l.startsWith('::warning')).length).toBeLessThanOrEqual(10);
    expect(r.summary).toMatch(/findings are not annotated \(GitHub shows 10 per level per step\)/);
    expect(r.stdout).toMatch(
      /::error::Service Gate: \d+ failures? and \d+ warnings? in service.yml \(fail-on: failure\)/,
    );
    // The base manifest (private-beta) makes this a phase change, judged from the PR's base SHA.
    expect(JSON.parse(readFileSync(r.outputs.report!, 'utf8')).transition).toEqual({
      from: 'private-beta',
      to: 'public-beta',
    });
    expect(fake.comments.get(`${REPO}#12`)).toHaveLength(1);
    const read = JSON.stringify(fake.requests[0]!.body);
    expect(read).toContain(`${baseSha}:.github/service-gate.yml`);
    expect(read).toContain(`${baseSha}:service.yml`);
    expect(read).toContain('HEAD:.github/service-gate.yml');
    // Our comment is looked up in the read of the files; the comment is the one write.
    expect(read).toContain('viewerDidAuthor');
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /graphql',
      'POST /repos/dwp/claim-carer-support/issues/12/comments',
    ]);
    expect(fake.requests.every((q) => q.authorization === 'token ghs_action_token_for_tests')).toBe(
      true,
    );
    expect(r.stdout).not.toContain('ghs_action_token_for_tests');
  }, 120_000);

  it('on push (and schedule), judges the checkout without a base, reads policy from the default branch, and never comments', async () => {
    const r = await runAction({ comment: 'true' }, { event: 'push' });
    expect(r.code).toBe(1);
    expect(r.outputs.conclusion).toBe('failure');
    expect(JSON.parse(readFileSync(r.outputs.report!, 'utf8')).transition).toBeNull();
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /graphql']);
    expect(JSON.stringify(fake.requests[0]!.body)).toContain('HEAD:.github/service-gate.yml');
  }, 120_000);

  it('skips the comment for a fork PR with a notice, and still gates', async () => {
    const r = await runAction({ comment: 'true' }, { fork: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::notice::This pull request comes from a fork');
    expect(fake.requests.filter((q) => q.path.includes('/comments'))).toEqual([]);
  }, 120_000);

  it('fail-on: never passes the step; an invalid input names the input and its values', async () => {
    const never = await runAction({ 'fail-on': 'never' });
    expect(
      never.code,
      never.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::warning') && !l.startsWith('::notice'))
        .join('\n'),
    ).toBe(0);
    const bad = await runAction({ 'fail-on': 'sometimes' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      "::error::Input 'fail-on' must be one of failure, warning, never; got 'sometimes'.",
    );
  }, 120_000);
});

describe('when it cannot evaluate', () => {
  /** The read answered, but with a base manifest that is not text: judging stops after the policy was read. */
  const baseNotText = {
    method: 'POST',
    path: /^\/graphql$/,
    times: 1,
    edit: (answer: unknown, request: { body: unknown }) => {
      const { variables } = request.body as { variables: Record<string, unknown> };
      const [name] = Object.entries(variables).find(([, v]) => v === `${baseSha}:service.yml`)!;
      const data = (answer as { data: Record<string, { object: { text: unknown } }> }).data;
      data[name.replace(/^e/, 'f')]!.object.text = 42;
      return answer;
    },
  };
  const badCredentials = {
    method: 'POST',
    path: /^\/graphql$/,
    times: 1000,
    status: 401,
    body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
  };

  it.each([
    ['a central on_error: neutral passes it with a warning', baseNotText, true, 'neutral'],
    ['by default it fails closed', baseNotText, false, 'failure'],
    ['a policy it could not read fails closed, whatever it says', badCredentials, true, 'failure'],
  ] as const)(
    '%s',
    async (_name, fault, neutral, conclusion) => {
      if (neutral)
        fake.addRepo('dwp/.github', { '.github/service-gate.yml': 'on_error: neutral\n' });
      fake.faults.push({ ...fault });
      const r = await runAction({ comment: 'true' });
      const said =
        /^::(error|warning)::Service Gate could not evaluate this commit, so nothing was judged: (.*)$/m.exec(
          r.stdout,
        );
      expect(said?.[1], r.stdout).toBe(conclusion === 'neutral' ? 'warning' : 'error');
      expect(said![2]).toMatch(
        fault === badCredentials
          ? /^GitHub answered 401: Bad credentials\b.*\. The step/
          : /must be of type string.*\. (The step|This organisation)/,
      );
      expect(said![2]).toContain(
        conclusion === 'neutral'
          ? "This organisation's policy sets on_error: neutral, so this step does not fail."
          : 'The step fails until an evaluation succeeds',
      );
      expect(r.code).toBe(conclusion === 'neutral' ? 0 : 1);
      expect(r.outputs.conclusion).toBe(conclusion);
      expect(r.stdout).not.toMatch(conclusion === 'neutral' ? /^::error/m : /^::warning/m);
      expect(fake.comments.get(`${REPO}#12`) ?? []).toEqual([]);
    },
    120_000,
  );
});
