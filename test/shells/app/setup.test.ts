import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { setupHandler } from '../../../src/shells/app/setup.js';
import { openApiProblems } from '../../fake-github/openapi.js';
import type { RecordedRequest } from '../../fake-github/server.js';
import { node24 } from '../../helpers/node24.js';

/**
 * The first-run registration page, served on loopback and read with a real HTML parser (as a
 * browser would): the manifest the form posts must be app.yml exactly, with the webhook URL
 * the server listens on.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
type Element = DefaultTreeAdapterMap['element'];

function elements(node: DefaultTreeAdapterMap['parentNode'], tag: string): Element[] {
  const found: Element[] = [];
  for (const child of node.childNodes) {
    if ('tagName' in child) {
      if (child.tagName === tag) found.push(child);
      found.push(...elements(child, tag));
    }
  }
  return found;
}
const attribute = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

let cwd: string;
let server: HttpServer;
let base: string;
let github: HttpServer;
const githubRequests: RecordedRequest[] = [];

async function listen(s: HttpServer): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'sg-setup-'));
  cpSync(join(ROOT, 'app.yml'), join(cwd, 'app.yml'));
  github = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    githubRequests.push({
      method: req.method!,
      path: url.pathname,
      query: {},
      body: undefined,
      at: Date.now(),
    });
    if (req.method === 'POST' && url.pathname === '/app-manifests/good-code/conversions') {
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 4242,
          slug: 'service-gate',
          pem: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n',
          webhook_secret: 'a-secret',
          html_url: 'https://github.com/apps/service-gate',
        }),
      );
    } else res.writeHead(404).end('{"message":"Not Found"}');
  });
  const apiUrl = await listen(github);
  const handler = setupHandler({
    cwd,
    webhookPath: '/api/github/webhooks',
    githubHost: 'github.com',
    apiUrl,
  });
  server = createServer(async (req, res) => {
    if (!(await handler(req, res))) res.writeHead(404).end();
  });
  base = await listen(server);
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => github.close(r));
  expect(openApiProblems(githubRequests)).toEqual([]);
  githubRequests.length = 0;
});

async function manifestPosted(): Promise<{ action: string; manifest: any }> {
  const html = await (await fetch(`${base}/probot`)).text();
  const [form] = elements(parse(html), 'form');
  const [button] = elements(form!, 'button');
  return {
    action: attribute(form!, 'action')!,
    manifest: JSON.parse(attribute(button!, 'value')!),
  };
}

describe('the registration page', () => {
  it('posts app.yml whole, with the webhook URL the server listens on', async () => {
    const { action, manifest } = await manifestPosted();
    expect(action).toBe('https://github.com/settings/apps/new');
    const declared = parseYaml(readFileSync(join(ROOT, 'app.yml'), 'utf8'));
    expect(manifest).toEqual({
      ...declared,
      hook_attributes: { url: `${base}/api/github/webhooks` },
      redirect_url: `${base}/probot/setup`,
    });
  });

  it('keeps every character of the description, quotes and angle brackets included', async () => {
    const tricky = `Checks each team's "service.yml" <b>&amp;</b> evidence`;
    writeFileSync(
      join(cwd, 'app.yml'),
      readFileSync(join(cwd, 'app.yml'), 'utf8').replace(
        /^description: .*$/m,
        `description: ${JSON.stringify(tricky)}`,
      ),
    );
    const { manifest } = await manifestPosted();
    expect(manifest.description).toBe(tricky);
    expect(manifest.default_permissions.checks).toBe('write');
  });

  it('exchanges the code from GitHub and saves the credentials to .env, readable by its owner only', async () => {
    const response = await fetch(`${base}/probot/setup?code=good-code`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      'https://github.com/apps/service-gate/installations/new',
    );
    const env = readFileSync(join(cwd, '.env'), 'utf8');
    expect(env).toContain('APP_ID=4242\n');
    expect(env).toContain('WEBHOOK_SECRET=a-secret\n');
    expect(env).toContain(
      'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----\\n"',
    );
    expect(statSync(join(cwd, '.env')).mode & 0o077).toBe(0);
    // Node reads it back as the key it was.
    const loaded: Record<string, string> = {};
    const { parseEnv } = await import('node:util');
    Object.assign(loaded, parseEnv(env));
    expect(loaded.PRIVATE_KEY).toContain('\nAAAA\n');
  });

  it('says what to do when GitHub refuses the code, and refuses codes that are not codes', async () => {
    const refused = await fetch(`${base}/probot/setup?code=used-code`);
    expect(refused.status).toBe(502);
    expect(await refused.text()).toMatch(/register again from \/probot/);
    const odd = await fetch(`${base}/probot/setup?code=${encodeURIComponent('../x')}`);
    expect(odd.status).toBe(400);
  });
});

it('app.yml has no value that needs escaping in HTML, so any page quoting it stays whole', () => {
  // Probot's own setup page quotes the manifest unescaped; keep app.yml safe for it too.
  const strings = (v: unknown): string[] =>
    typeof v === 'string'
      ? [v]
      : v && typeof v === 'object'
        ? Object.values(v).flatMap(strings)
        : [];
  const values = strings(parseYaml(readFileSync(join(ROOT, 'app.yml'), 'utf8')));
  expect(values.length).toBeGreaterThan(5);
  expect(values.filter((v) => /['<>&"]/.test(v))).toEqual([]);
});

it('is what `npm start` serves under Node 24 when the App has no credentials yet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-start-'));
  cpSync(join(ROOT, 'app.yml'), join(dir, 'app.yml'));
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(await node24(), [join(ROOT, 'lib/shells/app/main.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    let html = '';
    for (let i = 0; i < 100 && !html.includes('<form'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      html = await fetch(`http://127.0.0.1:${port}/probot`)
        .then((r) => r.text())
        .catch(() => '');
    }
    const [button] = elements(parse(html), 'button');
    expect(JSON.parse(attribute(button!, 'value')!).hook_attributes.url).toBe(
      `http://127.0.0.1:${port}/api/github/webhooks`,
    );
  } finally {
    child.kill('SIGKILL');
  }
}, 120_000);
