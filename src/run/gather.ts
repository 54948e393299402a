import { type Diagnostic, fileDiagnostic } from '../core/diagnostics.js';
import { EVIDENCE_BUDGET_BYTES } from '../core/limits.js';
import { readWithinBudget } from './evidence-budget.js';
import { detectEvidence, type Evidence } from '../core/evidence/detect.js';
import {
  MAX_EVIDENCE_BYTES,
  selectEvidenceFiles,
  tooLargeReason,
} from '../core/evidence/evidence-files.js';
import {
  MANIFEST_FILE,
  MANIFEST_MISSING,
  type ManifestResult,
  manifestPathIn,
  parseManifest,
} from '../core/manifest/load.js';
import type { Manifest } from '../core/manifest/schema.js';
import { DEFAULT_YAML_LIMITS } from '../core/yaml/untrusted-yaml.js';
import type { FileRead, Scm } from '../scm/scm.js';

/**
 * The reads of one evaluation: the manifest and evidence at the head, and the manifest at the
 * base. None depends on policy, so a shell may start them while its policy loads (the App does,
 * so that both share one GraphQL request).
 */

/** Where the base manifest comes from: a ref (read through the head's Scm unless another is given), or text. */
export type BaseSource =
  { ref: string; scm?: Pick<Scm, 'readFile'> } | { text: string; file: string };

export interface RepositoryToRead {
  scm: Scm;
  /** The ref judged; undefined means the Scm's own head (the working tree, the pushed commit). */
  headRef?: string;
  base?: BaseSource;
}

/** Everything the core needs from a repository, read once. */
export interface GatheredInputs {
  manifest: ManifestResult;
  /** The manifest on the base branch, when judging a change. */
  base?: Manifest;
  evidence: Evidence;
}

export async function gather(
  repository: RepositoryToRead,
  options: { manifestPath?: string } = {},
): Promise<GatheredInputs> {
  const { scm, headRef } = repository;
  // The manifest and base reads start beside the listing and the evidence reads right after it,
  // as before, so a shell that batches reads (the Action, the App) still sends them together;
  // only a service.yaml needs its own read.
  const guess = options.manifestPath ?? MANIFEST_FILE;
  const guessed = readManifest(scm, guess, headRef);
  const guessedBase = readBase(repository, guess);
  guessed.catch(() => undefined);
  guessedBase.catch(() => undefined);
  const paths = await scm.listPaths(headRef);
  const path = options.manifestPath ?? manifestPathIn(paths);
  const [manifest, evidence, base] = await Promise.all([
    path === guess ? guessed : readManifest(scm, path, headRef),
    readEvidenceAmong(scm, paths, headRef),
    path === guess ? guessedBase : readBase(repository, path),
  ]);
  return { manifest, evidence, base };
}

export async function readManifest(
  scm: Pick<Scm, 'readFile'>,
  path: string,
  ref?: string,
): Promise<ManifestResult> {
  const limit = DEFAULT_YAML_LIMITS.maxBytes;
  const read = await scm.readFile(path, { ref, maxBytes: limit });
  if (read.status === 'ok') return parseManifest(read.text, path);
  return { ok: false, file: path, diagnostics: [manifestReadProblem(path, read, limit)] };
}

function manifestReadProblem(
  path: string,
  read: Exclude<FileRead, { status: 'ok' }>,
  limit: number,
): Diagnostic {
  switch (read.status) {
    case 'missing':
      return fileDiagnostic({
        file: path,
        code: MANIFEST_MISSING,
        message: `There is no ${path} in this repository.`,
        hint: 'Run `npx service-gate init` to write one from what the repository shows, then fill in the phase and assessments.',
      });
    case 'unreadable':
      return fileDiagnostic({
        file: path,
        code: 'manifest/unreadable',
        message: `${path} ${read.reason}, so it was not read.`,
        hint: `Make ${path} a plain file in the repository (not a link to elsewhere).`,
      });
    case 'too-large':
      return fileDiagnostic({
        file: path,
        code: 'yaml/too-large',
        message: `${path} is ${read.bytes} bytes; the limit is ${limit}.`,
        hint: 'Keep service.yml to the facts and link to long documents instead of pasting them.',
      });
  }
}

/**
 * Evidence through any Scm: the one selection list, read file by file (each within its own
 * limit and all within the repository's evidence budget) so every file not read is named.
 */
export async function readEvidence(scm: Scm, ref?: string): Promise<Evidence> {
  return readEvidenceAmong(scm, await scm.listPaths(ref), ref);
}

async function readEvidenceAmong(
  scm: Scm,
  paths: readonly string[],
  ref?: string,
): Promise<Evidence> {
  const { files, skipped } = await readWithinBudget(scm, selectEvidenceFiles(paths), {
    ref,
    perFile: MAX_EVIDENCE_BYTES,
  });
  const unread = new Map<string, string>();
  for (const [p, r] of skipped) {
    if (r.status === 'too-large') unread.set(p, tooLargeReason(r.bytes));
    // A link out of the repository, a FIFO or a device: on disk, but not evidence to be read.
    else if (r.status === 'unreadable') unread.set(p, `it ${r.reason}`);
    else if (r.status === 'over-budget')
      unread.set(
        p,
        `the repository's evidence files together pass the ${EVIDENCE_BUDGET_BYTES} bytes Service Gate reads`,
      );
  }
  return detectEvidence({ paths, files, unread });
}

async function readBase(repository: RepositoryToRead, path: string): Promise<Manifest | undefined> {
  const base = repository.base;
  if (!base) return undefined;
  const result =
    'text' in base
      ? parseManifest(base.text, base.file)
      : await readManifest(base.scm ?? repository.scm, path, base.ref);
  // A base that is missing or invalid cannot say where the service came from: judge the head alone.
  return result.ok ? result.manifest : undefined;
}
