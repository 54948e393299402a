import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { type CompileOptions, compilePack, type Pack } from '../core/rules/pack.js';

/**
 * rules/ sits beside lib/ in the package, and beside index.js in the Action's dist/. The paths
 * are built from parts so that the bundler leaves them alone: the build copies rules/ whole.
 */
export function bundledRulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [['..', '..', 'rules'], ['rules']].map((parts) => resolve(here, ...parts));
  for (const dir of candidates) {
    if (existsSync(join(dir, 'service-gate-core.yml'))) return dir;
  }
  throw new Error('The bundled rule packs (rules/*.yml) are missing from this installation.');
}

export interface LoadedPacks {
  packs: Pack[];
  diagnostics: Diagnostic[];
}

/** Reads and compiles every *.yml pack in the given files or folders. */
export function loadPackFiles(
  paths: readonly string[],
  displayRoot?: string,
  options: CompileOptions = {},
): LoadedPacks {
  const packs: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
  for (const file of files) {
    const name =
      displayRoot && file.startsWith(displayRoot)
        ? file.slice(displayRoot.length).replace(/^\//, '')
        : file;
    const result = compilePack(readFileSync(file, 'utf8'), name, options);
    if (result.ok) packs.push(result.pack);
    else diagnostics.push(...result.diagnostics);
  }
  return { packs, diagnostics };
}

let cached: Pack[] | undefined;

/** The packs shipped in rules/, compiled once per process. A broken bundled pack is a bug: throw. */
export function bundledPacks(): Pack[] {
  if (cached) return cached;
  const dir = bundledRulesDir();
  const { packs, diagnostics } = loadPackFiles([dir], dir, { lazyTemplates: true });
  if (diagnostics.length > 0) {
    throw new Error(
      `Bundled rule packs are invalid:\n${diagnostics.map((d) => `rules/${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`,
    );
  }
  cached = packs;
  return packs;
}
