import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import {
  type AuditResults,
  inShard,
  type RepositoryResult,
  repositoryResult,
  shareResult,
} from '../core/audit/portfolio.js';
import { SharedValues } from '../core/audit/shared-values.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { POLICY_FILE_BYTES } from '../core/limits.js';
import type { Manifest } from '../core/manifest/schema.js';
import type { PolicyLayer } from '../core/policy/merge.js';
import { ruleLevelsOf } from '../core/policy/loaded.js';
import { repositoryPolicy } from '../core/policy/repository.js';
import { blobPolicySource } from '../github/blob-reader.js';
import { auditScms, listOrganisationRepositories, listTrees } from '../github/audit-reader.js';
import type { GitHub } from '../github/client.js';
import { loadPolicyFromGitHub, type LoadedPolicy, POLICY_PATH } from '../github/policy.js';
import type { Scm } from '../scm/scm.js';
import { LocalScm } from '../scm/local.js';
import {
  type AuditWorkerData,
  AuditWorkerError,
  type AuditWorkers,
  judgeInWorkers,
  type Judged,
  policyFingerprint,
  serveBatches,
  WORKERS_FROM,
} from './audit-workers.js';
import { bundledPacks } from './bundled-packs.js';
import { type Judge, type PolicyChain, prepare } from './judge.js';

/** Repositories judged at once in an audit: their reads batch together (see AUDIT_BLOB_BUDGET). */
const JUDGED_TOGETHER = 250;

export interface Shard {
  index: number;
  count: number;
}

/** The central policy of an audit, loaded once (from GitHub or from --central files). */
export interface CentralPolicy extends PolicyChain {
  /** The central policy files, most general first; each repository's own file goes on top. */
  layers: readonly PolicyLayer[];
}

export interface AuditOptions {
  central: CentralPolicy;
  now: string;
  /** Keep each full report (drift issues need it; portfolio reports do not). */
  keepEvaluations?: boolean;
}

/**
 * Judges the repositories of one central policy. The judge for repositories without a policy file
 * of their own (most of them) is prepared once; a repository with its own file gets a judge of
 * its own, as the App would build for it.
 */
class PortfolioJudge {
  readonly #central: Judge;

  constructor(private readonly options: AuditOptions) {
    this.#central = prepare(options.central, { now: options.now });
  }

  /** @param shared where this result's recurring values are kept once (see SharedValues). */
  async judge(
    shared: SharedValues,
    scm: Scm,
    repository: { fullName: string; topics?: string[] },
    organisationOf: (m?: Manifest) => string,
  ): Promise<RepositoryResult> {
    const [read, own] = await Promise.all([
      this.#central.gather({ scm, facts: repository }),
      scm.readFile(POLICY_PATH, { maxBytes: POLICY_FILE_BYTES }),
    ]);
    const judge =
      own.status === 'ok'
        ? prepare(
            withOwnFile(this.options.central, {
              text: own.text,
              file: `${repository.fullName}:${POLICY_PATH}`,
            }),
            { now: this.options.now },
          )
        : this.#central;
    const report = judge.evaluate(read);
    const manifest = read.manifest.ok ? read.manifest.manifest : undefined;
    return repositoryResult(repository.fullName, organisationOf(manifest), report, manifest, {
      keepEvaluation: this.options.keepEvaluations,
      shared,
    });
  }
}

/**
 * The central policy with a repository's own file on top. The central files' problems (a
 * missing pack, a broken _extends) stay: they are the repository's problems too, as in the App.
 */
function withOwnFile(central: CentralPolicy, own: { text: string; file: string }): PolicyChain {
  const merged = repositoryPolicy(central.layers, own, {
    ruleLevel: ruleLevelsOf([...bundledPacks(), ...central.customPacks]),
  });
  return {
    policy: merged.policy,
    customPacks: central.customPacks,
    // Merging the central layers again reports their merge problems again: keep one of each.
    diagnostics: unique([...central.diagnostics, ...merged.diagnostics]),
  };
}

function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.column, d.code, d.message]);
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** Audits a folder of checked-out repositories: each sub-folder is one repository. */
export async function auditLocal(
  dir: string,
  j: AuditOptions & { shard?: Shard; concurrency?: number; workers?: AuditWorkers },
): Promise<AuditResults> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .filter((name) => !j.shard || inShard(name, j.shard));
  // Drift keeps each full report, which stays in the thread that judged it.
  const threaded =
    j.workers && j.workers.threads > 1 && (j.workers.asked || names.length >= WORKERS_FROM);
  let judged: Judged;
  if (threaded && !j.keepEvaluations) {
    const shared = new SharedValues();
    judged = await judgeInWorkers(
      names,
      j.workers!,
      { dir, now: j.now, fingerprint: policyFingerprint(j.central) },
      (batch) => {
        const sharing = shared.forBatch();
        return batch.map((r) => shareResult(r, sharing));
      },
    );
  } else {
    judged = await judgeCheckouts(dir, names, new PortfolioJudge(j), {
      shared: new SharedValues(),
      concurrency: j.concurrency,
    });
  }
  const { results, empty } = judged;
  return {
    generated_at: j.now,
    organisations: [...new Set(results.map((r) => r.organisation))].filter(Boolean).sort(),
    repositories: results.sort((a, b) => a.repository.localeCompare(b.repository)),
    excluded: { archived: [], fork: [], empty: empty.sort() },
    ...(j.shard ? { shard: `${j.shard.index}/${j.shard.count}` } : {}),
  };
}

/**
 * An audit worker's side of auditLocal: judges the batches of folders it is sent, with the
 * central policy it loaded, after checking that policy is the one the main thread loaded.
 */
export function serveLocalAudit(
  port: MessagePort,
  data: AuditWorkerData,
  central: CentralPolicy,
): void {
  if (policyFingerprint(central) !== data.fingerprint)
    throw new AuditWorkerError(
      'The central policy files changed while the audit started; run it again.',
    );
  const portfolio = new PortfolioJudge({ central, now: data.now });
  // Each batch's recurring values are shared among its results, so that its message holds
  // each once and the main thread looks each up once per batch, not once per repository
  // (measured: without it, the main thread falls behind). Kept for one batch only, what this
  // thread holds stays small, and so does the work of each garbage collection.
  serveBatches(port, (names) =>
    judgeCheckouts(data.dir, names, portfolio, { shared: new SharedValues(), concurrency: 1 }),
  );
}

/** Judges the named folders of `dir` in this thread, `concurrency` at a time (their reads overlap). */
async function judgeCheckouts(
  dir: string,
  names: readonly string[],
  portfolio: PortfolioJudge,
  { shared, concurrency = 8 }: { shared: SharedValues; concurrency?: number | undefined },
): Promise<Judged> {
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
      // Checked-out folders carry no GitHub organisation: group by the owner service.yml names
      // (none for a folder without one, rather than a made-up organisation).
      results.push(
        await portfolio.judge(shared, scm, { fullName: name }, (m) => m?.owner?.organisation ?? ''),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { results, empty };
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
  const shared = new SharedValues();
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
    const { scms } = auditScms(github, judged);
    const portfolio = new PortfolioJudge({
      central: policy,
      now: options.now,
      keepEvaluations: options.keepEvaluations,
    });
    // Judged together, a group's file reads share GraphQL requests; the group size bounds the
    // texts held at once.
    for (let i = 0; i < judged.length; i += JUDGED_TOGETHER) {
      const group = judged.slice(i, i + JUDGED_TOGETHER);
      const results = await Promise.all(
        group.map((r) =>
          portfolio.judge(
            shared,
            scms.get(r.fullName)!,
            { fullName: r.fullName, topics: r.topics },
            () => org,
          ),
        ),
      );
      for (const result of results) repositories.push(result);
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
  const judges = new Map<string, PortfolioJudge>();
  for (const owner of new Set(repos.map((r) => r.owner))) {
    const central = await loadPolicyFromGitHub(blobPolicySource(github, owner, '.github'));
    judges.set(owner, new PortfolioJudge({ central, now, keepEvaluations: true }));
  }
  const trees = await listTrees(github, repos);
  const { scms } = auditScms(
    github,
    repos.map((r) => ({ ...r, head: trees.get(`${r.owner}/${r.name}`) })),
  );
  const shared = new SharedValues();
  return Promise.all(
    repos.map((r) => {
      const fullName = `${r.owner}/${r.name}`;
      return judges.get(r.owner)!.judge(shared, scms.get(fullName)!, { fullName }, () => r.owner);
    }),
  );
}
