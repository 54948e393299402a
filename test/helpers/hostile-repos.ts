import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * Repositories a hostile owner could push, built at test time: links, FIFOs and large files
 * cannot (or should not) be committed. Each is a folder the CLI is pointed at.
 */

/** Written outside every repository: no output may ever contain it. */
export const CANARY = 'SG-CANARY-do-not-print-7f3a9c';

export const VALID_MANIFEST = `name: Renew your passport
description: Apply for or renew a British passport online.
owner: {organisation: HM Passport Office, team: Passports, contact: passports@example.gov.uk}
phase: alpha
`;

export interface HostileRepo {
  name: string;
  /** Extra arguments after `check DIR`. */
  args?: (dir: string) => string[];
  build: (dir: string, outside: string) => void;
}

function file(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function link(dir: string, path: string, target: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(target, join(dir, path));
}

function fifo(dir: string, path: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  execFileSync('mkfifo', [join(dir, path)]);
}

const withManifest =
  (build: (dir: string, outside: string) => void) => (dir: string, outside: string) => {
    file(dir, 'service.yml', VALID_MANIFEST);
    build(dir, outside);
  };

const POLICY = '.github/service-gate.yml';

export const HOSTILE_REPOS: HostileRepo[] = [
  // service.yml itself
  {
    name: 'service.yml links to a secret',
    build: (d, o) => link(d, 'service.yml', join(o, 'secret.yml')),
  },
  { name: 'service.yml links to /dev/zero', build: (d) => link(d, 'service.yml', '/dev/zero') },
  { name: 'service.yml links to /proc', build: (d) => link(d, 'service.yml', '/proc/self/status') },
  { name: 'service.yml is a FIFO', build: (d) => fifo(d, 'service.yml') },
  { name: 'service.yml is a directory', build: (d) => mkdirSync(join(d, 'service.yml')) },
  {
    name: 'service.yml is a dangling link',
    build: (d) => link(d, 'service.yml', join(d, 'nowhere')),
  },
  { name: 'service.yml is a link loop', build: (d) => link(d, 'service.yml', 'service.yml') },
  {
    name: 'service.yml through a linked folder',
    args: () => ['--manifest', 'up/secret.yml'],
    build: (d, o) => link(d, 'up', o),
  },
  // The repository's policy file
  {
    name: 'policy links to a secret',
    build: withManifest((d, o) => link(d, POLICY, join(o, 'secret.yml'))),
  },
  { name: 'policy links to /dev/zero', build: withManifest((d) => link(d, POLICY, '/dev/zero')) },
  { name: 'policy is a FIFO', build: withManifest((d) => fifo(d, POLICY)) },
  {
    name: 'policy is a directory',
    build: withManifest((d) => mkdirSync(join(d, POLICY), { recursive: true })),
  },
  {
    name: '--config is a link out of the repository',
    args: (d) => ['--config', join(d, 'policy.yml')],
    build: withManifest((d, o) => link(d, 'policy.yml', join(o, 'secret.yml'))),
  },
  // packs.paths
  {
    name: 'packs.paths climbs out',
    build: withManifest((d, o) =>
      file(
        d,
        POLICY,
        `packs:\n  paths: ['${relative(join(d, '.github'), join(o, 'secret.yml'))}', '../../../../../../../etc/passwd']\n`,
      ),
    ),
  },
  {
    name: 'packs.paths is absolute',
    build: withManifest((d, o) =>
      file(d, POLICY, `packs:\n  paths: ['${join(o, 'secret.yml')}', /etc/passwd]\n`),
    ),
  },
  {
    name: 'packs.paths names a linked folder',
    build: withManifest((d, o) => {
      link(d, 'rules', o);
      file(d, POLICY, 'packs:\n  paths: [rules]\n');
    }),
  },
  {
    name: 'packs.paths names a FIFO and a device link',
    build: withManifest((d) => {
      fifo(d, 'rules/a.yml');
      link(d, 'rules/b.yml', '/dev/zero');
      file(d, POLICY, 'packs:\n  paths: [rules]\n');
    }),
  },
  // Evidence files
  {
    name: 'package.json links to /dev/zero',
    build: withManifest((d) => link(d, 'package.json', '/dev/zero')),
  },
  {
    name: 'package-lock.json links to a secret',
    build: withManifest((d, o) => link(d, 'package-lock.json', join(o, 'secret.yml'))),
  },
  { name: 'yarn.lock is a FIFO', build: withManifest((d) => fifo(d, 'yarn.lock')) },
  {
    name: 'requirements.txt is a directory',
    build: withManifest((d) => mkdirSync(join(d, 'requirements.txt'))),
  },
  {
    name: 'config folder links out',
    build: withManifest((d) => link(d, 'config', '/etc')),
  },
];

/** Large hostile dependency files, generated at test time (too big to commit, cheap to make). */
const BIG_FILES: { name: string; files: () => Record<string, string> }[] = [
  {
    name: 'package-lock.json with a null package',
    files: () => ({
      'package-lock.json': '{"lockfileVersion":3,"packages":{"node_modules/govuk-frontend":null}}',
    }),
  },
  {
    name: 'package-lock.json with 125,000 packages',
    files: () => ({
      'package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: Object.fromEntries(
          Array.from({ length: 125_000 }, (_, i) => [
            `node_modules/pkg-${i}`,
            { version: '1.0.0' },
          ]),
        ),
      }),
    }),
  },
  {
    name: 'requirements.txt with 125,000 lines',
    files: () => ({
      'requirements.txt': Array.from({ length: 125_000 }, (_, i) => `package-${i}==1.0.${i}`).join(
        '\n',
      ),
    }),
  },
  {
    name: 'yarn.lock of 1.5 MB with 30,000 govuk-frontend entries',
    files: () => ({
      'yarn.lock': Array.from(
        { length: 30_000 },
        (_, i) => `govuk-frontend@^${i}.0.0:\n  version "5.${i}.0"\n  resolved "x"\n`,
      ).join('\n'),
    }),
  },
  {
    name: 'pyproject.toml of 8 MB of dotted keys',
    files: () => {
      const lines: string[] = [];
      let bytes = 0;
      for (let i = 0; bytes < 7_900_000; i++) {
        const line = `tool.a${i % 97}.b${i}.c = "v"`;
        lines.push(line);
        bytes += line.length + 1;
      }
      return { 'pyproject.toml': lines.join('\n') };
    },
  },
];

/** Large hostile service.yml files, generated at test time. */
const BIG_MANIFESTS: { name: string; text: () => string }[] = [
  {
    name: 'service.yml with a 100,000-character name',
    text: () => VALID_MANIFEST.replace(/^name: .*$/m, `name: ${'A'.repeat(100_000)}`),
  },
  {
    name: 'service.yml with 9,000 unknown keys',
    text: () => VALID_MANIFEST + Array.from({ length: 9_000 }, (_, i) => `k${i}: ${i}\n`).join(''),
  },
  {
    name: 'service.yml of 97 KB with five aliases of one long list',
    text: () => {
      const items = Array.from(
        { length: 1_900 },
        (_, i) => `{date: 2026-01-01, method: m${i}, participants: 1}`,
      ).join(', ');
      return `${VALID_MANIFEST}research: &r [${items}]\n${['a', 'b', 'c', 'd', 'e'].map((k) => `x_${k}: *r`).join('\n')}\n`;
    },
  },
];

/** The committed hostile service.yml files, each as the service.yml of its own repository. */
function committedManifests(): HostileRepo[] {
  const dir = new URL('../fixtures/hostile/', import.meta.url);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({
      name: `fixture ${e.name}`,
      build: (d: string) => file(d, 'service.yml', readFileSync(new URL(e.name, dir), 'utf8')),
    }));
}

/** Builds every hostile repository under a fresh temporary folder; returns their folders. */
export function buildHostileRepos(): {
  root: string;
  outside: string;
  repos: (HostileRepo & { dir: string })[];
} {
  const root = mkdtempSync(join(tmpdir(), 'sg-hostile-'));
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.yml'), `name: ${CANARY}\nphase: live\ntoken: ${CANARY}\n`);
  const bigRepos: HostileRepo[] = BIG_FILES.map(({ name, files }) => ({
    name,
    build: withManifest((d) => {
      for (const [path, text] of Object.entries(files())) file(d, path, text);
    }),
  }));
  const bigManifests: HostileRepo[] = BIG_MANIFESTS.map(({ name, text }) => ({
    name,
    build: (d: string) => file(d, 'service.yml', text()),
  }));
  const repos = [...HOSTILE_REPOS, ...bigRepos, ...bigManifests, ...committedManifests()].map(
    (r, i) => {
      const dir = join(root, 'repos', `r${i}`);
      mkdirSync(dir, { recursive: true });
      r.build(dir, outside);
      return { ...r, dir };
    },
  );
  return { root, outside, repos };
}

/** A copy of a valid example, for cases that need a working repository to start from. */
export function copyExample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-example-'));
  cpSync(new URL(`../../examples/${name}`, import.meta.url).pathname, dir, { recursive: true });
  return dir;
}
