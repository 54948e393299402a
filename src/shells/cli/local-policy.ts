import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { type Diagnostic, diagnostic } from '../../core/diagnostics.js';
import { loadedPolicy, type LoadedPolicy, packPathsOf } from '../../core/policy/loaded.js';
import { parsePolicy } from '../../core/policy/load.js';
import type { PolicyLayer } from '../../core/policy/merge.js';
import { packPathDiagnostic, packPathProblem, POLICY_PATH } from '../../core/policy/paths.js';
import { compilePack, type Pack } from '../../core/rules/pack.js';
import { bundledPacks } from '../../run/bundled-packs.js';
import { POLICY_FILE_BYTES } from '../../core/limits.js';
import { UsageError } from '../../errors.js';
import { readLocalFile } from './local-files.js';

export interface LocalPolicyOptions {
  /** The repository judged. */
  dir: string;
  cwd: string;
  /** --config: the repository's own policy file (default: DIR/.github/service-gate.yml if present). */
  config?: string;
  /** --central: the central policy files, most general first. */
  central: readonly string[];
  /** False for commands with no repository of their own (audit, merge): only the central files. */
  ownFile?: boolean;
}

/**
 * Local policy, as the App would build it: the --central files (most general first) are the
 * central chain, and the repository's own file (--config, default DIR/.github/service-gate.yml)
 * goes beneath them. The repository's file is never central, even standing alone, so its locks
 * and waivers do nothing here either: a central unit's policy is given with --central.
 * packs.paths resolve from the root of the repository that holds each file: DIR for the
 * repository's own file; for a central file in a `.github` folder, that folder's parent,
 * otherwise the file's folder.
 */
export function loadPolicy(options: LocalPolicyOptions): LoadedPolicy {
  const { dir, cwd } = options;
  const diagnostics: Diagnostic[] = [];
  const files: { display: string; root: string; path: string; central: boolean; text: string }[] =
    [];
  for (const f of options.central) {
    const path = resolve(cwd, f);
    const text = readPolicyFile(path, f, { repository: dir, diagnostics });
    if (text !== undefined)
      files.push({ display: f, root: centralRoot(path), path, central: true, text });
  }
  if (options.ownFile !== false) {
    const own = options.config
      ? { display: options.config, path: resolve(cwd, options.config) }
      : { display: POLICY_PATH, path: join(dir, POLICY_PATH) };
    const text = readPolicyFile(own.path, own.display, {
      optional: !options.config,
      repository: dir,
      diagnostics,
    });
    if (text !== undefined) files.push({ ...own, root: dir, central: false, text });
  }

  const layers: PolicyLayer[] = [];
  for (const f of files) {
    const parsed = parsePolicy(f.text, f.display);
    if (parsed.ok)
      layers.push(
        parsed.layer(f.central, { kind: 'local', root: f.root, path: relative(f.root, f.path) }),
      );
    else diagnostics.push(...parsed.diagnostics);
  }
  const packs = loadCustomPacks(layers, cwd);
  return loadedPolicy({
    layers,
    packs: { bundled: bundledPacks(), custom: packs.customPacks },
    diagnostics: [...diagnostics, ...packs.diagnostics],
  });
}

function centralRoot(file: string): string {
  const folder = dirname(file);
  return basename(folder) === '.github' ? dirname(folder) : folder;
}

/** packs.paths entries, each from the root of the repository whose file names it, never outside it. */
function loadCustomPacks(
  layers: readonly PolicyLayer[],
  cwd: string,
): { customPacks: Pack[]; diagnostics: Diagnostic[] } {
  const customPacks: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { layer, path } of packPathsOf(layers)) {
    if (layer.source?.kind !== 'local') continue;
    const root = layer.source.root;
    const full = resolve(root, path);
    const problem =
      packPathProblem(path) ??
      (isInside(root, full) ? undefined : `packs.paths entry leaves the repository.`);
    if (problem) {
      diagnostics.push(packPathDiagnostic(layer, problem));
      continue;
    }
    const display = relative(cwd, full) || full;
    const text = readPolicyFile(full, display, { optional: true, repository: root, diagnostics });
    if (text === undefined) {
      const p = layer.locate?.(['packs', 'paths']) ?? { line: 1, column: 1 };
      diagnostics.push(
        diagnostic({
          file: layer.file,
          line: p.line,
          column: p.column,
          code: 'policy/pack-missing',
          message: `The rule pack ${display} named in packs.paths does not exist.`,
          hint: 'Name pack files (not folders) relative to the root of the repository that holds this policy file.',
        }),
      );
      continue;
    }
    const compiled = compilePack(text, display);
    if (compiled.ok) customPacks.push(compiled.pack);
    else diagnostics.push(...compiled.diagnostics);
  }
  return { customPacks, diagnostics };
}

function isInside(root: string, path: string): boolean {
  const r = resolve(root);
  return path === r || path.startsWith(r.endsWith(sep) ? r : r + sep);
}

/**
 * Reads a policy or pack file through the CLI's safe reader (regular files only, a byte budget,
 * and inside its repository when lexically inside it). Missing gives undefined when optional;
 * a file that will not be read is a diagnostic, so the check fails saying why.
 */
function readPolicyFile(
  path: string,
  display: string,
  options: { optional?: boolean; repository: string; diagnostics: Diagnostic[] },
): string | undefined {
  const read = readLocalFile(path, display, {
    repository: options.repository,
    maxBytes: POLICY_FILE_BYTES,
    what: 'a policy file',
  });
  if (read.status === 'ok') return read.text;
  if (read.status === 'problem') {
    options.diagnostics.push(read.diagnostic);
    return undefined;
  }
  if (options.optional) return undefined;
  throw new UsageError(`The policy file ${display} does not exist.`);
}
