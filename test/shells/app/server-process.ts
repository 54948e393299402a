import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { PRIVATE_KEY, SECRET } from './harness.js';
import type { FakeGitHub } from '../../fake-github/server.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function until(what: () => boolean, ms = 30_000, label = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<unknown>;
}

/**
 * The real App server (`npm start`: lib/shells/app/main.js, built by `npm run build`) as a
 * child process, pointed at the fake GitHub as a GitHub Enterprise Server over http.
 */
export async function startAppProcess(
  fake: FakeGitHub,
  env: Record<string, string>,
  port?: number,
): Promise<AppProcess> {
  const listen = port ?? (await freePort());
  const output: string[] = [];
  const child = spawn(process.execPath, ['lib/shells/app/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      APP_ID: String(fake.appId),
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: new URL(fake.url).host,
      GHE_PROTOCOL: 'http',
      PORT: String(listen),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise((r) => child.on('exit', r));
  const url = `http://127.0.0.1:${listen}/api/github/webhooks`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${listen}/`);
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the App did not start:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { child, url, output, exited };
}
