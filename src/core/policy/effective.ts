import picomatch from 'picomatch';
import type { EffectiveThresholds } from './defaults.js';
import { mergePolicies } from './merge.js';
import type { Level } from '../levels.js';
import type { OnError } from './model.js';
import type { Policy, Waiver } from './schema.js';

/** A policy with every default filled in: what evaluation actually uses. */
export interface EffectivePolicy {
  packs: { default: string[]; add: string[]; force: string[] };
  thresholds: EffectiveThresholds;
  severity: Readonly<Record<string, Level | 'off'>>;
  approvers?: { team: string };
  checkName: string;
  waivers: Waiver[];
  /** The conclusion when Service Gate cannot judge: the App's check run, the Action's and the CLI's exit. */
  onError: OnError;
  maxWaiverDays: number;
}

/** What policy targets can match on: the repository's name, topics and custom properties. */
export interface RepositoryFacts {
  fullName: string;
  topics?: readonly string[];
  properties?: Readonly<Record<string, string>>;
}

export function effectivePolicy(
  policy: Policy = {},
  repository?: RepositoryFacts,
): EffectivePolicy {
  return effectivePolicies(policy)(repository);
}

/**
 * effectivePolicy for many repositories (an audit's thousands): the policy is merged once and
 * its target globs compiled once; each repository then only matches the targets. A repository
 * no target adds to gets the one shared untargeted policy.
 */
export function effectivePolicies(
  policy: Policy = {},
): (repository?: RepositoryFacts) => EffectivePolicy {
  // The same merge as for files: a policy built in code is one central layer over the defaults.
  const full = mergePolicies([{ file: 'policy', policy, central: true }]).policy;
  const packs = full.packs!;
  const build = (targeted: readonly string[]): EffectivePolicy => ({
    packs: {
      default: packs.default!,
      add: [...new Set([...packs.add!, ...targeted])],
      force: packs.force!,
    },
    thresholds: full.thresholds as EffectiveThresholds,
    severity: full.severity!,
    approvers: full.approvers?.team ? { team: full.approvers.team } : undefined,
    checkName: full.check_name!,
    waivers: full.waivers ?? [],
    onError: full.on_error!,
    maxWaiverDays: full.max_waiver_days!,
  });
  const untargeted = build([]);
  const targets = packs.targets!.map((t) => ({ matches: targetMatcher(t), add: t.add }));
  return (repository) => {
    if (!repository || targets.length === 0) return untargeted;
    const targeted = targets.filter((t) => t.matches(repository)).flatMap((t) => t.add);
    return targeted.length === 0 ? untargeted : build(targeted);
  };
}

type Target = NonNullable<NonNullable<Policy['packs']>['targets']>[number];

function targetMatcher(t: Target): (repo: RepositoryFacts) => boolean {
  const repos = t.repos?.map((g) => picomatch(g, { nocase: true }));
  return (repo) => {
    if (repos && !repos.some((isMatch) => isMatch(repo.fullName))) return false;
    if (t.topics && !t.topics.some((topic) => repo.topics?.includes(topic))) return false;
    if (
      t.properties &&
      !Object.entries(t.properties).every(
        ([k, v]) =>
          repo.properties && Object.hasOwn(repo.properties, k) && repo.properties[k] === v,
      )
    )
      return false;
    return true;
  };
}
