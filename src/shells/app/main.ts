import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createNodeMiddleware, createProbot } from 'probot';
import app from './index.js';
import { serviceGateOctokit } from './octokit-options.js';
import { startSetupServer } from './setup.js';
import { webhookListener } from './webhook-server.js';

/**
 * `npm start`: Probot reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, REDIS_URL and
 * LOG_LEVEL from the environment, with bounded timeouts and retries. The HTTP server is ours,
 * not Probot's runner, so that oversized bodies are refused before Probot buffers them. With
 * no credentials outside production, the registration page instead (see setup.ts).
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const registered = process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH);
if (!registered && process.env.NODE_ENV !== 'production') {
  await startSetupServer();
} else {
  const probot = createProbot({
    overrides: {
      Octokit: serviceGateOctokit({ timeoutMs: Number(process.env.GITHUB_TIMEOUT_MS ?? 20_000) }),
    },
  });
  const middleware = await createNodeMiddleware(app, {
    probot,
    webhooksPath: process.env.WEBHOOK_PATH ?? '/api/github/webhooks',
  });
  const port = Number(process.env.PORT ?? 3000);
  // Like Probot's own server: every interface unless HOST names one (a container needs that).
  const host = process.env.HOST || undefined;
  createServer(webhookListener(middleware)).listen(port, host, () =>
    probot.log.info(`Service Gate listening on http://${host ?? 'localhost'}:${port}`),
  );
}
