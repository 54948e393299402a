import { daysBetween } from '../days.js';
import {
  BUILT_PHASES,
  MATURITY_AREAS,
  type MaturityArea,
  PLATFORM_CATEGORIES,
  PUBLIC_PHASES,
} from '../domain/catalogue.js';
import type { Manifest } from '../manifest/schema.js';
import type { EffectiveThresholds } from '../policy/defaults.js';
import type { JsonReport } from '../report.js';

/**
 * The maturity areas (domain/catalogue.ts), each banded Low / Medium / High / Future State from
 * the share of services that show it. The paper bands by practice across government; a
 * portfolio's share is our proxy, and the cut-offs are policy values.
 */

export { MATURITY_AREAS, type MaturityArea };
export type Band = 'Low' | 'Medium' | 'High' | 'Future State';

export interface Cutoffs {
  medium: number;
  high: number;
  future_state: number;
}

export type MaturityThresholds = Partial<Record<MaturityArea, Partial<Cutoffs>>>;

export const DEFAULT_CUTOFFS: Cutoffs = { medium: 0.25, high: 0.5, future_state: 0.8 };

interface Service {
  repository: string;
  manifest: Manifest;
  report: JsonReport;
}

export interface MaturityRow {
  area: MaturityArea;
  title: string;
  band: Band;
  share: number;
  met: number;
  of: number;
  evidence: string;
  /** Up to 10 repositories that do not show it, to act on. */
  lacking: string[];
}

export function bandMaturity(
  services: readonly Service[],
  now: string,
  thresholds: EffectiveThresholds,
  cutoffs: MaturityThresholds = {},
): MaturityRow[] {
  const built = services.filter((s) => BUILT_PHASES.includes(s.manifest.phase));
  const publicServices = services.filter((s) => PUBLIC_PHASES.includes(s.manifest.phase));
  const transactional = built.filter((s) => s.manifest.transactional);
  const failed = (s: Service, prefix: string) =>
    s.report.findings.some((f) => !f.waived && f.level === 'failure' && f.rule.startsWith(prefix));
  const recentResearch = (s: Service) =>
    (s.manifest.research ?? []).some(
      (r) => daysBetween(r.date, now) <= thresholds.research.max_age_days,
    );
  const designSystemCounts = new Map<string, number>();
  for (const s of built)
    if (s.manifest.design_system?.name)
      designSystemCounts.set(
        s.manifest.design_system.name,
        (designSystemCounts.get(s.manifest.design_system.name) ?? 0) + 1,
      );
  const dominant = [...designSystemCounts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const sharedPlatformCount = (s: Service) =>
    // Forms are a shared platform, but not one the maturity paper counts.
    PLATFORM_CATEGORIES.filter((c) => c !== 'forms').filter(
      (c) => typeof s.manifest.platforms?.[c] === 'string' && s.manifest.platforms[c] !== 'none',
    ).length;

  const area = (
    key: MaturityArea,
    population: readonly Service[],
    shows: (s: Service) => number | boolean,
    evidence: (met: number, of: number) => string,
  ): MaturityRow => {
    const scores = population.map((s) => Number(shows(s)));
    const met = scores.reduce((a, b) => a + b, 0);
    const of = population.length;
    const share = of === 0 ? 0 : met / of;
    return {
      area: key,
      title: MATURITY_AREAS[key],
      band: band(share, { ...DEFAULT_CUTOFFS, ...cutoffs[key] }),
      share,
      met: Math.round(met * 10) / 10,
      of,
      evidence: evidence(Math.round(met * 10) / 10, of),
      lacking: population
        .filter((_, i) => scores[i]! < 1)
        .map((s) => s.repository)
        .slice(0, 10),
    };
  };

  return [
    area(
      'user_feedback_cycle',
      built,
      (s) => !failed(s, 'core.entry-') && !failed(s, 'core.amber-') && !failed(s, 'core.phase-'),
      (m, n) => `${m} of ${n} services past discovery are in a phase whose gate they passed.`,
    ),
    area(
      'codified_ux_testing',
      built,
      recentResearch,
      (m, n) =>
        `${m} of ${n} services past discovery ran user research in the last ${thresholds.research.max_age_days} days.`,
    ),
    area(
      'shared_design_patterns',
      built,
      (s) => s.manifest.design_system?.name === dominant && !failed(s, 'core.design-system-floor'),
      (m, n) =>
        `${m} of ${n} services past discovery use ${dominant ?? 'a shared design system'} at or above the version floor.`,
    ),
    area(
      'shared_platforms',
      transactional,
      (s) => sharedPlatformCount(s) / 3,
      (m, n) =>
        `${n} transactional services use on average ${n ? ((m / n) * 3).toFixed(1) : 0} of 3 shared platforms (identity, payments, notifications).`,
    ),
    area(
      'working_in_the_open',
      built,
      (s) =>
        s.manifest.source?.public === true &&
        (!!s.manifest.source.licence || s.report.evidence.practices.licence === true),
      (m, n) => `${m} of ${n} services past discovery publish their code with a licence.`,
    ),
    area(
      'public_data',
      publicServices,
      (s) => !!s.manifest.performance?.dashboard,
      (m, n) => `${m} of ${n} public-beta and live services link published performance data.`,
    ),
  ];
}

function band(share: number, c: Cutoffs): Band {
  if (share >= c.future_state) return 'Future State';
  if (share >= c.high) return 'High';
  if (share >= c.medium) return 'Medium';
  return 'Low';
}
