import {
  appendFileSync,
  closeSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * The journal of accepted deliveries. GitHub does not redeliver on its own, and Probot answers
 * 202 once a handler runs past 9 s, so a process that dies mid-evaluation would lose the
 * delivery. Each delivery Service Gate acts on is recorded here before it is answered, and
 * marked done once its verdict is published; what a dead process left unfinished is finished
 * later (recovery.ts). In a local file by default; in Redis with REDIS_URL.
 */
export interface JournalEntry {
  /** The delivery's GUID (X-GitHub-Delivery); redeliveries keep it. */
  id: string;
  event: string;
  action?: string;
  repository?: string;
  headSha?: string;
  installationId?: number;
  /** When it was first accepted (ms since the epoch). */
  receivedAt: number;
  /** The instance working on it (see Journal.instanceId). */
  owner: string;
  /** How many times an instance has started on it. */
  attempts: number;
  /** The event itself, when small enough, so that it can be finished without GitHub. */
  payload?: unknown;
}

export interface Journal {
  /** This process's id, written as the owner of what it accepts. */
  readonly instanceId: string;
  /** Records a delivery (again: a redelivery or a recovery takes it over, counting the attempt). */
  accept(entry: Omit<JournalEntry, 'owner' | 'attempts' | 'receivedAt'>): Promise<JournalEntry>;
  done(id: string): Promise<void>;
  /** Gives an unfinished entry up after a failure, so that recovery retries it later. */
  release(id: string): Promise<void>;
  /** Unfinished entries whose owner is no longer alive (a dead process, or an earlier run). */
  orphans(): Promise<JournalEntry[]>;
  /** Whether a delivery was ever accepted (finished or not) within the journal's memory. */
  knows(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Events larger than this are journaled without their payload, and finished by redelivery. */
export const MAX_JOURNALED_PAYLOAD = 1024 * 1024;
/** Finished deliveries are remembered this long, so the sweep does not redeliver them. */
export const JOURNAL_MEMORY_MS = 3 * 24 * 3600 * 1000;

type Line = { op: 'accept'; entry: JournalEntry } | { op: 'done'; id: string; at: number };

/**
 * A journal in one append-only file of JSON lines, synced to disk on every write, and rewritten
 * without finished entries once it grows. One instance per file: every entry not written by
 * this process is an orphan.
 */
export class FileJournal implements Journal {
  readonly instanceId: string;
  #open = new Map<string, JournalEntry>();
  #finished = new Map<string, number>();
  #lines = 0;

  constructor(
    readonly path: string,
    instanceId: string,
  ) {
    this.instanceId = instanceId;
    mkdirSync(dirname(path), { recursive: true });
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a line cut short by a crash
      }
      if (line.op === 'accept') this.#open.set(line.entry.id, line.entry);
      else {
        this.#open.delete(line.id);
        this.#finished.set(line.id, line.at);
      }
    }
    this.#compact();
  }

  async accept(e: Omit<JournalEntry, 'owner' | 'attempts' | 'receivedAt'>): Promise<JournalEntry> {
    const known = this.#open.get(e.id);
    const entry: JournalEntry = {
      ...e,
      receivedAt: known?.receivedAt ?? Date.now(),
      owner: this.instanceId,
      attempts: (known?.attempts ?? 0) + 1,
    };
    this.#open.set(e.id, entry);
    this.#finished.delete(e.id);
    this.#append({ op: 'accept', entry });
    return entry;
  }

  async done(id: string): Promise<void> {
    if (!this.#open.delete(id)) return;
    this.#finished.set(id, Date.now());
    this.#append({ op: 'done', id, at: Date.now() });
    if (this.#lines > 1000 + 2 * this.#open.size) this.#compact();
  }

  async release(id: string): Promise<void> {
    const entry = this.#open.get(id);
    if (!entry) return;
    const released = { ...entry, owner: '' };
    this.#open.set(id, released);
    this.#append({ op: 'accept', entry: released });
  }

  async orphans(): Promise<JournalEntry[]> {
    return [...this.#open.values()].filter((e) => e.owner !== this.instanceId);
  }

  async knows(id: string): Promise<boolean> {
    return this.#open.has(id) || this.#finished.has(id);
  }

  async close(): Promise<void> {}

  #append(line: Line): void {
    const fd = openSync(this.path, 'a');
    try {
      appendFileSync(fd, JSON.stringify(line) + '\n');
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#lines++;
  }

  /** Rewrites the file with what is open and what finished recently (atomically, by rename). */
  #compact(): void {
    const since = Date.now() - JOURNAL_MEMORY_MS;
    for (const [id, at] of this.#finished) if (at < since) this.#finished.delete(id);
    const lines: Line[] = [
      ...[...this.#finished].map(([id, at]) => ({ op: 'done' as const, id, at })),
      ...[...this.#open.values()].map((entry) => ({ op: 'accept' as const, entry })),
    ];
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    renameSync(temporary, this.path);
    this.#lines = lines.length;
  }
}

/** What to journal about a delivery: its repository and head SHA, read from the payload. */
export function describeDelivery(
  id: string,
  event: string,
  payload: Record<string, unknown>,
): Omit<JournalEntry, 'owner' | 'attempts' | 'receivedAt'> {
  const p = payload as {
    action?: string;
    repository?: { full_name?: string };
    installation?: { id?: number };
    pull_request?: { head?: { sha?: string } };
    check_suite?: { head_sha?: string };
    check_run?: { head_sha?: string };
    after?: string;
  };
  const headSha =
    p.pull_request?.head?.sha ?? p.check_suite?.head_sha ?? p.check_run?.head_sha ?? p.after;
  const size = Buffer.byteLength(JSON.stringify(payload));
  return {
    id,
    event,
    action: p.action,
    repository: p.repository?.full_name,
    headSha,
    installationId: p.installation?.id,
    ...(size <= MAX_JOURNALED_PAYLOAD ? { payload } : {}),
  };
}
