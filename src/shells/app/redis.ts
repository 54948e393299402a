import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Coordinator } from './coordination.js';
import { JOURNAL_MEMORY_MS, type Journal, type JournalEntry } from './journal.js';

/**
 * The coordinator and the journal in Redis, for several instances behind one load balancer:
 * the same Redis as Probot's throttling (REDIS_URL). Keys start with `service-gate:`.
 */
const PREFIX = 'service-gate:';
/** A lock is held this long unless renewed; its holder renews it every third of that. */
const LOCK_MS = 15_000;
/** How long to wait for a lock before giving up (the delivery then stays unfinished). */
const LOCK_WAIT_MS = 120_000;
/** An instance that has not said it is alive for this long is taken for dead. */
const HEARTBEAT_MS = 10_000;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const CLAIM_WINDOW = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {ARGV[1], tonumber(ARGV[2])} end return {redis.call('get', KEYS[1]), redis.call('pttl', KEYS[1])}`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
  await client.connect();
  return client;
}

export class RedisCoordinator implements Coordinator {
  constructor(private readonly redis: Redis) {}

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `${PREFIX}lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
      if ((await this.redis.set(name, token, 'PX', LOCK_MS, 'NX')) === 'OK') break;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock on ${key}`);
      await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
    }
    const renew = setInterval(
      () => void this.redis.eval(RENEW, 1, name, token, LOCK_MS).catch(() => undefined),
      LOCK_MS / 3,
    );
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, name, token).catch(() => undefined);
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(`${PREFIX}kv:${key}`)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(`${PREFIX}kv:${key}`, value, 'EX', ttlSeconds);
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(`${PREFIX}kv:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  async claimWindow(
    key: string,
    holder: string,
    ms: number,
  ): Promise<{ holder: string; msLeft: number }> {
    const [open, msLeft] = (await this.redis.eval(
      CLAIM_WINDOW,
      1,
      `${PREFIX}kv:${key}`,
      holder,
      ms,
    )) as [string, number];
    return { holder: open, msLeft: Math.max(0, msLeft) };
  }

  async close(): Promise<void> {}
}

/**
 * The journal in Redis: one key per delivery (kept three days), and a sorted set of the open
 * ones. Each instance keeps a heartbeat key alive; an open entry whose owner's heartbeat has
 * expired is an orphan that any instance may finish.
 */
export class RedisJournal implements Journal {
  readonly instanceId: string;
  #heartbeat: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    instanceId: string,
  ) {
    this.instanceId = instanceId;
    const beat = () =>
      void this.redis
        .set(`${PREFIX}alive:${instanceId}`, '1', 'PX', HEARTBEAT_MS)
        .catch(() => undefined);
    beat();
    this.#heartbeat = setInterval(beat, HEARTBEAT_MS / 3);
    this.#heartbeat.unref();
  }

  async accept(e: Omit<JournalEntry, 'owner' | 'attempts' | 'receivedAt'>): Promise<JournalEntry> {
    const key = `${PREFIX}delivery:${e.id}`;
    const known = await this.redis.get(key);
    const previous = known ? (JSON.parse(known) as JournalEntry & { done?: boolean }) : undefined;
    const entry: JournalEntry = {
      ...e,
      receivedAt: previous?.receivedAt ?? Date.now(),
      owner: this.instanceId,
      attempts: (previous?.attempts ?? 0) + 1,
    };
    await this.redis
      .multi()
      .set(key, JSON.stringify(entry), 'PX', JOURNAL_MEMORY_MS)
      .zadd(`${PREFIX}open`, entry.receivedAt, e.id)
      .exec();
    return entry;
  }

  async done(id: string): Promise<void> {
    const key = `${PREFIX}delivery:${id}`;
    const known = await this.redis.get(key);
    const multi = this.redis.multi().zrem(`${PREFIX}open`, id);
    if (known)
      multi.set(
        key,
        JSON.stringify({ ...JSON.parse(known), done: true, payload: undefined }),
        'PX',
        JOURNAL_MEMORY_MS,
      );
    await multi.exec();
  }

  async release(id: string): Promise<void> {
    const key = `${PREFIX}delivery:${id}`;
    const known = await this.redis.get(key);
    if (known)
      await this.redis.set(
        key,
        JSON.stringify({ ...JSON.parse(known), owner: '' }),
        'PX',
        JOURNAL_MEMORY_MS,
      );
  }

  async orphans(): Promise<JournalEntry[]> {
    const ids = await this.redis.zrange(`${PREFIX}open`, 0, 999);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(ids.map((id) => `${PREFIX}delivery:${id}`));
    const entries = raw.flatMap((r) => (r ? [JSON.parse(r) as JournalEntry] : []));
    const owners = [...new Set(entries.map((e) => e.owner).filter(Boolean))];
    const alive = new Set(
      (owners.length ? await this.redis.mget(owners.map((o) => `${PREFIX}alive:${o}`)) : [])
        .map((v, i) => (v ? owners[i] : undefined))
        .filter(Boolean),
    );
    return entries.filter((e) => e.owner !== this.instanceId && !alive.has(e.owner));
  }

  async knows(id: string): Promise<boolean> {
    return (await this.redis.exists(`${PREFIX}delivery:${id}`)) === 1;
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.redis.del(`${PREFIX}alive:${this.instanceId}`).catch(() => undefined);
  }
}
