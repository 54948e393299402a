import { existsSync } from 'node:fs';
import { run } from 'probot';
import app from './index.js';
import { serviceGateOctokit } from './octokit-options.js';
import { startSetupServer } from './setup.js';

/**
 * `npm start`: Probot's own runner (it reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST,
 * REDIS_URL, LOG_LEVEL, PORT from the environment), with bounded timeouts and retries. With no
 * credentials outside production, the registration page instead (see setup.ts).
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const registered = process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH);
if (!registered && process.env.NODE_ENV !== 'production') {
  await startSetupServer();
} else {
  await run(app, {
    Octokit: serviceGateOctokit({ timeoutMs: Number(process.env.GITHUB_TIMEOUT_MS ?? 20_000) }),
  });
}
