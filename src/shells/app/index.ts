import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Probot } from 'probot';
import { serviceGateApp } from './app.js';
import { MemoryCoordinator } from './coordination.js';
import { RECHECK_INTERVAL_MS } from './handlers.js';
import { FileJournal } from './journal.js';
import { connectRedis, RedisCoordinator, RedisJournal } from './redis.js';

/**
 * Where the journal lives without REDIS_URL: the user's home (in the Docker image,
 * /home/node/.service-gate). Mount a volume there so that it outlives the container.
 */
export const DEFAULT_JOURNAL = join(homedir(), '.service-gate', 'journal.jsonl');

/**
 * Entry point for `probot run` (npm start): configuration comes from the environment. With
 * REDIS_URL, the locks, the journal and the recheck limit are shared in Redis; otherwise they
 * live in this process and in the file SERVICE_GATE_JOURNAL (one instance).
 */
export default async (app: Probot) => {
  const appId = Number(process.env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0)
    throw new Error(
      'APP_ID must be set to the GitHub App id (a number). See README: Running the App.',
    );
  const instanceId = randomUUID();
  const redisUrl = process.env.REDIS_URL;
  const redis = redisUrl ? await connectRedis(redisUrl) : undefined;
  const recoverEveryMs = Number(process.env.SERVICE_GATE_RECOVER_EVERY_MS ?? 60_000);
  const recheckIntervalMs = Number(
    process.env.SERVICE_GATE_RECHECK_INTERVAL_MS ?? RECHECK_INTERVAL_MS,
  );
  if (!Number.isInteger(recheckIntervalMs) || recheckIntervalMs <= 0)
    throw new Error('SERVICE_GATE_RECHECK_INTERVAL_MS must be a whole number of milliseconds.');
  return serviceGateApp({
    appId,
    botLogin: process.env.BOT_LOGIN,
    coordinator: redis ? new RedisCoordinator(redis) : new MemoryCoordinator(),
    journal: redis
      ? new RedisJournal(redis, instanceId)
      : new FileJournal(process.env.SERVICE_GATE_JOURNAL ?? DEFAULT_JOURNAL, instanceId),
    recoverEveryMs,
    recheckIntervalMs,
  })(app);
};
