import { daysBetween } from '../days.js';
import {
  AREAS_NOT_EVIDENCED,
  type Band,
  ENTRY_ASSESSMENT,
  MATURITY_AREAS,
  type MaturityArea,
  type Phase,
  PLATFORM_CATEGORIES,
  sharedPlatformOf,
} from '../domain/catalogue.js';
import type { Manifest } from '../manifest/schema.js';
import type { EffectiveThresholds } from '../policy/defaults.js';
import type { JsonReport } from '../report.js';
import { assessmentStatus } from '../rules/cel.js';

export { AREAS_NOT_EVIDENCED, type Band, MATURITY_AREAS, type MaturityArea };

/**
 * The maturity model of the 2018 paper "State of Digital Transformation" (shared/domain), for
 * the areas a portfolio of repositories can evidence. The paper bands each area by how a
 * practice spreads: the digital unit adopts it (Medium), other organisations adopt it
 * voluntarily (High), it is standard across government or governed (Future State). So each
 * area is judged per organisation first (does this organisation show the practice in most of
 * its services?), then across organisations. The paper's own words for each band are shown
 * with the evidence; the areas no repository can evidence are named, not guessed.
 */

/** Policy values (policy `maturity`, per area). */
export interface Cutoffs {
  /** Share of an organisation's services that must show a practice for it to have adopted it. */
  adopted_at: number;
  /** Share of organisations that must have adopted it for it to be standard across government. */
  standard_at: number;
}
export type MaturityThresholds = Partial<Record<MaturityArea, Partial<Cutoffs>>>;
export const DEFAULT_CUTOFFS: Cutoffs = { adopted_at: 0.5, standard_at: 0.8 };

/** What the central policy shows of governance: settings it locks and packs it forces. */
export interface Governance {
  locks: readonly string[];
  forcedPacks: readonly string[];
  /** Rules the central policy raises to failure: a formal requirement. */
  failureRules: readonly string[];
}

interface Service {
  repository: string;
  manifest: Manifest;
  report: JsonReport;
}

export interface MaturityRow {
  area: MaturityArea | 'not-evidenced';
  theme: string;
  title: string;
  band: Band | 'Not evidenced';
  /** The paper's words for the band reached. */
  wording: string;
  /** Share of organisations that have adopted the practice. */
  share: number;
  /** Organisations that have adopted it, of those with services it applies to. */
  met: number;
  of: number;
  adopting: string[];
  evidence: string;
  /** Up to 10 repositories that do not show it, to act on. */
  lacking: string[];
}

interface Judged {
  /** Services the area applies to, and whether each shows the practice. */
  shows: (s: Service) => boolean | undefined;
  /** What one service showing the practice means, for the evidence text. */
  practice: string;
  /** Future State needs more than spread: a governance mechanism, or every need covered. */
  futureState?: { met: boolean; why: string };
  /** What High needs beyond a second organisation. */
  highNeeds?: { met: boolean; why: string };
  /** Organisations that must have adopted it for Medium (default 1: the digital unit). */
  mediumOrganisations?: number;
}

export function bandMaturity(
  services: readonly Service[],
  now: string,
  thresholds: EffectiveThresholds,
  cutoffs: MaturityThresholds = {},
  governance: Governance = { locks: [], forcedPacks: [], failureRules: [] },
): MaturityRow[] {
  const beyondAlpha = (s: Service) =>
    ['private-beta', 'public-beta', 'live'].includes(s.manifest.phase);
  const built = (s: Service) => !['discovery', 'retired'].includes(s.manifest.phase);
  const gated = (s: Service) => {
    const gate = ENTRY_ASSESSMENT[s.manifest.phase as Phase];
    if (!gate) return false;
    const status = assessmentStatus(
      s.manifest.assessments ?? [],
      gate,
      now,
      thresholds.assessment.amber_actions_max_days,
    );
    return status === 'passed' || status === 'passed-amber';
  };
  const usabilityTested = (s: Service) =>
    (s.manifest.research ?? []).some(
      (r) =>
        /usability/i.test(r.method) && daysBetween(r.date, now) <= thresholds.research.max_age_days,
    );
  const designSystemOf = (s: Service) => s.manifest.design_system?.name;
  const dominant = mostCommon(services.filter(built).map(designSystemOf));
  const dominantOrganisations = new Set(
    services.filter((s) => built(s) && designSystemOf(s) === dominant).map(organisationOf),
  );
  const categories = PLATFORM_CATEGORIES;
  const sharedIn = (s: Service, c: (typeof categories)[number]) => {
    return sharedPlatformOf(s.manifest.platforms?.[c]) !== undefined;
  };
  // `none` says the service has no such need: it counts neither for nor against adoption.
  const platformNeeds = (s: Service) =>
    categories.filter((c) => {
      const choice = s.manifest.platforms?.[c];
      return choice !== undefined && choice !== 'none';
    });
  const covered = categories.filter((c) => services.some((s) => sharedIn(s, c)));
  const designGoverned =
    governance.locks.some((l) => l.startsWith('thresholds.design_system_floors')) ||
    governance.forcedPacks.includes('service-gate-core');

  const areas: Record<MaturityArea, Judged> = {
    user_feedback_cycle: {
      shows: (s) => (beyondAlpha(s) ? gated(s) : undefined),
      practice: 'services beyond alpha are in a phase whose gate assessment is recorded and passed',
    },
    working_in_the_open: {
      shows: (s) =>
        built(s)
          ? s.manifest.source?.public === true &&
            (!!s.manifest.source.licence || s.report.evidence.practices.licence === true)
          : undefined,
      practice: 'services past discovery publish their code with a licence',
    },
    product_management: {
      shows: (s) =>
        built(s)
          ? (s.manifest.team?.roles ?? []).some((r) => /product (manager|owner)/i.test(r))
          : undefined,
      practice: 'services past discovery list a product manager or product owner in team.roles',
    },
    codified_ux_testing: {
      shows: (s) => (beyondAlpha(s) ? usabilityTested(s) : undefined),
      practice: `services beyond alpha ran usability testing in the last ${thresholds.research.max_age_days} days`,
      // Low is UX testing inside the digital unit alone; Medium is helping other departments.
      mediumOrganisations: 2,
      highNeeds: {
        met: governance.failureRules.includes('gds.4.usability-tested'),
        why: governance.failureRules.includes('gds.4.usability-tested')
          ? 'the central policy makes usability testing (gds.4.usability-tested) a failure'
          : 'the central policy does not make usability testing (gds.4.usability-tested) a failure, so no formal requirement shows',
      },
    },
    shared_design_patterns: {
      shows: (s) =>
        built(s) && s.manifest.kind !== 'api'
          ? designSystemOf(s) === dominant && dominant !== undefined
          : undefined,
      practice: `services with a user interface use ${dominant ?? 'one shared design system'}`,
      highNeeds: {
        met: dominantOrganisations.size >= 2,
        why: `${dominant ?? 'no design system'} is used by ${dominantOrganisations.size} organisation(s)`,
      },
      futureState: {
        met: designGoverned,
        why: designGoverned
          ? 'the central policy locks the design-system floors (or forces the core checks): a governance mechanism'
          : 'the central policy neither locks the design-system floors nor forces the core checks, so no governance mechanism shows',
      },
    },
    shared_platforms: {
      shows: (s) => {
        const needs = platformNeeds(s);
        return needs.length === 0 ? undefined : needs.every((c) => sharedIn(s, c));
      },
      practice: 'services meet each platform need they declare with a shared platform',
      highNeeds: {
        met: covered.includes('identity') && covered.includes('payments'),
        why: `shared platforms cover ${covered.join(', ') || 'no need'}`,
      },
      futureState: {
        met: covered.length === categories.length,
        why: `shared platforms cover ${covered.length} of the ${categories.length} common needs (${categories.join(', ')})`,
      },
    },
  };

  const rows = (Object.keys(areas) as MaturityArea[]).map((key) =>
    judgeArea(key, areas[key], services, { ...DEFAULT_CUTOFFS, ...cutoffs[key] }),
  );
  return [
    ...rows,
    ...AREAS_NOT_EVIDENCED.map(([theme, title]): MaturityRow => ({
      area: 'not-evidenced',
      theme,
      title,
      band: 'Not evidenced',
      wording: '',
      share: 0,
      met: 0,
      of: 0,
      adopting: [],
      evidence:
        'Nothing in a repository or service.yml shows this area; band it from other evidence.',
      lacking: [],
    })),
  ];
}

function judgeArea(
  key: MaturityArea,
  area: Judged,
  services: readonly Service[],
  cutoffs: Cutoffs,
): MaturityRow {
  const byOrganisation = new Map<string, { met: number; of: number; lacking: string[] }>();
  for (const s of services) {
    const shows = area.shows(s);
    if (shows === undefined) continue;
    const org = organisationOf(s);
    let entry = byOrganisation.get(org);
    if (!entry) byOrganisation.set(org, (entry = { met: 0, of: 0, lacking: [] }));
    entry.of++;
    if (shows) entry.met++;
    else entry.lacking.push(s.repository);
  }
  const organisations = [...byOrganisation.entries()].sort(([a], [b]) => a.localeCompare(b));
  const adopting = organisations
    .filter(([, e]) => e.met / e.of >= cutoffs.adopted_at)
    .map(([org]) => org);
  const of = organisations.length;
  const share = of === 0 ? 0 : adopting.length / of;

  let band: Band = 'Low';
  const reasons: string[] = [];
  const forMedium = area.mediumOrganisations ?? 1;
  if (adopting.length >= forMedium) band = 'Medium';
  else if (adopting.length > 0)
    reasons.push(`not Medium: ${adopting.length} organisation(s), and Medium needs ${forMedium}`);
  if (band === 'Medium' && adopting.length >= 2) {
    if (area.highNeeds && !area.highNeeds.met) reasons.push(`not High: ${area.highNeeds.why}`);
    else band = 'High';
  } else if (band === 'Medium' && of === 1) {
    reasons.push(
      'not High: only one organisation is audited, and High is about other organisations',
    );
  }
  if (band === 'High') {
    if (share < cutoffs.standard_at)
      reasons.push(
        `not Future State: ${Math.round(share * 100)}% of organisations, below the ${Math.round(cutoffs.standard_at * 100)}% that makes it standard`,
      );
    else if (area.futureState && !area.futureState.met)
      reasons.push(`not Future State: ${area.futureState.why}`);
    else band = 'Future State';
  }

  const definition = MATURITY_AREAS[key];
  const counted = organisations
    .map(([org, e]) => `${org} ${e.met} of ${e.of}`)
    .slice(0, 10)
    .join('; ');
  const evidence = [
    `${adopting.length} of ${of} ${of === 1 ? 'organisation has' : 'organisations have'} adopted it (at least ${Math.round(cutoffs.adopted_at * 100)}% of their ${area.practice}).`,
    counted ? `Per organisation: ${counted}.` : 'No service it applies to.',
    ...(band === 'Future State' && area.futureState ? [`And ${area.futureState.why}.`] : []),
    ...reasons.map((r) => `${r[0]!.toUpperCase()}${r.slice(1)}.`),
    `The paper, ${band}: "${definition.wording[band]}"`,
  ].join(' ');
  return {
    area: key,
    theme: definition.theme,
    title: definition.title,
    band,
    wording: definition.wording[band],
    share,
    met: adopting.length,
    of,
    adopting,
    evidence,
    lacking: organisations.flatMap(([, e]) => e.lacking).slice(0, 10),
  };
}

function organisationOf(s: Service): string {
  return s.manifest.owner?.organisation ?? '(no organisation declared)';
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
