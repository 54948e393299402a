import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../../fake-github/server.js';
import { node24 } from '../../helpers/node24.js';
import { exampleFiles } from './fixtures.js';
import { atRepo, payload } from './harness.js';

/**
 * Docker is not available here, so this replays the Dockerfile: each stage is a temp folder
 * holding exactly the files its COPY lines bring, its RUN lines run there, and the last stage's
 * CMD starts the App under Node 24. A COPY the build needs but the Dockerfile lacks fails here.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;

interface Stage {
  name: string;
  base: string;
  workdir: string;
  env: Record<string, string>;
  steps: ({ copy: string[]; dest: string; from?: string } | { run: string })[];
  cmd?: string[];
}

/** The Dockerfile's instructions this project uses; anything else is an error, not a skip. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const stage = stages.at(-1);
    switch (instruction) {
      case 'FROM': {
        const [base, , name] = args.split(/\s+/);
        stages.push({
          name: name ?? `stage${stages.length}`,
          base: base!,
          workdir: '/',
          env: {},
          steps: [],
        });
        break;
      }
      case 'WORKDIR':
        stage!.workdir = args;
        break;
      case 'ENV':
        for (const pair of args.split(/\s+/)) {
          const [k, v] = pair.split('=');
          stage!.env[k!] = v!;
        }
        break;
      case 'COPY': {
        const parts = args.split(/\s+/);
        const from = parts[0]!.startsWith('--from=') ? parts.shift()!.slice(7) : undefined;
        stage!.steps.push({ copy: parts.slice(0, -1), dest: parts.at(-1)!, from });
        break;
      }
      case 'RUN':
        stage!.steps.push({ run: args });
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(args);
        break;
      case 'USER':
      case 'EXPOSE':
        break;
      default:
        throw new Error(`dockerfile.test.ts does not know ${instruction}: teach it`);
    }
  }
  return stages;
}

// `npm cache clean --force` would empty this machine's npm cache; inside an image it only saves space.
const withoutCacheClean = (command: string) => command.replace(/&&\s*npm cache clean --force/, '');

function replay(stages: Stage[]): Map<string, string> {
  const roots = new Map<string, string>();
  for (const stage of stages) {
    const root = mkdtempSync(join(tmpdir(), `sg-docker-${stage.name}-`));
    roots.set(stage.name, root);
    const inStage = (p: string) => join(root, resolve(stage.workdir, p));
    mkdirSync(inStage('.'), { recursive: true });
    for (const step of stage.steps) {
      if ('copy' in step) {
        const source = step.from ? roots.get(step.from)! : ROOT;
        for (const item of step.copy) {
          const target = step.dest.endsWith('/')
            ? join(inStage(step.dest), item.split('/').at(-1)!)
            : inStage(step.dest);
          cpSync(join(source, item), target, { recursive: true });
        }
      } else {
        try {
          execFileSync('sh', ['-c', withoutCacheClean(step.run)], {
            cwd: inStage('.'),
            env: { ...process.env, ...stage.env, npm_config_prefer_offline: 'true' },
            stdio: 'pipe',
            timeout: 400_000,
          });
        } catch (e) {
          const output = `${(e as { stdout?: Buffer }).stdout ?? ''}${(e as { stderr?: Buffer }).stderr ?? ''}`;
          const lines = output.split('\n').filter((l) => !l.startsWith('npm warn'));
          throw new Error(
            `stage ${stage.name}: RUN ${step.run} failed:\n${lines.slice(-30).join('\n')}`,
            { cause: e },
          );
        }
      }
    }
  }
  return roots;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
let roots: Map<string, string>;

beforeAll(() => {
  roots = replay(stages);
}, 900_000);

describe('the Dockerfile', () => {
  it('runs the App on Node 24, as the App image should', () => {
    expect(stages.map((s) => s.base)).toEqual(['node:24-slim', 'node:24-slim']);
  });

  it('builds, and its last stage runs the App under Node 24: a signed delivery completes a check run', async () => {
    const last = stages.at(-1)!;
    const cwd = join(roots.get(last.name)!, last.workdir);
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const fake = new FakeGitHub();
    const base = fake.addRepo('hmpo/renew-passport', exampleFiles('live-renew-passport'));
    const head = fake.addCommit('hmpo/renew-passport', exampleFiles('failing-claim-support'));
    await fake.start();
    const port = await freePort();
    const [command, ...args] = last.cmd!;
    expect(command).toBe('node');
    const secret = 'docker-test';
    const child = spawn(await node24(), args, {
      cwd,
      env: {
        PATH: process.env.PATH,
        ...last.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        APP_ID: String(fake.appId),
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: secret,
        // GitHub Enterprise Server settings reach the fake GitHub on loopback.
        GHE_HOST: new URL(fake.url).host,
        GHE_PROTOCOL: 'http',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      let pong = '';
      for (let i = 0; i < 100 && pong !== 'PONG' && child.exitCode === null; i++) {
        await new Promise((r) => setTimeout(r, 200));
        pong = await fetch(`http://127.0.0.1:${port}/ping`)
          .then((r) => r.text())
          .catch(() => '');
      }
      expect(pong, output).toBe('PONG');
      const hook = `http://127.0.0.1:${port}/api/github/webhooks`;
      const unsigned = await fetch(hook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': '1',
        },
        body: '{}',
      });
      expect(unsigned.status).toBeGreaterThanOrEqual(400);
      const body = JSON.stringify(
        payload('pull_request', 'opened', (p) => {
          atRepo(p, 'hmpo', 'renew-passport');
          p.pull_request.head.sha = head;
          p.pull_request.base.sha = base;
        }),
      );
      const delivered = await fetch(hook, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': 'docker-1',
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
      });
      expect(delivered.status, output).toBeLessThan(300);
      for (let i = 0; i < 150; i++) {
        if (fake.checkRuns.some((r) => r.head_sha === head && r.status === 'completed')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const run = fake.checkRuns.find((r) => r.head_sha === head);
      expect(run?.status, output).toBe('completed');
      expect(run?.conclusion).toBe('failure');
    } finally {
      child.kill('SIGKILL');
      await fake.stop();
    }
  }, 120_000);
});
