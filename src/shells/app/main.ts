import { run } from 'probot';
import app from './index.js';
import { serviceGateOctokit } from './octokit-options.js';

/**
 * `npm start`: Probot's own runner (it reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST,
 * REDIS_URL, LOG_LEVEL, PORT from the environment), with bounded timeouts and retries.
 */
await run(app, {
  Octokit: serviceGateOctokit({ timeoutMs: Number(process.env.GITHUB_TIMEOUT_MS ?? 20_000) }),
});
