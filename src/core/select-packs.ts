import { type Diagnostic, diagnostic } from './diagnostics.js';
import type { ManifestResult } from './manifest/load.js';
import type { Manifest } from './manifest/schema.js';
import type { EffectivePolicy } from './policy/effective.js';
import type { Pack } from './rules/pack.js';
import { didYouMean } from './suggest.js';

/** Packs that apply to every service, whatever it declares: phase gates and claims-vs-evidence. */
export const CORE_PACKS = ['service-gate-core'];

export interface PackSelection {
  packs: Pack[];
  /** Unknown pack names in service.yml, as diagnostics pointing at the name. */
  problems: Diagnostic[];
  /** Packs the policy asked for that were skipped because the service is of another jurisdiction. */
  skipped: { id: string; reason: string }[];
}

/**
 * Which packs judge a service: the core packs, the packs service.yml names (or the policy's
 * defaults when it names none), and the policy's added and forced packs of the same
 * jurisdiction. A service is never judged by another jurisdiction's pack it did not opt into.
 */
export function selectPacks(
  manifest: Manifest,
  policy: EffectivePolicy,
  available: ReadonlyMap<string, Pack>,
  source?: Extract<ManifestResult, { ok: true }>,
): PackSelection {
  const problems: Diagnostic[] = [];
  const skipped: PackSelection['skipped'] = [];
  const chosen = new Map<string, Pack>();
  const add = (id: string) => {
    const pack = available.get(id);
    if (pack) chosen.set(id, pack);
    return pack;
  };
  CORE_PACKS.forEach(add);

  const sector = manifest.owner?.sector;
  /** A pack chosen by default, not by name, fits the service's declared sector (if it has one). */
  const outOfSector = (pack: Pack) =>
    sector !== undefined && pack.sectors !== undefined && !pack.sectors.includes(sector);
  const skipForSector = (pack: Pack) =>
    skipped.push({
      id: pack.id,
      reason: `it applies to ${pack.sectors!.join(' and ')} services, and owner.sector is ${sector}`,
    });

  const named = manifest.standards ?? policy.packs.default;
  named.forEach((id, index) => {
    const pack = available.get(id);
    if (pack && !manifest.standards && outOfSector(pack)) return skipForSector(pack);
    if (add(id) || !manifest.standards) return;
    const at = source?.source.locate(['standards', index]) ?? { line: 1, column: 1 };
    const names = [...available.keys()].filter((k) => !CORE_PACKS.includes(k));
    problems.push(
      diagnostic({
        file: source?.file ?? 'service.yml',
        line: at.line,
        column: at.column,
        code: 'manifest/unknown-pack',
        message: `There is no rule pack called '${id}'.`,
        hint: didYouMean(id, names),
      }),
    );
  });

  const jurisdictions = new Set(
    [...chosen.values()].filter((p) => !CORE_PACKS.includes(p.id)).map((p) => p.jurisdiction),
  );
  const forced = new Set(policy.packs.force);
  for (const id of [...policy.packs.add, ...policy.packs.force]) {
    const pack = available.get(id);
    if (!pack || chosen.has(id)) continue;
    if (!forced.has(id) && outOfSector(pack)) {
      if (!skipped.some((s) => s.id === id)) skipForSector(pack);
    } else if (pack.jurisdiction === 'any' || jurisdictions.has(pack.jurisdiction))
      chosen.set(id, pack);
    else
      skipped.push({
        id,
        reason: `the service follows ${[...jurisdictions].join(', ') || 'no'} packs, not ${pack.jurisdiction}`,
      });
  }
  return { packs: [...chosen.values()], problems, skipped };
}
