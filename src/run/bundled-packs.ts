import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { PACK_FILE_BYTES } from '../core/limits.js';
import { listFiles, pathKind, readRegularFile } from '../scm/safe-fs.js';
import type { FileRead } from '../scm/scm.js';
import { createHash } from 'node:crypto';
import { registerParsed, type SerializedExpr, serializeParsed } from '../core/rules/cel.js';
import {
  buildPack,
  type CompileOptions,
  compilePack,
  type Pack,
  packExpressions,
  packSchema,
  type PackSource,
} from '../core/rules/pack.js';
import { DEFAULT_YAML_LIMITS, parseUntrustedYaml } from '../core/yaml/untrusted-yaml.js';

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

/**
 * Reads and compiles every *.yml pack in the given files or folders. Each file is read through
 * safe-fs: a regular file within PACK_FILE_BYTES, and inside `root` when one is given.
 */
export function loadPackFiles(
  paths: readonly string[],
  displayRoot?: string,
  options: CompileOptions & { root?: string } = {},
): LoadedPacks {
  const packs: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  const files = paths.flatMap((p) =>
    pathKind(p) === 'directory' ? listFiles(p, (f) => /\.ya?ml$/.test(f)) : [p],
  );
  for (const file of files) {
    const name =
      displayRoot && file.startsWith(displayRoot)
        ? file.slice(displayRoot.length).replace(/^\//, '')
        : file;
    const read = readRegularFile(file, { maxBytes: PACK_FILE_BYTES, root: options.root });
    if (read.status !== 'ok') {
      diagnostics.push(packReadProblem(name, read));
      continue;
    }
    const result = compilePack(read.text, name, options);
    if (result.ok) packs.push(result.pack);
    else diagnostics.push(...result.diagnostics);
  }
  return { packs, diagnostics };
}

function packReadProblem(name: string, read: Exclude<FileRead, { status: 'ok' }>): Diagnostic {
  const why =
    read.status === 'missing'
      ? 'does not exist'
      : read.status === 'too-large'
        ? `is larger than ${PACK_FILE_BYTES} bytes`
        : read.reason;
  return diagnostic({
    file: name,
    line: 1,
    column: 1,
    code: 'pack/unreadable',
    message: `The rule pack ${name} ${why}, so it was not loaded.`,
    hint: 'Name a regular rule pack file (YAML) inside the repository in packs.paths.',
  });
}

let cached: Pack[] | undefined;

/** What the build writes to rules.compiled.json: validated packs and their parsed expressions. */
export interface PrecompiledPacks {
  /** Of the rules/*.yml it was built from; a mismatch means the cache is stale and is ignored. */
  hash: string;
  packs: { file: string; source: PackSource; lines: number[] }[];
  parsed: Record<string, SerializedExpr>;
}

function readRuleFiles(dir: string): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

export function hashRuleFiles(files: readonly { file: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.file}\0${f.text}\0`);
  return h.digest('hex');
}

/** Validates every bundled pack and parses every expression once, at build time. */
export function precompileBundledPacks(): PrecompiledPacks {
  const files = readRuleFiles(bundledRulesDir());
  const packs: PrecompiledPacks['packs'] = [];
  const parsed: Record<string, SerializedExpr> = {};
  for (const { file, text } of files) {
    const parsedYaml = parseUntrustedYaml(text, file, {
      ...DEFAULT_YAML_LIMITS,
      maxBytes: PACK_FILE_BYTES,
    });
    const result = compilePack(text, file);
    if (!result.ok || !parsedYaml.ok)
      throw new Error(
        `rules/${file} is invalid: ${JSON.stringify(result.ok ? parsedYaml : result.diagnostics)}`,
      );
    const source = packSchema.parse(parsedYaml.yaml.value);
    packs.push({ file, source, lines: result.pack.rules.map((r) => r.line) });
    for (const e of packExpressions(source)) parsed[e] = serializeParsed(e);
  }
  return { hash: hashRuleFiles(files), packs, parsed };
}

/**
 * The packs shipped in rules/, built once per process: from rules.compiled.json when it matches
 * the YAML (written by the build beside lib/ and dist/), else from the YAML itself.
 */
export function bundledPacks(): Pack[] {
  if (cached) return cached;
  const dir = bundledRulesDir();
  const files = readRuleFiles(dir);
  const compiledPath = [
    resolve(dir, '..', 'lib', 'rules.compiled.json'),
    resolve(dir, '..', 'rules.compiled.json'),
  ].find((p) => existsSync(p));
  const ahead = compiledPath
    ? (JSON.parse(readFileSync(compiledPath, 'utf8')) as PrecompiledPacks)
    : undefined;
  if (ahead && ahead.hash === hashRuleFiles(files)) {
    registerParsed(ahead.parsed);
    cached = ahead.packs.map((p) => buildPack(p.source, p.file, p.lines));
    return cached;
  }
  const { packs, diagnostics } = loadPackFiles([dir], dir, { lazy: true });
  if (diagnostics.length > 0) {
    throw new Error(
      `Bundled rule packs are invalid:\n${diagnostics.map((d) => `rules/${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`,
    );
  }
  cached = packs;
  return packs;
}
