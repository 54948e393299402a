import type { Diagnostic } from '../core/diagnostics.js';
import { diagnostic } from '../core/diagnostics.js';
import { mergeDeep } from '../core/policy/effective.js';
import { parsePolicy } from '../core/policy/load.js';
import type { Policy } from '../core/policy/schema.js';
import { compilePack, type Pack } from '../core/rules/pack.js';
import type { FileRead } from '../scm/scm.js';

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
}

export const POLICY_PATH = '.github/service-gate.yml';
const MAX_EXTENDS = 3;

export interface LoadedPolicy {
  policy?: Policy;
  customPacks: Pack[];
  diagnostics: Diagnostic[];
  /** The files that made the policy, most general first, e.g. ["org/.github:.github/service-gate.yml"]. */
  sources: string[];
}

interface Location {
  owner: string;
  repo: string;
  path: string;
}

const display = (l: Location) => `${l.owner}/${l.repo}:${l.path}`;

/**
 * The policy a repository is judged by: the repository's own .github/service-gate.yml (on the
 * default branch, "HEAD:" in GraphQL, or at `ref`, the pull request's base SHA in the Action),
 * else the owner's .github repository's, with `_extends: owner/repo[:path]` followed up to
 * three levels on default branches. A pull request's head is never read, so it cannot change it.
 */
export async function loadPolicyFromGitHub(
  scm: PolicySource,
  options: { path?: string; ref?: string } = {},
): Promise<LoadedPolicy> {
  const ref = options.ref ?? 'HEAD';
  const own: Location = { owner: scm.owner, repo: scm.repo, path: options.path ?? POLICY_PATH };
  const org: Location = { owner: scm.owner, repo: '.github', path: POLICY_PATH };
  const [ownFile, orgFile] = await Promise.all([
    read(scm, own, ref),
    scm.repo === '.github' ? undefined : read(scm, org),
  ]);
  const first = ownFile
    ? { at: own, text: ownFile }
    : orgFile
      ? { at: org, text: orgFile }
      : undefined;
  if (!first) return { customPacks: [], diagnostics: [], sources: [] };

  const chain: { at: Location; policy: Policy }[] = [];
  let next: { at: Location; text: string } | undefined = first;
  const seen = new Set<string>();
  while (next) {
    const file = display(next.at);
    if (seen.has(file) || chain.length > MAX_EXTENDS) {
      return {
        customPacks: [],
        sources: [],
        diagnostics: [
          diagnostic(
            file,
            1,
            1,
            'policy/extends-loop',
            `_extends in ${file} loops or is deeper than ${MAX_EXTENDS} levels.`,
            'Point _extends at a policy that does not extend back.',
          ),
        ],
      };
    }
    seen.add(file);
    const parsed = parsePolicy(next.text, file);
    if (!parsed.ok) return { customPacks: [], sources: [], diagnostics: parsed.diagnostics };
    chain.unshift({ at: next.at, policy: parsed.policy });
    const target = parsed.policy._extends ? parseExtends(parsed.policy._extends) : undefined;
    if (!target) break;
    const text = await read(scm, target);
    if (text === undefined) {
      return {
        customPacks: [],
        sources: [],
        diagnostics: [
          diagnostic(
            file,
            1,
            1,
            'policy/extends-missing',
            `_extends points at ${display(target)}, which does not exist or cannot be read.`,
            'Check the repository name and that the app is installed on it.',
          ),
        ],
      };
    }
    next = { at: target, text };
  }

  const policy = chain.reduce<Policy>(
    (merged, link) => mergeDeep(merged, link.policy) as Policy,
    {},
  );
  const { customPacks, diagnostics } = await loadCustomPacks(scm, chain);
  return { policy, customPacks, diagnostics, sources: chain.map((l) => display(l.at)) };
}

function parseExtends(value: string): Location | undefined {
  const m = /^([^/\s:]+)\/([^/\s:]+)(?::(.+))?$/.exec(value.trim());
  if (!m) return undefined;
  return { owner: m[1]!, repo: m[2]!, path: m[3] ?? POLICY_PATH };
}

async function read(scm: PolicySource, at: Location, ref = 'HEAD'): Promise<string | undefined> {
  const r = await scm.readElsewhere(at.owner, at.repo, `${ref}:${at.path}`, 256 * 1024);
  return r.status === 'ok' ? r.text : undefined;
}

/** Custom packs are files named in packs.paths, relative to the repository root of the policy that names them. */
async function loadCustomPacks(
  scm: PolicySource,
  chain: { at: Location; policy: Policy }[],
): Promise<{ customPacks: Pack[]; diagnostics: Diagnostic[] }> {
  const wanted = chain.flatMap((l) =>
    (l.policy.packs?.paths ?? []).map((path) => ({ ...l.at, path: path.replace(/^\.?\//, '') })),
  );
  const customPacks: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  await Promise.all(
    wanted.map(async (at) => {
      const text = await read(scm, at);
      if (text === undefined) {
        diagnostics.push(
          diagnostic(
            display(at),
            1,
            1,
            'policy/pack-missing',
            `The rule pack ${display(at)} named in packs.paths does not exist.`,
            'Name pack files (not folders) relative to the policy repository root.',
          ),
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
