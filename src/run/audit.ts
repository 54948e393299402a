import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AuditResults,
  inShard,
  type RepositoryResult,
  repositoryResult,
} from '../core/audit/portfolio.js';
import { evaluate } from '../core/evaluate.js';
import { effectivePolicy } from '../core/policy/effective.js';
import type { Manifest } from '../core/manifest/schema.js';
import type { PolicyLayer } from '../core/policy/merge.js';
import { repositoryPolicy } from '../core/policy/repository.js';
import type { Pack } from '../core/rules/pack.js';
import { blobPolicySource } from '../github/blob-reader.js';
import { listOrganisationRepositories, readRepositories } from '../github/audit-reader.js';
import type { GitHub } from '../github/client.js';
import { loadPolicyFromGitHub, type LoadedPolicy, POLICY_PATH } from '../github/policy.js';
import type { Scm } from '../scm/scm.js';
import { LocalScm } from '../scm/local.js';
import { MemoryScm } from '../scm/memory.js';
import { gatherInputs } from './check.js';

const MAX_POLICY_BYTES = 256 * 1024;

/** Most repositories have no policy file of their own: merge the central files once for them. */
const centralMerged = new WeakMap<readonly PolicyLayer[], ReturnType<typeof repositoryPolicy>>();
function centralOnly(layers: readonly PolicyLayer[]): ReturnType<typeof repositoryPolicy> {
  let merged = centralMerged.get(layers);
  if (!merged) centralMerged.set(layers, (merged = repositoryPolicy(layers, undefined)));
  return merged;
}

export interface Shard {
  index: number;
  count: number;
}

interface Judge {
  /** The central policy files, most general first; each repository's own file goes on top. */
  centralLayers: readonly PolicyLayer[];
  customPacks: Pack[];
  now: string;
  /** Keep each full report (drift issues need it; portfolio reports do not). */
  keepEvaluations?: boolean;
}

async function judge(
  scm: Scm,
  repository: string,
  organisationOf: (m?: Manifest) => string,
  j: Judge,
  topics?: string[],
): Promise<RepositoryResult> {
  const [inputs, own] = await Promise.all([
    gatherInputs({ scm, now: j.now }),
    scm.readFile(POLICY_PATH, { maxBytes: MAX_POLICY_BYTES }),
  ]);
  const { policy, diagnostics } =
    own.status === 'ok'
      ? repositoryPolicy(j.centralLayers, { text: own.text, file: `${repository}:${POLICY_PATH}` })
      : centralOnly(j.centralLayers);
  const report = evaluate({
    ...inputs,
    policy: effectivePolicy(policy, { fullName: repository, topics }),
    packs: new Map([...inputs.packs, ...j.customPacks.map((p) => [p.id, p] as const)]),
    repository,
    setupDiagnostics: diagnostics,
  });
  const manifest = inputs.manifest.ok ? inputs.manifest.manifest : undefined;
  return repositoryResult(repository, organisationOf(manifest), report, manifest, {
    keepEvaluation: j.keepEvaluations,
  });
}

/** Audits a folder of checked-out repositories: each sub-folder is one repository. */
export async function auditLocal(
  dir: string,
  j: Judge & { shard?: Shard; concurrency?: number },
): Promise<AuditResults> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .filter((name) => !j.shard || inShard(name, j.shard));
  const results: RepositoryResult[] = [];
  const empty: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const scm = new LocalScm(join(dir, name));
      if ((await scm.listPaths()).length === 0) {
        empty.push(name);
        continue;
      }
      // Checked-out folders carry no GitHub organisation: group by the owner service.yml names.
      results.push(await judge(scm, name, (m) => m?.owner?.organisation ?? 'local', j));
    }
  };
  await Promise.all(Array.from({ length: j.concurrency ?? 8 }, worker));
  return {
    generated_at: j.now,
    organisations: [...new Set(results.map((r) => r.organisation))].sort(),
    repositories: results.sort((a, b) => a.repository.localeCompare(b.repository)),
    excluded: { archived: [], fork: [], empty: empty.sort() },
    ...(j.shard ? { shard: `${j.shard.index}/${j.shard.count}` } : {}),
  };
}

export interface GitHubAudit {
  results: AuditResults;
  policies: Map<string, LoadedPolicy>;
}

/**
 * Audits organisations through the API: list repositories (archived, forked and empty ones
 * are excluded and counted), read each organisation's central policy, then read and judge the
 * repositories 25 at a time.
 */
export async function auditGitHub(
  github: GitHub,
  orgs: readonly string[],
  options: {
    now: string;
    shard?: Shard;
    include?: { archived?: boolean; forks?: boolean };
    keepEvaluations?: boolean;
  },
): Promise<GitHubAudit> {
  const repositories: RepositoryResult[] = [];
  const excluded = { archived: [] as string[], fork: [] as string[], empty: [] as string[] };
  const policies = new Map<string, LoadedPolicy>();
  for (const org of orgs) {
    const [listed, policy] = await Promise.all([
      listOrganisationRepositories(github, org),
      loadPolicyFromGitHub(blobPolicySource(github, org, '.github')),
    ]);
    policies.set(org, policy);
    const judged = listed.filter((r) => {
      if (r.empty) excluded.empty.push(r.fullName);
      else if (r.archived && !options.include?.archived) excluded.archived.push(r.fullName);
      else if (r.fork && !options.include?.forks) excluded.fork.push(r.fullName);
      else return !options.shard || inShard(r.fullName, options.shard);
      return false;
    });
    const contents = await readRepositories(github, judged);
    for (const r of judged) {
      const c = contents.get(r.fullName)!;
      repositories.push(
        await judge(
          new MemoryScm(c.paths, c.files),
          r.fullName,
          () => org,
          {
            centralLayers: policy.layers,
            customPacks: policy.customPacks,
            now: options.now,
            keepEvaluations: options.keepEvaluations,
          },
          r.topics,
        ),
      );
    }
  }
  return {
    results: {
      generated_at: options.now,
      organisations: [...orgs].sort(),
      repositories: repositories.sort((a, b) => a.repository.localeCompare(b.repository)),
      excluded: {
        archived: excluded.archived.sort(),
        fork: excluded.fork.sort(),
        empty: excluded.empty.sort(),
      },
      ...(options.shard ? { shard: `${options.shard.index}/${options.shard.count}` } : {}),
    },
    policies,
  };
}

/** Judges named repositories (OWNER/NAME) on their default branches, with their organisation's policy. */
export async function auditRepositories(
  github: GitHub,
  names: readonly string[],
  now: string,
): Promise<RepositoryResult[]> {
  const repos = names.map((n) => ({ owner: n.split('/')[0]!, name: n.split('/')[1]! }));
  const policies = new Map<string, LoadedPolicy>();
  for (const owner of new Set(repos.map((r) => r.owner)))
    policies.set(owner, await loadPolicyFromGitHub(blobPolicySource(github, owner, '.github')));
  const contents = await readRepositories(github, repos);
  const out: RepositoryResult[] = [];
  for (const r of repos) {
    const full = `${r.owner}/${r.name}`;
    const c = contents.get(full)!;
    const policy = policies.get(r.owner)!;
    out.push(
      await judge(new MemoryScm(c.paths, c.files), full, () => r.owner, {
        centralLayers: policy.layers,
        customPacks: policy.customPacks,
        keepEvaluations: true,
        now,
      }),
    );
  }
  return out;
}
