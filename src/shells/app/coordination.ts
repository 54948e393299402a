/**
 * What instances of the App share: locks (one writer per PR comment and per check run) and a
 * small key-value store with expiry (ids of what was published, the newest head of each PR,
 * redelivery claims, recheck windows). In one process it lives in memory; with REDIS_URL, in Redis
 * (redis.ts), so that several instances behave as one.
 */
export interface Coordinator {
  /** Runs `fn` while holding the lock named `key` (in every instance sharing this coordinator). */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets `key` only if it is absent: true for the one caller that set it. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Opens the window `key` for `holder`, lasting `ms`, unless one is open: returns who holds the
   * open window (`holder` when it is this call's, or a previous call's with the same holder) and
   * the milliseconds left in it.
   */
  claimWindow(key: string, holder: string, ms: number): Promise<{ holder: string; msLeft: number }>;
  close(): Promise<void>;
}

/** How long published ids and PR heads are remembered: GitHub is asked again after that. */
export const REMEMBER_SECONDS = 7 * 24 * 3600;

export class MemoryCoordinator implements Coordinator {
  /** `now` is the clock that expiry is measured by (injected by tests). */
  constructor(private readonly now: () => number = Date.now) {}

  #locks = new Map<string, Promise<unknown>>();
  #values = new Map<string, { value: string; expires: number }>();

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.#locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === run) this.#locks.delete(key);
    }
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#values.get(key);
    if (entry && entry.expires <= this.now()) this.#values.delete(key);
    return entry && entry.expires > this.now() ? entry.value : undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#values.set(key, { value, expires: this.now() + ttlSeconds * 1000 });
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    if ((await this.get(key)) !== undefined) return false;
    await this.set(key, '1', ttlSeconds);
    return true;
  }

  async claimWindow(
    key: string,
    holder: string,
    ms: number,
  ): Promise<{ holder: string; msLeft: number }> {
    const open = this.#values.get(key);
    if (open && open.expires > this.now())
      return { holder: open.value, msLeft: open.expires - this.now() };
    this.#values.set(key, { value: holder, expires: this.now() + ms });
    return { holder, msLeft: ms };
  }

  async close(): Promise<void> {}
}

/** The newest head SHA known for a pull request, as recorded from deliveries. */
export interface KnownHead {
  sha: string;
  /** The pull request's updated_at when that head was seen (ISO 8601). */
  at: string;
}

const headKey = (repo: string, pr: number) => `head:${repo}#${pr}`;

/** Records a PR head seen in a delivery, unless a later one is already known. */
export async function recordHead(
  c: Coordinator,
  repo: string,
  pr: number,
  head: KnownHead,
): Promise<void> {
  await c.withLock(headKey(repo, pr), async () => {
    const known = await knownHead(c, repo, pr);
    if (!known || known.at <= head.at)
      await c.set(headKey(repo, pr), JSON.stringify(head), REMEMBER_SECONDS);
  });
}

export async function knownHead(
  c: Coordinator,
  repo: string,
  pr: number,
): Promise<KnownHead | undefined> {
  const raw = await c.get(headKey(repo, pr));
  return raw ? (JSON.parse(raw) as KnownHead) : undefined;
}
