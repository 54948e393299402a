import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { readRegularFile } from './safe-fs.js';
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

/** A checked-out repository on disk; refs other than the working tree are read with git. */
export class LocalScm implements Scm {
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
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (out.length >= MAX_PATHS) return;
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) await walk(full);
        } else if (e.isFile()) {
          out.push(relative(this.root, full).split(sep).join('/'));
        }
      }
    };
    await walk(this.root);
    return out.sort();
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
    return readRegularFile(join(this.root, path), { maxBytes: max, root: this.root });
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
