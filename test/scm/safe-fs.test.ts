import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readRegularFile,
  readRepositoryFile,
  realRoot,
  UnsafeWriteError,
  writeRegularFile,
} from '../../src/scm/safe-fs.js';
import { LocalScm } from '../../src/scm/local.js';

const root = mkdtempSync(join(tmpdir(), 'sg-safe-fs-'));
const repo = join(root, 'repo');
mkdirSync(join(repo, 'inner'), { recursive: true });
writeFileSync(join(root, 'secret'), 'secret');
writeFileSync(join(repo, 'inner', 'real.txt'), 'inside');
symlinkSync(join(repo, 'inner', 'real.txt'), join(repo, 'inside-link'));
symlinkSync(join(root, 'secret'), join(repo, 'outside-link'));
symlinkSync(root, join(repo, 'outside-folder'));
execFileSync('mkfifo', [join(repo, 'pipe')]);

describe('readRegularFile', () => {
  const read = (path: string, maxBytes = 1024) =>
    readRegularFile(join(repo, path), { maxBytes, root: repo });

  it('reads regular files, and links that stay inside the repository', () => {
    expect(read('inner/real.txt')).toEqual({ status: 'ok', text: 'inside' });
    expect(read('inside-link')).toEqual({ status: 'ok', text: 'inside' });
  });

  it('refuses links out of the repository, by file or by folder, and ../ paths', () => {
    for (const path of ['outside-link', 'outside-folder/secret', '../secret'])
      expect(read(path), path).toEqual({
        status: 'unreadable',
        reason: 'is a symbolic link to a file outside the repository',
      });
  });

  it('refuses FIFOs without blocking, folders and devices', () => {
    expect(read('pipe')).toMatchObject({
      status: 'unreadable',
      reason: 'is a FIFO, not a regular file',
    });
    expect(read('inner')).toMatchObject({ reason: 'is a directory, not a regular file' });
    expect(readRegularFile('/dev/zero', { maxBytes: 10 })).toMatchObject({
      reason: 'is a device, not a regular file',
    });
  });

  it('counts bytes while reading: a /proc file that says it is empty is still cut at the budget', () => {
    expect(readRegularFile('/proc/self/status', { maxBytes: 10 })).toMatchObject({
      status: 'too-large',
    });
    expect(readRegularFile('/proc/self/status', { maxBytes: 1 << 20 }).status).toBe('ok');
  });

  it('is missing, not an error, for paths that do not exist', () => {
    expect(read('nothing')).toEqual({ status: 'missing' });
    expect(read('inner/real.txt/below')).toEqual({ status: 'missing' });
  });

  it('is what LocalScm reads the working tree with', async () => {
    const scm = new LocalScm(repo);
    expect(await scm.readFile('outside-link')).toMatchObject({ status: 'unreadable' });
    expect(await scm.readFile('inner/real.txt', { maxBytes: 3 })).toMatchObject({
      status: 'too-large',
    });
  });
});

describe('readRepositoryFile: the reads of a repository whose folder is resolved once', () => {
  const read = (path: string, maxBytes = 1024) =>
    readRepositoryFile(realRoot(repo), path, maxBytes);
  // Links at the top of the repository, where a file is opened without resolving its path.
  symlinkSync(join(root, 'secret'), join(repo, 'top-outside-link'));
  symlinkSync(join(repo, 'inner', 'real.txt'), join(repo, 'top-inside-link'));
  symlinkSync(join(repo, 'nowhere'), join(repo, 'dangling-link'));
  // 200,001 bytes: the odd first byte puts a two-byte character across every 64 KiB boundary.
  writeFileSync(join(repo, 'long.txt'), `a${'é'.repeat(100_000)}`);

  it('gives what readRegularFile gives, for every kind of path', () => {
    for (const path of [
      'inner/real.txt',
      'inside-link',
      'top-inside-link',
      'outside-link',
      'top-outside-link',
      'outside-folder/secret',
      '../secret',
      '..',
      '.',
      'pipe',
      'inner',
      'nothing',
      'dangling-link',
      'inner/real.txt/below',
    ])
      expect(read(path), path).toEqual(
        readRegularFile(join(repo, path), { maxBytes: 1024, root: repo }),
      );
    expect(read('top-outside-link')).toMatchObject({ status: 'unreadable' });
    expect(read('top-inside-link')).toEqual({ status: 'ok', text: 'inside' });
  });

  it('counts bytes across reads of a long file, and decodes characters split between them', () => {
    expect(read('long.txt', 200_001)).toEqual({ status: 'ok', text: `a${'é'.repeat(100_000)}` });
    expect(read('long.txt', 200_000)).toEqual({ status: 'too-large', bytes: 200_001 });
    expect(read('long.txt', 70_000)).toEqual({ status: 'too-large', bytes: 200_001 });
    // A short file after a long one is not given the long one's leftover bytes.
    expect(read('inner/real.txt')).toEqual({ status: 'ok', text: 'inside' });
  });
});

describe('writeRegularFile', () => {
  it('writes and truncates a regular file', () => {
    const path = join(repo, 'out.txt');
    writeRegularFile(path, 'a long first text');
    writeRegularFile(path, 'short');
    expect(readFileSync(path, 'utf8')).toBe('short');
  });

  it('refuses to write through a link, into a FIFO, or over anything when exclusive', () => {
    expect(() => writeRegularFile(join(repo, 'outside-link'), 'x')).toThrow(UnsafeWriteError);
    expect(readFileSync(join(root, 'secret'), 'utf8')).toBe('secret');
    expect(() => writeRegularFile(join(repo, 'pipe'), 'x')).toThrow(/FIFO/);
    expect(() => writeRegularFile(join(repo, 'inner/real.txt'), 'x', { exclusive: true })).toThrow(
      /already there/,
    );
  });

  it('with a root, refuses a folder that leads out of it', () => {
    expect(() =>
      writeRegularFile(join(repo, 'outside-folder', 'report.sarif'), 'x', { root: repo }),
    ).toThrow(/outside the checkout/);
  });
});
