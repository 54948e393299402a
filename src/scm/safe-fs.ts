import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { FileRead } from './scm.js';

/**
 * The one way Service Gate opens files on disk whose path or content a repository controls.
 * A checkout can hold symbolic links to secrets or to /dev/zero, FIFOs that block a reader,
 * directories where a file is expected, and /proc-like files whose size says 0; so a read
 * resolves the path, checks it stays inside the repository, opens without following links or
 * blocking, checks the opened file is a regular file, and counts bytes as it reads.
 */

// Absent on Windows, where these attacks take other forms; 0 leaves the flag out.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;
const CHUNK_BYTES = 64 * 1024;

export interface SafeReadOptions {
  /** Stop reading after this many bytes: the file is then 'too-large'. */
  maxBytes: number;
  /** The repository's folder: the file's resolved path must lie inside it. */
  root?: string;
  /**
   * The repository's folder already resolved (realRoot below), for a reader of many files in
   * one repository; without it `root` is resolved on every read.
   */
  realRoot?: string;
}

/**
 * A folder's resolved path, for SafeReadOptions.realRoot. The C library's realpath: Node's
 * own walks the path in JavaScript with an lstat per part, many times slower per file.
 */
export function realRoot(root: string): string {
  return realpathSync.native(root);
}

/** Whether `path` is `root` or lies beneath it (both already resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The folder a path must stay inside: the repository when the path is written inside it (so a
 * link there cannot lead out), none when the person named a file elsewhere on purpose.
 */
export function containingRoot(repository: string, path: string): string | undefined {
  return isInside(resolve(repository), resolve(path)) ? repository : undefined;
}

/** A file's text, read as described above; never throws for what is on disk. */
export function readRegularFile(path: string, options: SafeReadOptions): FileRead {
  let real: string;
  try {
    // Nothing there is the common case (an optional file): said without building an error.
    if (statSync(path, { throwIfNoEntry: false }) === undefined) return { status: 'missing' };
    real = realpathSync.native(path);
    const root =
      options.realRoot ?? (options.root === undefined ? undefined : realRoot(options.root));
    if (root !== undefined && !isInside(root, real))
      return unreadable('is a symbolic link to a file outside the repository');
  } catch (e) {
    return fsFailure(e);
  }
  let fd: number;
  try {
    // Non-blocking: opening a FIFO would otherwise wait for a writer that never comes.
    fd = openSync(real, constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING);
  } catch (e) {
    return fsFailure(e);
  }
  return readOpened(fd, options.maxBytes);
}

/** One part of a path, neither . nor ..: a name directly inside a folder. */
const PLAIN_NAME = /^(?!\.\.?$)[^/\\]+$/;

/**
 * A file in a repository whose folder is already resolved (realRoot), with the checks of
 * readRegularFile. A file directly in that folder, opened without following a link, is inside
 * it by construction, so it needs no resolving; a link there, or a path through folders
 * (any of which could be a link), is resolved and checked by readRegularFile.
 */
export function readRepositoryFile(resolvedRoot: string, path: string, maxBytes: number): FileRead {
  const full = join(resolvedRoot, path);
  if (NO_FOLLOW !== 0 && PLAIN_NAME.test(path)) {
    let fd: number | undefined;
    try {
      fd = openSync(full, constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING);
    } catch (e) {
      // A link refuses O_NOFOLLOW (ELOOP; EMLINK on FreeBSD): see where it leads, below.
      const code = codeOf(e);
      if (code !== 'ELOOP' && code !== 'EMLINK') return fsFailure(e);
    }
    if (fd !== undefined) return readOpened(fd, maxBytes);
  }
  return readRegularFile(full, { maxBytes, root: resolvedRoot, realRoot: resolvedRoot });
}

/** Reads an opened descriptor if it is a regular file, within the budget; closes it. */
function readOpened(fd: number, maxBytes: number): FileRead {
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return unreadable(`is ${kindOf(info)}, not a regular file`);
    return readCounted(fd, maxBytes, info.size);
  } catch (e) {
    return fsFailure(e);
  } finally {
    closeSync(fd);
  }
}

/**
 * One buffer for every read: reads are synchronous, so none shares it with another. A file that
 * fits is decoded straight from it; only longer files are copied out, a full buffer at a time.
 */
const scratch = Buffer.allocUnsafeSlow(CHUNK_BYTES);

/** Reads to the end or one byte past the budget, whatever stat said (/proc files say 0). */
function readCounted(fd: number, maxBytes: number, statSize: number): FileRead {
  const full: Buffer[] = [];
  let total = 0;
  let used = 0;
  for (;;) {
    const want = Math.min(CHUNK_BYTES - used, maxBytes + 1 - total);
    if (want <= 0) return { status: 'too-large', bytes: Math.max(statSize, total) };
    const got = readSync(fd, scratch, used, want, null);
    if (got === 0) break;
    total += got;
    used += got;
    if (used === CHUNK_BYTES) {
      full.push(Buffer.from(scratch));
      used = 0;
    }
  }
  if (full.length === 0) return { status: 'ok', text: scratch.toString('utf8', 0, used) };
  full.push(scratch.subarray(0, used));
  return { status: 'ok', text: Buffer.concat(full, total).toString('utf8') };
}

/**
 * Files and links directly in `dir` whose names match, for a folder of rule packs; each is then
 * read with readRegularFile, which checks where a link leads.
 */
export function listFiles(dir: string, match: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => match(e.name) && (e.isFile() || e.isSymbolicLink()))
    .map((e) => join(dir, e.name))
    .sort();
}

/** What a path is, following links, without opening it: for a folder named where a file may be. */
export function pathKind(path: string): 'file' | 'directory' | 'missing' | 'other' {
  try {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return pathKind(realpathSync(path));
    return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/** Why a write was refused: a link, a device or a folder where the file should go. */
export class UnsafeWriteError extends Error {
  override name = 'UnsafeWriteError';
}

export interface SafeWriteOptions {
  /** Fail if anything (a file, a link, even a dangling one) is already at the path. */
  exclusive?: boolean;
  /** The folder the file must be written inside (the checkout, for the Action's sarif-file). */
  root?: string;
}

/**
 * Opens a file for writing without following a symbolic link at its path, so a link planted in
 * a checkout cannot redirect a report onto a file outside it. Returns the descriptor.
 */
export function openForWrite(path: string, options: SafeWriteOptions = {}): number {
  if (options.root !== undefined) {
    let parent: string;
    try {
      parent = realpathSync(dirname(path));
    } catch (e) {
      throw new UnsafeWriteError(`its folder cannot be opened (${codeOf(e)})`);
    }
    if (!isInside(realpathSync(options.root), parent))
      throw new UnsafeWriteError('its folder is a symbolic link to a place outside the checkout');
  }
  const flags =
    constants.O_WRONLY |
    constants.O_CREAT |
    NO_FOLLOW |
    NON_BLOCKING |
    (options.exclusive ? constants.O_EXCL : 0);
  let fd: number;
  try {
    fd = openSync(path, flags, 0o644);
  } catch (e) {
    const code = codeOf(e);
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new UnsafeWriteError(
        'it is a symbolic link; Service Gate does not write through links',
      );
    if (code === 'EEXIST') throw new UnsafeWriteError('something is already there');
    if (code === 'ENXIO') throw new UnsafeWriteError('it is a FIFO or socket, not a file');
    throw new UnsafeWriteError(`it cannot be opened (${code})`);
  }
  const info = fstatSync(fd);
  if (!info.isFile()) {
    closeSync(fd);
    throw new UnsafeWriteError(`it is ${kindOf(info)}, not a regular file`);
  }
  // Truncated through the descriptor, once it is known to be a regular file.
  try {
    ftruncateSync(fd);
  } catch (e) {
    closeSync(fd);
    throw new UnsafeWriteError(`it cannot be truncated (${codeOf(e)})`);
  }
  return fd;
}

/** Writes text to a file with the checks of openForWrite. */
export function writeRegularFile(path: string, text: string, options: SafeWriteOptions = {}): void {
  const fd = openForWrite(path, options);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function unreadable(reason: string): FileRead {
  return { status: 'unreadable', reason };
}

function fsFailure(e: unknown): FileRead {
  const code = codeOf(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
  if (code === 'ELOOP') return unreadable('is a loop of symbolic links');
  if (code === 'EISDIR') return unreadable('is a directory, not a regular file');
  return unreadable(`cannot be read (${code})`);
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'error';
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}
