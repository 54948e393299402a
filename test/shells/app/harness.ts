import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Bottleneck from 'bottleneck';
import { pino } from 'pino';
import { createNodeMiddleware, Probot } from 'probot';
import examples from '@octokit/webhooks-examples';
import { serviceGateApp } from '../../../src/shells/app/app.js';
import type { Coordinator } from '../../../src/shells/app/coordination.js';
import { serviceGateOctokit } from '../../../src/shells/app/octokit-options.js';
import { FakeGitHub } from '../../fake-github/server.js';

export const SECRET = 'webhook-secret-for-tests';
const { privateKey: PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
export { PRIVATE_KEY };

export interface RunningApp {
  fake: FakeGitHub;
  url: string;
  logs: string[];
  deliver(
    event: string,
    payload: unknown,
    options?: { id?: string; signature?: string | null },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts the real Probot webhook server on loopback, talking to a fake GitHub on loopback. */
export async function startApp(
  fake: FakeGitHub,
  options: {
    timeoutMs?: number;
    retryBaseMs?: number;
    /** GitHub's pacing as in production: writes 1 s apart per installation, 1 s retry base. */
    productionPacing?: boolean;
    /** What the App shares between instances; one in memory by default. */
    coordinator?: Coordinator;
  } = {},
): Promise<RunningApp> {
  await fake.start();
  const logs: string[] = [];
  const log = pino(
    { level: 'trace' },
    new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }),
  );
  const probot = new Probot({
    appId: fake.appId,
    privateKey: PRIVATE_KEY,
    secret: SECRET,
    baseUrl: fake.url,
    log,
    // GitHub asks for 1 s between writes and 3 s between notifying writes; a fake does not.
    Octokit: options.productionPacing
      ? serviceGateOctokit({ timeoutMs: options.timeoutMs ?? 20_000 })
      : serviceGateOctokit(
          {
            timeoutMs: options.timeoutMs ?? 2000,
            retryBaseMs: options.retryBaseMs ?? 1,
            rateLimitRetries: 2,
          },
          {
            write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
            notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
          },
        ),
  });
  const middleware = await createNodeMiddleware(
    serviceGateApp({
      appId: fake.appId,
      today: () => '2026-11-27',
      coordinator: options.coordinator,
    }),
    { probot, webhooksPath: '/api/github/webhooks' },
  );
  const server: Server = createServer(
    (req, res) => void middleware(req, res, () => res.writeHead(404).end()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  return {
    fake,
    url,
    logs,
    deliver: (event, payload, o = {}) => {
      const body = JSON.stringify(payload);
      const signature =
        o.signature === undefined
          ? `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
          : o.signature;
      return fetch(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': o.id ?? randomUUID(),
          ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
        },
      });
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.stop();
    },
  };
}

type Example = { name: string; examples: Record<string, unknown>[] };

/** A real payload from @octokit/webhooks-examples, re-pointed at a fake repository. */
export function payload(
  event: string,
  action: string | undefined,
  patch: (p: Record<string, any>) => void,
): Record<string, any> {
  const found = (examples as unknown as Example[])
    .find((e) => e.name === event)!
    .examples.find((p) => p.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  const copy = structuredClone(found) as Record<string, any>;
  copy.installation = { id: 77, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc=' };
  patch(copy);
  return copy;
}

/** Points an example's repository (and PR base/head repos) at owner/name. */
export function atRepo(p: Record<string, any>, owner: string, name: string): void {
  const repo = {
    ...p.repository,
    name,
    full_name: `${owner}/${name}`,
    owner: { ...p.repository.owner, login: owner },
    default_branch: 'main',
  };
  p.repository = repo;
}
