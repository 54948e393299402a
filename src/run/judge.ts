import type { Diagnostic } from '../core/diagnostics.js';
import { evaluate, policyView } from '../core/evaluate.js';
import {
  type EffectivePolicy,
  effectivePolicies,
  type RepositoryFacts,
} from '../core/policy/effective.js';
import type { Policy } from '../core/policy/schema.js';
import type { Report } from '../core/report.js';
import { indexPacks, type Pack, sameAsProblems } from '../core/rules/pack.js';
import { bundledPacks } from './bundled-packs.js';
import { gather, type GatheredInputs, type RepositoryToRead } from './gather.js';

export { gather, type GatheredInputs, type RepositoryToRead } from './gather.js';
export type { BaseSource } from './gather.js';
export type { RepositoryFacts } from '../core/policy/effective.js';

/**
 * The one path from inputs to a verdict. Every shell (CLI, App, Action, audit, drift) and the
 * tests and benchmark judge through it: `prepare` once per policy, `gather` once per commit,
 * `evaluate` once per commit (twice in the App, after reading approvals). Nothing a shell does
 * can change the findings except what it passes in, so the same commit and policy give the same
 * findings everywhere.
 */

/** A loaded policy, whichever shell loaded it: the merged files, their custom packs and problems. */
export interface PolicyChain {
  /** The merged policy; undefined when no policy file applies (defaults). */
  policy?: Policy;
  /** Packs named in packs.paths; they replace bundled packs with the same id. */
  customPacks: readonly Pack[];
  /** Problems found loading the policy or its packs: reported as findings, never dropped. */
  diagnostics: readonly Diagnostic[];
}

export const NO_POLICY: PolicyChain = { customPacks: [], diagnostics: [] };

export interface JudgeOptions {
  /** Today, as YYYY-MM-DD: the only clock evaluation reads. */
  now: string;
  /** Path of service.yml inside the repository (default service.yml). */
  manifestPath?: string;
  /** Pack ids added on top of the policy's (the Action's `packs` input). */
  addPacks?: readonly string[];
}

/** What one evaluation judges: the reads, and who the repository is (for targets and waivers). */
export interface JudgeInputs extends GatheredInputs {
  repository?: RepositoryFacts;
}

export interface Judge {
  readonly now: string;
  /** The effective policy for a repository: packs targeted at it are added. */
  policyFor(repository?: RepositoryFacts): EffectivePolicy;
  /** Reads a repository through its Scm and names it. */
  gather(repository: RepositoryToRead & { facts?: RepositoryFacts }): Promise<JudgeInputs>;
  /** Pure: the report for these inputs, counting the approvals given. */
  evaluate(inputs: JudgeInputs, approvedBy?: readonly string[]): Report;
}

/** The once-per-policy work: defaults filled in, thresholds converted for rules, packs indexed. */
export function prepare(chain: PolicyChain, options: JudgeOptions): Judge {
  const forRepository = effectivePolicies(chain.policy);
  const untargeted = forRepository();
  const general = withAddedPacks(untargeted, options.addPacks);
  // Targets only add packs, so every repository's thresholds are these.
  const thresholds = policyView(general);
  const packs = indexPacks([...bundledPacks(), ...chain.customPacks]);
  const setupDiagnostics = [...chain.diagnostics, ...sameAsProblems(packs.values())];

  // Most repositories match no target: they share the general policy, converted once.
  const policyFor = (repository?: RepositoryFacts): EffectivePolicy => {
    const policy = forRepository(repository);
    return policy === untargeted ? general : withAddedPacks(policy, options.addPacks);
  };

  return {
    now: options.now,
    policyFor,
    gather: async ({ facts, ...repository }) => ({
      ...(await gather(repository, { manifestPath: options.manifestPath })),
      repository: facts,
    }),
    evaluate: (inputs, approvedBy) =>
      evaluate({
        manifest: inputs.manifest,
        base: inputs.base,
        evidence: inputs.evidence,
        policy: policyFor(inputs.repository),
        policyView: thresholds,
        packs,
        now: options.now,
        repository: inputs.repository?.fullName,
        approvedBy,
        setupDiagnostics,
      }),
  };
}

function withAddedPacks(policy: EffectivePolicy, add: readonly string[] = []): EffectivePolicy {
  if (add.length === 0) return policy;
  return { ...policy, packs: { ...policy.packs, add: [...policy.packs.add, ...add] } };
}
