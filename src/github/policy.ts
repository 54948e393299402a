import type { Diagnostic } from '../core/diagnostics.js';
import { POLICY_FILE_BYTES } from '../core/limits.js';
import { diagnostic } from '../core/diagnostics.js';
import { parsePolicy } from '../core/policy/load.js';
import { mergePolicies, type MergedPolicy, type PolicyLayer } from '../core/policy/merge.js';
import type { Policy } from '../core/policy/schema.js';
import { compilePack, type Pack } from '../core/rules/pack.js';
import type { FileRead } from '../scm/scm.js';
import type { GitHub } from './client.js';

export const POLICY_PATH = '.github/service-gate.yml';
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

export interface LoadedPolicy {
  policy?: Policy;
  merged?: MergedPolicy;
  customPacks: Pack[];
  diagnostics: Diagnostic[];
  /** The files that made the policy, most general first, e.g. ["org/.github:.github/service-gate.yml"]. */
  sources: string[];
  /** The parsed files themselves, most general first (an audit adds each repository's own on top). */
  layers: PolicyLayer[];
}

interface Location {
  owner: string;
  repo: string;
  path: string;
}

const display = (l: Location) => `${l.owner}/${l.repo}:${l.path}`;

/**
 * The policy a repository is judged by. Central files come first: the organisation's .github
 * repository (or whatever the repository's own file names in `_extends`), then their `_extends`
 * ancestors, up to three levels; the repository's own .github/service-gate.yml comes last and
 * may only tighten locked settings. Everything is read from default branches ("HEAD:"), or for
 * the repository's own file at `ref` (the pull request's base SHA in the Action): a pull
 * request's head is never read, so it cannot change the policy it is judged by. A broken file
 * is reported, and its last valid version (from its history) is used instead.
 */
export async function loadPolicyFromGitHub(
  scm: PolicySource,
  options: { path?: string; ref?: string } = {},
): Promise<LoadedPolicy> {
  const own: Location = { owner: scm.owner, repo: scm.repo, path: options.path ?? POLICY_PATH };
  const org: Location = { owner: scm.owner, repo: '.github', path: POLICY_PATH };
  const isCentralRepo = scm.repo === '.github';
  const [ownText, orgText] = await Promise.all([
    read(scm, own, options.ref ?? 'HEAD'),
    isCentralRepo ? undefined : read(scm, org),
  ]);
  const diagnostics: Diagnostic[] = [];
  const layers: PolicyLayer[] = [];

  const ownLayer =
    ownText === undefined
      ? undefined
      : await parseOrFallBack(scm, own, ownText, isCentralRepo, diagnostics);
  const firstCentral = ownLayer?.policy._extends
    ? parseExtends(ownLayer.policy._extends)
    : isCentralRepo
      ? undefined
      : org;
  if (ownLayer?.policy._extends && !firstCentral) {
    diagnostics.push(
      diagnostic({
        file: display(own),
        line: 1,
        column: 1,
        code: 'policy/extends-invalid',
        message: `_extends must be owner/repo or owner/repo:path, not '${ownLayer.policy._extends}'.`,
        hint: 'For example: _extends: my-department/.github',
      }),
    );
  }

  let next = firstCentral;
  // The organisation file was read alongside the repository's own: never read it twice.
  let prefetched: { text: string | undefined } | undefined =
    firstCentral === org ? { text: orgText } : undefined;
  const seen = new Set<string>([display(own)]);
  while (next) {
    const file = display(next);
    if (seen.has(file) || layers.length >= MAX_EXTENDS) {
      diagnostics.push(
        diagnostic({
          file,
          line: 1,
          column: 1,
          code: 'policy/extends-loop',
          message: `_extends reaches ${file} again, or goes deeper than ${MAX_EXTENDS} levels.`,
          hint: 'Point _extends at a policy that does not extend back.',
        }),
      );
      break;
    }
    seen.add(file);
    const text = prefetched ? prefetched.text : await read(scm, next);
    prefetched = undefined;
    if (text === undefined) {
      if (next !== org)
        diagnostics.push(
          diagnostic({
            file,
            line: 1,
            column: 1,
            code: 'policy/extends-missing',
            message: `_extends points at ${file}, which does not exist or cannot be read.`,
            hint: 'Check the repository name, and that Service Gate can read it.',
          }),
        );
      break;
    }
    const layer = await parseOrFallBack(scm, next, text, true, diagnostics);
    if (!layer) break;
    layers.unshift(layer);
    next = layer.policy._extends ? parseExtends(layer.policy._extends) : undefined;
  }
  if (ownLayer) layers.push(ownLayer);
  if (layers.length === 0) return { customPacks: [], diagnostics, sources: [], layers };

  const merged = mergePolicies(layers);
  const packs = await loadCustomPacks(scm, layers);
  return {
    policy: merged.policy,
    merged,
    customPacks: packs.customPacks,
    diagnostics: [...diagnostics, ...merged.diagnostics, ...packs.diagnostics],
    sources: layers.map((l) => l.file),
    layers,
  };
}

function parseExtends(value: string): Location | undefined {
  const m = /^([^/\s:]+)\/([^/\s:]+)(?::(.+))?$/.exec(value.trim());
  if (!m) return undefined;
  return { owner: m[1]!, repo: m[2]!, path: m[3] ?? POLICY_PATH };
}

async function read(scm: PolicySource, at: Location, ref = 'HEAD'): Promise<string | undefined> {
  const r = await scm.readElsewhere(at.owner, at.repo, `${ref}:${at.path}`, POLICY_FILE_BYTES);
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
  const parsed = parsePolicy(text, file);
  if (parsed.ok) return parsed.layer(central);
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
    const older = await read(scm, at, c.sha);
    if (older === undefined) continue;
    const attempt = parsePolicy(older, `${file}@${c.sha.slice(0, 7)}`);
    if (attempt.ok) {
      diagnostics.push(
        diagnostic({
          file,
          line: 1,
          column: 1,
          code: 'policy/using-last-valid',
          message: `${file} is invalid, so its last valid version (${c.sha.slice(0, 7)}${c.commit?.committer?.date ? `, ${c.commit.committer.date.slice(0, 10)}` : ''}) is applied.`,
          hint: 'Fix the errors reported for this file; until then the older version stays in force.',
        }),
      );
      return attempt.layer(central);
    }
  }
  return undefined;
}

/** Custom packs are files named in packs.paths, relative to the root of the repository whose policy names them. */
async function loadCustomPacks(
  scm: PolicySource,
  layers: readonly PolicyLayer[],
): Promise<{ customPacks: Pack[]; diagnostics: Diagnostic[] }> {
  const wanted = layers.flatMap((l) => {
    const [owner, rest] = l.file.split('/') as [string, string];
    const repo = rest.slice(0, rest.indexOf(':'));
    return (l.policy.packs?.paths ?? []).map((path) => ({
      owner,
      repo,
      path: path.replace(/^\.?\//, ''),
    }));
  });
  const customPacks: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  await Promise.all(
    wanted.map(async (at) => {
      const text = await read(scm, at);
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
