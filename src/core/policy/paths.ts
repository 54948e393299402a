import { type Diagnostic, diagnostic } from '../diagnostics.js';
import { excerpt } from '../excerpt.js';
import type { PolicyLayer } from './merge.js';

/** Where a repository's (and an organisation's .github repository's) policy file lives. */
export const POLICY_PATH = '.github/service-gate.yml';

/** The files `_extends` may name: the policy file, or a named one beside it. */
export function isPolicyFilePath(path: string): boolean {
  return path === POLICY_PATH || /^\.github\/service-gate\/[A-Za-z0-9_-]+\.ya?ml$/.test(path);
}

/**
 * Why a packs.paths entry cannot be read, or undefined when it can: entries are relative to the
 * root of the repository that holds the policy file, and never leave it.
 */
export function packPathProblem(path: string): string | undefined {
  const segments = path.replace(/^\.\//, '').split(/[/\\]/);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || segments.includes('..'))
    return `packs.paths entry ${excerpt(path)} leaves the repository: name a pack file relative to its root.`;
  if (!/\.ya?ml$/.test(path))
    return `packs.paths entry ${excerpt(path)} is not a .yml rule pack file.`;
  return undefined;
}

/** A packs.paths entry that will not be read, placed on the layer's `packs.paths` line. */
export function packPathDiagnostic(layer: PolicyLayer, problem: string): Diagnostic {
  const p = layer.locate?.(['packs', 'paths']) ?? { line: 1, column: 1 };
  return diagnostic({
    file: layer.file,
    line: p.line,
    column: p.column,
    code: 'policy/pack-path',
    message: problem,
    hint: 'Name pack files relative to the root of the repository that holds this policy file, e.g. rules/extras.yml.',
  });
}
