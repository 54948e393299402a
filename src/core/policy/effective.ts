import picomatch from 'picomatch';
import {
  DEFAULT_CHECK_NAME,
  DEFAULT_PACKS,
  DEFAULT_THRESHOLDS,
  type EffectiveThresholds,
} from './defaults.js';
import type { Level } from '../levels.js';
import type { Policy, Waiver } from './schema.js';

/** A policy with every default filled in: what evaluation actually uses. */
export interface EffectivePolicy {
  packs: { default: string[]; add: string[]; force: string[] };
  thresholds: EffectiveThresholds;
  severity: Record<string, Level | 'off'>;
  approvers?: { team: string };
  checkName: string;
  waivers: Waiver[];
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
  const targeted = (policy.packs?.targets ?? [])
    .filter((t) => repository && targetMatches(t, repository))
    .flatMap((t) => t.add);
  return {
    packs: {
      default: policy.packs?.default ?? DEFAULT_PACKS,
      add: [...new Set([...(policy.packs?.add ?? []), ...targeted])],
      force: policy.packs?.force ?? [],
    },
    thresholds: thresholdsOf(policy),
    severity: policy.severity ?? {},
    approvers: policy.approvers,
    checkName: policy.check_name ?? DEFAULT_CHECK_NAME,
    waivers: policy.waivers ?? [],
  };
}

function thresholdsOf(policy: Policy): EffectiveThresholds {
  return mergeDeep(DEFAULT_THRESHOLDS, policy.thresholds ?? {}) as EffectiveThresholds;
}

type Target = NonNullable<NonNullable<Policy['packs']>['targets']>[number];

function targetMatches(t: Target, repo: RepositoryFacts): boolean {
  if (t.repos && !t.repos.some((g) => picomatch.isMatch(repo.fullName, g, { nocase: true })))
    return false;
  if (t.topics && !t.topics.some((topic) => repo.topics?.includes(topic))) return false;
  if (t.properties && !Object.entries(t.properties).every(([k, v]) => repo.properties?.[k] === v))
    return false;
  return true;
}

/** Objects merge key by key; anything else (numbers, strings, lists) is replaced. */
export function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override))
    return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v !== undefined) out[k] = mergeDeep(base[k], v);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
