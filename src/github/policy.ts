import type { Diagnostic } from '../core/diagnostics.js';
import { POLICY_FILE_BYTES } from '../core/limits.js';
import { diagnostic } from '../core/diagnostics.js';
import { excerpt } from '../core/excerpt.js';
import { loadedPolicy, type LoadedPolicy, packPathsOf } from '../core/policy/loaded.js';
import { parsePolicy } from '../core/policy/load.js';
import type { PolicyLayer } from '../core/policy/merge.js';
import {
  isPolicyFilePath,
  packPathDiagnostic,
  packPathProblem,
  POLICY_PATH,
} from '../core/policy/paths.js';
import { compilePack, type Pack } from '../core/rules/pack.js';
import { bundledPacks } from '../run/bundled-packs.js';
import type { FileRead } from '../scm/scm.js';
import type { GitHub } from './client.js';

export { POLICY_PATH };
export type { LoadedPolicy };

const MAX_EXTENDS = 3;
const HISTORY_DEPTH = 10;

/** Where policy files are read from: GitHubScm in the App, a plain blob reader in the Action. */
export interface PolicySource {
  owner: string;
  repo: string;
  readElsewhere(
    owner: string,
    name: string,
    expression: string,
    maxBytes?: number,
  ): Promise<FileRead>;
  /** For falling back to the last valid version of a broken policy file. */
  github?: GitHub;
}

interface Location {
  owner: string;
  repo: string;
  path: string;
}

const display = (l: Location) => `${l.owner}/${l.repo}:${l.path}`;
const sameFile = (a: Location, b: Location) =>
  a.owner.toLowerCase() === b.owner.toLowerCase() &&
  a.repo.toLowerCase() === b.repo.toLowerCase() &&
  a.path === b.path;

/**
 * The policy a repository is judged by. The organisation's central file (its `.github`
 * repository's .github/service-gate.yml) always applies, after its `_extends` ancestors (up to
 * three levels); only central files lock settings and grant waivers. The repository's own file,
 * and whatever its `_extends` names, only add layers beneath them. `_extends` may name only
 * policy files in `.github` repositories or in repositories the central policy lists under
 * `trusted_sources`, so a repository cannot make Service Gate read (and echo) other files.
 * Everything is read from default branches ("HEAD:"), or for the repository's own file at `ref`
 * (the pull request's base SHA in the Action): a pull request's head is never read, so it
 * cannot change the policy it is judged by. A broken file is reported, and its last valid
 * version (from its history) is used instead.
 */
export async function loadPolicyFromGitHub(
  scm: PolicySource,
  options: { path?: string; ref?: string } = {},
): Promise<LoadedPolicy> {
  const own: Location = { owner: scm.owner, repo: scm.repo, path: options.path ?? POLICY_PATH };
  const org: Location = { owner: scm.owner, repo: '.github', path: POLICY_PATH };
  const ownIsCentral = sameFile(own, org);
  const diagnostics: Diagnostic[] = [];
  const reader = new ChainReader(scm, diagnostics);
  const [ownText, orgText] = await Promise.all([
    reader.read(own, options.ref ?? 'HEAD'),
    ownIsCentral ? undefined : reader.read(org),
  ]);

  // The central chain: the organisation's file, then what it extends, most general first.
  const central: PolicyLayer[] = [];
  const orgLayer = ownIsCentral
    ? ownText === undefined
      ? undefined
      : await reader.parse(own, ownText, true)
    : orgText === undefined
      ? undefined
      : await reader.parse(org, orgText, true);
  if (orgLayer) {
    central.push(orgLayer);
    const trusted = new Set((orgLayer.policy.trusted_sources ?? []).map((s) => s.toLowerCase()));
    for (const layer of await reader.follow(orgLayer, true, trusted, MAX_EXTENDS))
      central.unshift(layer);
  }

  // The repository's own file, and what it extends, beneath the central chain.
  const beneath: PolicyLayer[] = [];
  if (!ownIsCentral && ownText !== undefined) {
    const ownLayer = await reader.parse(own, ownText, false);
    if (ownLayer) {
      const trusted = new Set((orgLayer?.policy.trusted_sources ?? []).map((s) => s.toLowerCase()));
      beneath.push(
        ...(await reader.follow(ownLayer, false, trusted, MAX_EXTENDS - central.length)).reverse(),
        ownLayer,
      );
    }
  }

  const layers = [...central, ...beneath];
  const packs = await loadCustomPacks(scm, layers);
  return loadedPolicy({
    layers,
    packs: { bundled: bundledPacks(), custom: packs.customPacks },
    diagnostics: [...diagnostics, ...packs.diagnostics],
  });
}

/** Reads the files of one policy chain, remembering which it has read so none is read twice. */
class ChainReader {
  readonly #seen: Location[] = [];

  constructor(
    readonly scm: PolicySource,
    readonly diagnostics: Diagnostic[],
  ) {}

  async read(at: Location, ref = 'HEAD'): Promise<string | undefined> {
    this.#seen.push(at);
    return readPolicyText(this.scm, at, ref, this.diagnostics);
  }

  /**
   * The layers `layer`'s `_extends` reaches, nearest first. Central chains stay central; what a
   * repository file extends is read as a repository layer (no locks, no waivers).
   */
  async follow(
    layer: PolicyLayer,
    central: boolean,
    trusted: ReadonlySet<string>,
    depth: number,
  ): Promise<PolicyLayer[]> {
    const out: PolicyLayer[] = [];
    let from = layer;
    while (from.policy._extends !== undefined) {
      const target = this.#target(from);
      if (!target) break;
      if (this.#seen.some((s) => sameFile(s, target))) {
        // Naming the organisation's own file again is what a repository file usually does.
        if (!central && target.repo === '.github' && target.path === POLICY_PATH) break;
        this.#problem(
          from,
          'policy/extends-loop',
          `_extends reaches ${display(target)} again.`,
          'Point _extends at a policy that does not extend back.',
        );
        break;
      }
      if (out.length >= depth) {
        this.#problem(
          from,
          'policy/extends-loop',
          `_extends goes deeper than ${MAX_EXTENDS} levels.`,
          'Point _extends at a policy nearer the top of the chain.',
        );
        break;
      }
      if (
        target.repo !== '.github' &&
        !trusted.has(`${target.owner}/${target.repo}`.toLowerCase())
      ) {
        this.#problem(
          from,
          'policy/extends-untrusted',
          `_extends names ${display(target)}, which is not in a .github repository or in the central policy's trusted_sources, so it is not read.`,
          "Extend a policy in an organisation's .github repository, or ask the central unit to add the repository to trusted_sources.",
        );
        break;
      }
      const text = await this.read(target);
      if (text === undefined) {
        this.#problem(
          from,
          'policy/extends-missing',
          `_extends points at ${display(target)}, which does not exist or cannot be read.`,
          'Check the repository name, and that Service Gate can read it.',
        );
        break;
      }
      const next = await this.parse(target, text, central);
      if (!next) break;
      out.push(next);
      from = next;
    }
    return out;
  }

  /** Parses a policy file; when it is invalid, reports it and falls back to its last valid version. */
  async parse(at: Location, text: string, central: boolean): Promise<PolicyLayer | undefined> {
    return parseOrFallBack(this.scm, at, text, central, this.diagnostics);
  }

  #target(from: PolicyLayer): Location | undefined {
    const value = from.policy._extends!;
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?::(.+))?$/.exec(value.trim());
    if (!m) {
      this.#problem(
        from,
        'policy/extends-invalid',
        `_extends must be owner/repo or owner/repo:path, not ${excerpt(value)}.`,
        'For example: _extends: my-department/.github',
      );
      return undefined;
    }
    const target = { owner: m[1]!, repo: m[2]!, path: m[3] ?? POLICY_PATH };
    if (!isPolicyFilePath(target.path)) {
      this.#problem(
        from,
        'policy/extends-not-policy',
        `_extends may name only a policy file (.github/service-gate.yml or .github/service-gate/NAME.yml), not ${excerpt(target.path)}.`,
        'Leave out the path to use .github/service-gate.yml.',
      );
      return undefined;
    }
    return target;
  }

  #problem(from: PolicyLayer, code: string, message: string, hint: string): void {
    const p = from.locate?.(['_extends']) ?? { line: 1, column: 1 };
    this.diagnostics.push(
      diagnostic({
        file: from.file,
        line: p.line,
        column: p.column,
        code: code,
        message: message,
        hint: hint,
      }),
    );
  }
}

async function readPolicyText(
  scm: PolicySource,
  at: Location,
  ref: string,
  diagnostics: Diagnostic[],
): Promise<string | undefined> {
  const r = await scm.readElsewhere(at.owner, at.repo, `${ref}:${at.path}`, POLICY_FILE_BYTES);
  if (r.status === 'too-large')
    diagnostics.push(
      diagnostic({
        file: display(at),
        line: 1,
        column: 1,
        code: 'policy/too-large',
        message: `${display(at)} is ${r.bytes} bytes; a policy file may be at most ${POLICY_FILE_BYTES}, so it is not applied.`,
        hint: 'Keep the policy to settings; move rules into packs named in packs.paths.',
      }),
    );
  return r.status === 'ok' ? r.text : undefined;
}

/**
 * Parses a policy file; when it is invalid, reports it and walks back through the file's
 * commits to the last version that parses, so evaluation never falls back to "no policy".
 */
async function parseOrFallBack(
  scm: PolicySource,
  at: Location,
  text: string,
  central: boolean,
  diagnostics: Diagnostic[],
): Promise<PolicyLayer | undefined> {
  const file = display(at);
  const source = { kind: 'github', ...at } as const;
  const parsed = parsePolicy(text, file);
  if (parsed.ok) return parsed.layer(central, source);
  diagnostics.push(...parsed.diagnostics);
  if (!scm.github) return undefined;
  let commits: { sha: string; commit?: { committer?: { date?: string } } }[];
  try {
    ({ data: commits } = await scm.github.request('GET /repos/{owner}/{repo}/commits', {
      owner: at.owner,
      repo: at.repo,
      path: at.path,
      per_page: HISTORY_DEPTH,
    }));
  } catch {
    return undefined;
  }
  for (const c of commits.slice(1)) {
    const older = await readPolicyText(scm, at, c.sha, []);
    if (older === undefined) continue;
    const attempt = parsePolicy(older, `${file}@${c.sha.slice(0, 7)}`);
    if (attempt.ok) {
      diagnostics.push(
        diagnostic({
          file: file,
          line: 1,
          column: 1,
          code: 'policy/using-last-valid',
          message: `${file} is invalid, so its last valid version (${c.sha.slice(0, 7)}${c.commit?.committer?.date ? `, ${c.commit.committer.date.slice(0, 10)}` : ''}) is applied.`,
          hint: 'Fix the errors reported for this file; until then the older version stays in force.',
        }),
      );
      return attempt.layer(central, source);
    }
  }
  return undefined;
}

/** Custom packs are files named in packs.paths, relative to the root of the repository whose policy names them. */
async function loadCustomPacks(
  scm: PolicySource,
  layers: readonly PolicyLayer[],
): Promise<{ customPacks: Pack[]; diagnostics: Diagnostic[] }> {
  const customPacks: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  await Promise.all(
    packPathsOf(layers).map(async ({ layer, path }) => {
      if (layer.source?.kind !== 'github') return;
      const problem = packPathProblem(path);
      const at = {
        owner: layer.source.owner,
        repo: layer.source.repo,
        path: path.replace(/^\.\//, ''),
      };
      if (problem) {
        diagnostics.push(packPathDiagnostic(layer, problem));
        return;
      }
      const text = await readPolicyText(scm, at, 'HEAD', diagnostics);
      if (text === undefined) {
        diagnostics.push(
          diagnostic({
            file: display(at),
            line: 1,
            column: 1,
            code: 'policy/pack-missing',
            message: `The rule pack ${display(at)} named in packs.paths does not exist.`,
            hint: 'Name pack files (not folders) relative to the policy repository root.',
          }),
        );
        return;
      }
      const compiled = compilePack(text, display(at));
      if (compiled.ok) customPacks.push(compiled.pack);
      else diagnostics.push(...compiled.diagnostics);
    }),
  );
  return { customPacks, diagnostics };
}
