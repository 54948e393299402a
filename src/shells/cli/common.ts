import { closeSync, existsSync, mkdirSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../../core/diagnostics.js';
import { parsePolicy } from '../../core/policy/load.js';
import { mergePolicies, type MergedPolicy, type PolicyLayer } from '../../core/policy/merge.js';
import type { Policy } from '../../core/policy/schema.js';
import type { Pack } from '../../core/rules/pack.js';
import { UsageError } from '../../errors.js';
import { POLICY_FILE_BYTES } from '../../core/limits.js';
import { type LoadedPacks, loadPackFiles } from '../../run/bundled-packs.js';
import { openForWrite, UnsafeWriteError } from '../../scm/safe-fs.js';
import { packFilesOf, readLocalFile } from './local-files.js';
import { containingRoot } from '../../scm/safe-fs.js';

/** Where output goes; injected so tests can run the CLI in-process. */
export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  cwd: string;
  today: () => string;
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

export interface LocalPolicy {
  policy?: Policy;
  merged?: MergedPolicy;
  customPacks: Pack[];
  diagnostics: Diagnostic[];
  /** The parsed files, most general first. */
  layers: PolicyLayer[];
}

/**
 * Local policy: --central files (most general first), then the repository's own file
 * (--config, default DIR/.github/service-gate.yml). Without --central, the repository's file
 * stands alone and is treated as central, so its locks and waivers apply.
 */
export function loadPolicy(
  dir: string,
  configFlag: string | undefined,
  centralFlags: readonly string[],
  cwd: string,
  options: { optional?: boolean } = {},
): LocalPolicy {
  const ownFile = configFlag ? resolve(cwd, configFlag) : join(dir, '.github', 'service-gate.yml');
  const files = [
    ...centralFlags.map((f) => ({ path: resolve(cwd, f), display: f, central: true })),
    {
      path: ownFile,
      display: configFlag ?? '.github/service-gate.yml',
      central: centralFlags.length === 0,
    },
  ];
  const layers: PolicyLayer[] = [];
  const layerFiles: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const read = readLocalFile(f.path, f.display, {
      repository: dir,
      maxBytes: POLICY_FILE_BYTES,
      what: 'a policy file',
    });
    if (read.status === 'missing') {
      // Only the repository's own default file may be absent.
      if (f.path === ownFile && (!configFlag || options.optional)) continue;
      throw new UsageError(`The policy file ${f.display} does not exist.`);
    }
    if (read.status === 'problem') {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const parsed = parsePolicy(read.text, f.display);
    if (parsed.ok) {
      layers.push(parsed.layer(f.central));
      layerFiles.push(f.path);
    } else diagnostics.push(...parsed.diagnostics);
  }
  if (layers.length === 0) return { customPacks: [], diagnostics, layers };
  const merged = mergePolicies(layers);
  const loaded: LoadedPacks = { packs: [], diagnostics: [] };
  layers.forEach((layer, i) => {
    const file = layerFiles[i]!;
    for (const entry of layer.policy.packs?.paths ?? []) {
      const named = packFilesOf(entry, file, dir);
      if ('problem' in named) {
        loaded.diagnostics.push(named.problem);
        continue;
      }
      const some = loadPackFiles(named.files, undefined, { root: containingRoot(dir, file) });
      loaded.packs.push(...some.packs);
      loaded.diagnostics.push(...some.diagnostics);
    }
  });
  return {
    policy: merged.policy,
    merged,
    customPacks: loaded.packs,
    diagnostics: [...diagnostics, ...merged.diagnostics, ...loaded.diagnostics],
    layers,
  };
}
