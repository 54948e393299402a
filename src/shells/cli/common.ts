import { closeSync, existsSync, mkdirSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { openForWrite, UnsafeWriteError } from '../../scm/safe-fs.js';

/** Where output goes; injected so tests can run the CLI in-process. */
export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  cwd: string;
  today: () => string;
  /**
   * The script this CLI runs from, which a worker thread can start (see audit --threads);
   * absent when the CLI runs inside another program, such as the tests, which then judge in
   * one thread.
   */
  entry?: string;
}

/** 1: the report has a failing finding (or, for policy and drift, a problem); 2: a usage error. */
export const EXIT = { ok: 0, failing: 1, usage: 2 } as const;

/**
 * Writes a report to --output (creating its folder, as people expect of `-o reports/x.html`) or
 * to stdout, a chunk at a time so a 10,000-repository report is never one giant string.
 */
export function writeOutput(chunks: Iterable<string>, output: string | undefined, io: Io): void {
  if (!output) {
    for (const c of chunks) io.stdout(c);
    return;
  }
  const path = resolve(io.cwd, output);
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openForWrite(path);
  } catch (e) {
    throw new UsageError(
      `Cannot write --output ${output}: ${e instanceof UnsafeWriteError ? `${e.message}.` : (e as Error).message}`,
    );
  }
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
}

/** --now, checked to be a real calendar date (2026-02-30 is not), or today. */
export function nowOption(value: string | undefined, io: Io): string {
  if (value === undefined) return io.today();
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(ms) ||
    new Date(ms).toISOString().slice(0, 10) !== value
  )
    throw new UsageError(`--now must be a real date written YYYY-MM-DD; got '${value}'.`);
  return value;
}

/** The directory a command works on; a missing one is a usage error, not a crash. */
export function existingDir(cwd: string, given: string | undefined): string {
  const dir = resolve(cwd, given ?? '.');
  if (!existsSync(dir)) throw new UsageError(`The directory ${dir} does not exist.`);
  return dir;
}
