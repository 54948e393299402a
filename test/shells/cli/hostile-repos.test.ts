import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../../helpers/cli.js';
import { buildHostileRepos, CANARY, copyExample } from '../../helpers/hostile-repos.js';

/**
 * A hostile repository owner controls every file the CLI reads from the repository. Whatever is
 * there, `check` answers 0, 1 or 2 (never a crash), never prints a file from outside the
 * repository, never blocks on a FIFO, and never reads without a byte budget.
 */

const { repos } = buildHostileRepos();

describe('the CLI over hostile repositories (in process)', () => {
  it.each(repos.map((r) => [r.name, r] as const))(
    '%s',
    { timeout: 10_000 },
    async (_name, repo) => {
      const r = await cli([
        'check',
        repo.dir,
        ...(repo.args?.(repo.dir) ?? []),
        '--format',
        'json',
      ]);
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stdout + r.stderr).not.toContain(CANARY);
      expect(r.stderr).not.toContain('unexpected error');
      if (r.code === 2) return;
      const report = JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] };
      expect(report.findings.length).toBeGreaterThan(0);
    },
  );

  it('says why a linked, piped or device service.yml was not read, as a failing finding', async () => {
    const byName = (name: string) => repos.find((r) => r.name === name)!.dir;
    const reasons: Record<string, RegExp> = {
      'service.yml links to a secret': /link to a file outside the repository/,
      'service.yml links to /dev/zero': /link to a file outside the repository/,
      'service.yml is a FIFO': /is a FIFO, not a regular file/,
      'service.yml is a directory': /is a directory, not a regular file/,
      'service.yml is a link loop': /loop of symbolic links/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      const r = await cli(['check', byName(name), '--format', 'json']);
      expect(r.code, name).toBe(1);
      const [finding] = JSON.parse(r.stdout).findings;
      expect(finding.rule, name).toBe('manifest/unreadable');
      expect(finding.message, name).toMatch(reason);
    }
  });

  it('reports a policy file or rule pack it will not read, as a failing finding', async () => {
    for (const name of [
      'policy links to a secret',
      'policy is a FIFO',
      'policy links to /dev/zero',
      'packs.paths climbs out',
      'packs.paths is absolute',
      'packs.paths names a linked folder',
      'packs.paths names a FIFO and a device link',
    ]) {
      const dir = repos.find((r) => r.name === name)!.dir;
      const r = await cli(['check', dir, '--format', 'json']);
      expect(r.code, name).toBe(1);
      const findings = JSON.parse(r.stdout).findings as { rule: string; level: string }[];
      expect(
        findings.some((f) => /^policy\/|^pack\//.test(f.rule) && f.level === 'failure'),
        `${name}: ${JSON.stringify(findings.map((f) => f.rule))}`,
      ).toBe(true);
    }
  });
});

describe('writes never follow a link planted in the checkout', () => {
  it('--output refuses a symbolic link and leaves its target alone', async () => {
    const dir = copyExample('live-renew-passport');
    const victim = join(mkdtempSync(join(tmpdir(), 'sg-victim-')), 'bashrc');
    writeFileSync(victim, 'original');
    symlinkSync(victim, join(dir, 'report.sarif'));
    const r = await cli(['check', dir, '--format', 'sarif', '--output', join(dir, 'report.sarif')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('original');
  });

  it('init refuses a planted service.yml link, even a dangling one, and reads package.json within a budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-init-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'sg-victim-')), 'profile');
    symlinkSync(victim, join(dir, 'service.yml'));
    symlinkSync('/dev/zero', join(dir, 'package.json'));
    const r = await cli(['init', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(existsSync(victim)).toBe(false);
    expect(lstatSync(join(dir, 'service.yml')).isSymbolicLink()).toBe(true);
  });

  it('init still writes a starter file when package.json is a link to /dev/zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-init-'));
    symlinkSync('/dev/zero', join(dir, 'package.json'));
    const r = await cli(['init', dir]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'service.yml'), 'utf8')).toContain('phase: discovery');
  });
});

/** Measured on the built CLI in a child process: exit code, wall time and peak memory. */
describe('the built CLI over every hostile repository', () => {
  const bin = join(ROOT, 'bin/service-gate.js');
  const rss = join(ROOT, 'bench/report-rss.mjs');

  it('exists (npm test builds it first; run npm run build when running this file alone)', () => {
    expect(existsSync(join(ROOT, 'lib/cli/index.cjs'))).toBe(true);
  });

  it.each(repos.map((r) => [r.name, r] as const))(
    '%s: exit 0, 1 or 2, under 5 s of CPU and 512 MiB',
    { timeout: 20_000 },
    (_name, repo) => {
      const child = spawnSync(
        process.execPath,
        ['--import', rss, bin, 'check', repo.dir, ...(repo.args?.(repo.dir) ?? [])],
        { encoding: 'utf8', timeout: 15_000, maxBuffer: 64 * 1024 * 1024 },
      );
      // CPU time, not wall time: the bound is on the work the content causes, which a test
      // runner sharing two cores with other suites must not turn into a flaky failure.
      const cpuSeconds = Number(/CPU_MS=(\d+)/.exec(child.stderr)?.[1] ?? NaN) / 1000;
      const maxRssKb = Number(/MAXRSS_KB=(\d+)/.exec(child.stderr)?.[1] ?? NaN);
      expect(child.signal, 'killed: it ran past the 15 s safety timeout').toBeNull();
      expect([0, 1, 2]).toContain(child.status);
      expect(cpuSeconds).toBeLessThan(5);
      expect(maxRssKb).toBeLessThan(512 * 1024);
      expect(child.stdout + child.stderr).not.toContain(CANARY);
    },
  );
});
