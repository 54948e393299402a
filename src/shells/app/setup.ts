import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * First run without credentials: a page that registers the App on GitHub from `app.yml` (the
 * manifest flow), then saves the App's id, key and webhook secret to `.env`.
 *
 * Probot has such a page, but it puts the manifest inside `value='…'` unescaped (an apostrophe
 * in the description cut it short) and sets the webhook URL to the server's root, where nothing
 * listens. This one escapes the attribute and points the webhook at the path the server serves.
 */

export interface SetupOptions {
  /** The folder holding app.yml, and where .env is written. */
  cwd: string;
  webhookPath: string;
  /** github.com, or a GitHub Enterprise Server host. */
  githubHost: string;
  /** Where the manifest code is exchanged for credentials. */
  apiUrl: string;
  /** An organisation to register the App in, instead of the signed-in user. */
  org?: string;
}

export type AppManifest = Record<string, unknown> & {
  hook_attributes: { url: string };
  redirect_url: string;
};

/** app.yml as GitHub's manifest flow expects it, with URLs that reach this server. */
export function appManifest(appYml: string, baseUrl: string, webhookPath: string): AppManifest {
  const declared = (parseYaml(appYml) ?? {}) as Record<string, unknown>;
  return {
    ...declared,
    hook_attributes: { url: `${baseUrl}${webhookPath}` },
    redirect_url: `${baseUrl}/probot/setup`,
  };
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
};
const escapeHtml = (s: string) => s.replace(/[&"'<>]/g, (c) => ATTRIBUTE_ESCAPES[c]!);

export function setupPage(manifest: AppManifest, createAppUrl: string): string {
  const name = escapeHtml(String(manifest.name ?? 'Service Gate'));
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Register ${name}</title></head>
<body>
<main>
<h1>Register ${name} on GitHub</h1>
<p>${escapeHtml(String(manifest.description ?? ''))}</p>
<p>GitHub will create the App from <code>app.yml</code> (its events and least-privilege permissions), send its webhooks to <code>${escapeHtml(manifest.hook_attributes.url)}</code>, and return here; this server then saves <code>APP_ID</code>, <code>PRIVATE_KEY</code> and <code>WEBHOOK_SECRET</code> to <code>.env</code>. Restart it with those set.</p>
<form action="${escapeHtml(createAppUrl)}" method="post">
<button name="manifest" id="manifest" value="${escapeHtml(JSON.stringify(manifest))}">Register GitHub App</button>
</form>
<p>Registering an App that already exists? Set <code>APP_ID</code>, <code>PRIVATE_KEY</code> (or <code>PRIVATE_KEY_PATH</code>) and <code>WEBHOOK_SECRET</code> and restart.</p>
</main>
</body>
</html>`;
}

function baseUrlOf(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const protocol = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? 'http';
  return `${protocol.split(',')[0]!.trim()}://${req.headers.host ?? 'localhost'}`;
}

/** `.env` lines; a value with a newline (the key) is quoted, as dotenv reads it. */
function envLines(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${/[\n"\s#]/.test(v) ? JSON.stringify(v) : v}`)
    .join('\n');
}

interface Conversion {
  id: number;
  pem: string;
  webhook_secret: string | null;
  html_url: string;
}

/** A Probot server handler: true when it answered the request. */
export function setupHandler(options: SetupOptions) {
  const createAppUrl = options.org
    ? `https://${options.githubHost}/organizations/${encodeURIComponent(options.org)}/settings/apps/new`
    : `https://${options.githubHost}/settings/apps/new`;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://setup');
    if (req.method !== 'GET') return false;
    if (url.pathname === '/') {
      res.writeHead(302, { location: '/probot' }).end();
      return true;
    }
    if (url.pathname === '/probot') {
      const appYml = readFileSync(join(options.cwd, 'app.yml'), 'utf8');
      const manifest = appManifest(appYml, baseUrlOf(req), options.webhookPath);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(setupPage(manifest, createAppUrl));
      return true;
    }
    if (url.pathname === '/probot/setup') {
      const code = url.searchParams.get('code');
      if (!code || !/^[\w-]{1,100}$/.test(code)) {
        res
          .writeHead(400, { 'content-type': 'text/plain' })
          .end('The code from GitHub is missing.');
        return true;
      }
      const response = await fetch(`${options.apiUrl}/app-manifests/${code}/conversions`, {
        method: 'POST',
        headers: { accept: 'application/vnd.github+json', 'user-agent': 'service-gate-setup' },
      });
      if (!response.ok) {
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end(
            `GitHub did not convert the manifest (HTTP ${response.status}). Codes last an hour and work once: register again from /probot.`,
          );
        return true;
      }
      const app = (await response.json()) as Conversion;
      const file = join(options.cwd, '.env');
      const previous = existsSync(file) ? `${readFileSync(file, 'utf8').trimEnd()}\n` : '';
      writeFileSync(
        file,
        `${previous}${envLines({
          APP_ID: String(app.id),
          PRIVATE_KEY: app.pem,
          WEBHOOK_SECRET: app.webhook_secret ?? '',
        })}\n`,
      );
      chmodSync(file, 0o600);
      res.writeHead(302, { location: `${app.html_url}/installations/new` }).end();
      return true;
    }
    return false;
  };
}

/** `npm start` with no credentials: serve the registration page until the App exists. */
export async function startSetupServer(env: NodeJS.ProcessEnv = process.env) {
  const { Probot, Server } = await import('probot');
  const webhookPath = env.WEBHOOK_PATH ?? '/api/github/webhooks';
  const githubHost = env.GHE_HOST ?? 'github.com';
  const server = new Server({
    host: env.HOST ?? 'localhost',
    port: Number(env.PORT ?? 3000),
    webhookPath,
    // The server needs an app to start; in setup it receives no deliveries it could verify.
    Probot: Probot.defaults({ appId: 1, privateKey: 'unused until the App is registered' }),
  });
  await server.loadHandlerFactory(() =>
    setupHandler({
      cwd: process.cwd(),
      webhookPath,
      githubHost,
      apiUrl:
        env.GITHUB_API_URL ??
        (env.GHE_HOST ? `https://${env.GHE_HOST}/api/v3` : 'https://api.github.com'),
      org: env.GH_ORG,
    }),
  );
  await server.start();
  return server;
}
