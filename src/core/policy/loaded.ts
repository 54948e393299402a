import type { Diagnostic } from '../diagnostics.js';
import type { Pack } from '../rules/pack.js';
import { type MergedPolicy, mergePolicies, type PolicyLayer } from './merge.js';
import type { Level } from '../levels.js';
import type { Policy } from './schema.js';

/**
 * A policy as every shell loads it, from GitHub or from disk: the files most general first
 * (each with where it was read), their merge, the custom packs they name, and every problem
 * found on the way.
 */
export interface LoadedPolicy {
  layers: PolicyLayer[];
  /** The merged settings (every default filled in): `merged.policy`, as the judge takes it. */
  policy: Policy;
  merged: MergedPolicy;
  customPacks: Pack[];
  diagnostics: Diagnostic[];
}

/** A rule's own level, from the packs available: what a severity lock compares with. */
export function ruleLevelsOf(packs: Iterable<Pack>): (ruleId: string) => Level | undefined {
  const levels = new Map<string, Level>();
  for (const pack of packs) for (const rule of pack.rules) levels.set(rule.id, rule.severity);
  return (id) => levels.get(id);
}

/** Merges loaded layers with the rule levels of the bundled and custom packs. */
export function loadedPolicy(options: {
  layers: PolicyLayer[];
  packs: { bundled: Iterable<Pack>; custom: Pack[] };
  diagnostics: Diagnostic[];
}): LoadedPolicy {
  const merged = mergePolicies(options.layers, {
    ruleLevel: ruleLevelsOf([...options.packs.bundled, ...options.packs.custom]),
  });
  return {
    layers: options.layers,
    policy: merged.policy,
    merged,
    customPacks: options.packs.custom,
    diagnostics: [...options.diagnostics, ...merged.diagnostics],
  };
}

/** The pack files each layer names, with the layer that names it (paths resolve from its repository's root). */
export function packPathsOf(
  layers: readonly PolicyLayer[],
): { layer: PolicyLayer; path: string }[] {
  return layers.flatMap((layer) =>
    (layer.policy.packs?.paths ?? []).map((path) => ({ layer, path })),
  );
}
