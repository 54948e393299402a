import { dirname, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../../core/diagnostics.js';
import {
  containingRoot,
  isInside,
  listFiles,
  pathKind,
  readRegularFile,
} from '../../scm/safe-fs.js';
import { realpathSync } from 'node:fs';

/**
 * The CLI's reads of files a repository or a person names (policy files, rule packs), through
 * safe-fs. A file lexically inside the repository must also resolve inside it, so a link planted
 * in a checkout cannot point a read at a secret; a file outside it (`--central ~/policy.yml`) is
 * the person's own choice, but is still read only if it is a regular file, within a budget.
 */

export type LocalRead =
  | { status: 'ok'; text: string }
  | { status: 'missing' }
  | { status: 'problem'; diagnostic: Diagnostic };

export function readLocalFile(
  path: string,
  display: string,
  options: { repository: string; maxBytes: number; what: string },
): LocalRead {
  const read = readRegularFile(path, {
    maxBytes: options.maxBytes,
    root: containingRoot(options.repository, path),
  });
  switch (read.status) {
    case 'ok':
    case 'missing':
      return read;
    case 'too-large':
      return problem(
        display,
        'file-too-large',
        `${display} is larger than ${options.maxBytes} bytes, the limit for ${options.what}.`,
        `Keep ${options.what} to its settings; split a long one.`,
      );
    case 'unreadable':
      return problem(
        display,
        'file-unreadable',
        `${display} ${read.reason}, so it was not read.`,
        `Make ${display} a plain file${containingRoot(options.repository, path) ? ' inside the repository' : ''}.`,
      );
  }
}

/**
 * The rule pack files a `packs.paths` entry names: the file, or the *.yml files of the folder.
 * Entries from a file in the repository stay inside the repository.
 */
export function packFilesOf(
  entry: string,
  policyFile: string,
  repository: string,
): { files: string[] } | { problem: Diagnostic } {
  const path = resolve(dirname(policyFile), entry);
  const root = containingRoot(repository, policyFile);
  const escapes = (p: string) => root !== undefined && !isInside(realRoot(root), realOrSelf(p));
  if (root !== undefined && (!isInside(resolve(root), path) || escapes(path)))
    return {
      problem: diagnostic({
        file: policyFile,
        line: 1,
        column: 1,
        code: 'policy/pack-path-outside',
        message: `packs.paths entry '${entry}' leads outside the repository, so it was not read.`,
        hint: 'Name rule packs by a path inside the repository, or pass a central policy with --central.',
      }),
    };
  switch (pathKind(path)) {
    case 'directory':
      return { files: listFiles(path, (name) => /\.ya?ml$/.test(name)) };
    case 'missing':
      return {
        problem: diagnostic({
          file: policyFile,
          line: 1,
          column: 1,
          code: 'policy/pack-path-missing',
          message: `packs.paths entry '${entry}' does not exist.`,
          hint: 'Correct the path (it is relative to the policy file), or remove the entry.',
        }),
      };
    default:
      return { files: [path] };
  }
}

function realRoot(root: string): string {
  return realpathSync(root);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function problem(file: string, code: string, message: string, hint: string): LocalRead {
  return {
    status: 'problem',
    diagnostic: diagnostic({ file, line: 1, column: 1, code: `policy/${code}`, message, hint }),
  };
}
