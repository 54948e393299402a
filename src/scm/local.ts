import { execFile } from 'node:child_process';
import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readRegularFile, readRepositoryFile, realRoot } from './safe-fs.js';
import type { FileRead, Scm } from './scm.js';

const run = promisify(execFile);

/** Folders never worth walking: dependencies, build output, VCS internals. */
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'vendor',
  'dist',
  'build',
  '.venv',
  'venv',
  '__pycache__',
  'target',
  'coverage',
]);
const MAX_PATHS = 50_000;
/** No read is unbounded, even when the caller gives no limit. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * A checked-out repository on disk; refs other than the working tree are read with git. The
 * working tree is listed once, when first asked: an audit asks for each of thousands of
 * repositories, and for each more than once.
 */
export class LocalScm implements Scm {
  #listing?: readonly string[];
  #realRoot?: string;

  constructor(readonly root: string) {}

  /** Whether `ref` names a commit in this repository's git history. */
  async hasCommit(ref: string): Promise<boolean> {
    try {
      await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: this.root });
      return true;
    } catch {
      return false;
    }
  }

  async listPaths(ref?: string): Promise<string[]> {
    if (ref) {
      const { stdout } = await run('git', ['ls-tree', '-r', '--name-only', ref], {
        cwd: this.root,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout.split('\n').filter(Boolean);
    }
    this.#listing ??= listWorkingTree(this.root);
    return [...this.#listing];
  }

  async readFile(
    path: string,
    options: { ref?: string; maxBytes?: number } = {},
  ): Promise<FileRead> {
    const max = Math.min(options.maxBytes ?? MAX_READ_BYTES, MAX_READ_BYTES);
    if (options.ref) {
      try {
        const { stdout: size } = await run('git', ['cat-file', '-s', `${options.ref}:${path}`], {
          cwd: this.root,
        });
        if (Number(size) > max) return { status: 'too-large', bytes: Number(size) };
        const { stdout } = await run('git', ['show', `${options.ref}:${path}`], {
          cwd: this.root,
          maxBuffer: max + 1024,
        });
        return { status: 'ok', text: stdout };
      } catch {
        return { status: 'missing' };
      }
    }
    // Working-tree files are what the repository put there: links, FIFOs, devices included.
    const resolved = this.#resolvedRoot();
    return resolved === undefined
      ? readRegularFile(join(this.root, path), { maxBytes: max, root: this.root })
      : readRepositoryFile(resolved, path, max);
  }

  /** The root resolved once; if it cannot be, each read resolves it again and says why not. */
  #resolvedRoot(): string | undefined {
    if (this.#realRoot === undefined) {
      try {
        this.#realRoot = realRoot(this.root);
      } catch {
        return undefined;
      }
    }
    return this.#realRoot;
  }

  async readFiles(
    paths: readonly string[],
    options: { ref?: string; maxBytes?: number } = {},
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const path of paths) {
      const r = await this.readFile(path, options);
      if (r.status === 'ok') out.set(path, r.text);
    }
    return out;
  }
}

/**
 * Every regular file under `root`, depth first in the order the folders list them (as before
 * the first MAX_PATHS), then sorted. Synchronous: thousands of small folders are listed far
 * faster without a promise per folder.
 */
function listWorkingTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_PATHS) return;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(join(dir, e.name), `${prefix}${e.name}/`);
      } else if (e.isFile()) {
        out.push(`${prefix}${e.name}`);
      }
    }
  };
  walk(root, '');
  return out.sort();
}
