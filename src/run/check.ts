import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { evaluate, type EvaluationInput } from '../core/evaluate.js';
import { detectEvidence, type Evidence } from '../core/evidence/detect.js';
import { MAX_EVIDENCE_BYTES, selectEvidenceFiles } from '../core/evidence/evidence-files.js';
import { MANIFEST_FILE, type ManifestResult, parseManifest } from '../core/manifest/load.js';
import type { Manifest } from '../core/manifest/schema.js';
import { effectivePolicy } from '../core/policy/effective.js';
import type { Policy } from '../core/policy/schema.js';
import type { Report } from '../core/report.js';
import { indexPacks, type Pack } from '../core/rules/pack.js';
import { DEFAULT_YAML_LIMITS } from '../core/yaml/untrusted-yaml.js';
import type { Scm } from '../scm/scm.js';
import { bundledPacks } from './bundled-packs.js';

export interface CheckRequest {
  scm: Scm;
  /** Path of service.yml inside the repository. */
  manifestPath?: string;
  /** The ref being judged; undefined means the working tree (CLI). */
  headRef?: string;
  /** The base manifest, from a ref or given as text (--base FILE). */
  base?: { ref: string } | { text: string; file: string };
  /** Policy, already read from the default branch (never from the head). */
  policy?: Policy;
  /** Problems found loading policy or custom packs; shown as findings. */
  setupDiagnostics?: Diagnostic[];
  /** Custom packs from policy; they replace bundled packs with the same id. */
  customPacks?: Pack[];
  now: string;
  repository?: string;
  approvedBy?: string[];
}

/** I/O around the pure core: read what it needs through an Scm, then evaluate. */
export async function runCheck(request: CheckRequest): Promise<Report> {
  return evaluate(await gatherInputs(request));
}

/**
 * Everything evaluation needs, read once. Shells that evaluate more than once (the App, after
 * reading approvals) reuse it: evaluation is pure and cheap, reading is neither.
 */
export async function gatherInputs(request: CheckRequest): Promise<EvaluationInput> {
  const manifestPath = request.manifestPath ?? MANIFEST_FILE;
  const [manifest, evidence, base] = await Promise.all([
    readManifest(request.scm, manifestPath, request.headRef),
    readEvidence(request.scm, request.headRef),
    readBase(request, manifestPath),
  ]);
  return {
    manifest,
    base,
    evidence,
    policy: effectivePolicy(request.policy),
    packs: indexPacks([...bundledPacks(), ...(request.customPacks ?? [])]),
    now: request.now,
    repository: request.repository,
    approvedBy: request.approvedBy,
    setupDiagnostics: request.setupDiagnostics,
  };
}

export async function readManifest(scm: Scm, path: string, ref?: string): Promise<ManifestResult> {
  const read = await scm.readFile(path, { ref, maxBytes: DEFAULT_YAML_LIMITS.maxBytes });
  if (read.status === 'ok') return parseManifest(read.text, path);
  const d =
    read.status === 'missing'
      ? diagnostic(
          path,
          1,
          1,
          'manifest/missing',
          `There is no ${path} in this repository.`,
          'Run `npx service-gate init` to write one from what the repository shows, then fill in the phase and assessments.',
        )
      : diagnostic(
          path,
          1,
          1,
          'yaml/too-large',
          `${path} is ${read.bytes} bytes; the limit is ${DEFAULT_YAML_LIMITS.maxBytes}.`,
          'Keep service.yml to the facts and link to long documents instead of pasting them.',
        );
  return { ok: false, file: path, diagnostics: [d] };
}

export async function readEvidence(scm: Scm, ref?: string): Promise<Evidence> {
  const paths = await scm.listPaths(ref);
  const files = await scm.readFiles(selectEvidenceFiles(paths), {
    ref,
    maxBytes: MAX_EVIDENCE_BYTES,
  });
  return detectEvidence({ paths, files });
}

async function readBase(
  request: CheckRequest,
  manifestPath: string,
): Promise<Manifest | undefined> {
  if (!request.base) return undefined;
  const result =
    'text' in request.base
      ? parseManifest(request.base.text, request.base.file)
      : await readManifest(request.scm, manifestPath, request.base.ref);
  // A base that is missing or invalid cannot say where the service came from: judge the head alone.
  return result.ok ? result.manifest : undefined;
}
