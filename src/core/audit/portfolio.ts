import { MANIFEST_MISSING } from '../manifest/load.js';
import type { Manifest } from '../manifest/schema.js';
import type { EffectiveThresholds } from '../policy/defaults.js';
import type { Waiver } from '../policy/schema.js';
import { type JsonReport, type Report, toJsonReport } from '../report.js';
import { bandMaturity, type MaturityArea, type MaturityThresholds } from './maturity.js';

/**
 * A portfolio audit: every repository's evaluation, kept small enough to merge shard reports,
 * and the aggregate a central unit reads. Pure: built from results and a clock.
 */

export type RepositoryStatus = 'evaluated' | 'no-manifest' | 'invalid-manifest';

export interface RepositoryResult {
  repository: string;
  organisation: string;
  status: RepositoryStatus;
  team?: string;
  manifest?: Manifest;
  report?: JsonReport;
  /** The full report, for drift issues; never written to audit files. */
  evaluation?: Report;
}

export interface Exclusions {
  archived: string[];
  fork: string[];
  empty: string[];
}

export interface AuditResults {
  generated_at: string;
  organisations: string[];
  repositories: RepositoryResult[];
  excluded: Exclusions;
  /** "2/4" when this is one shard of a larger audit. */
  shard?: string;
}

export function repositoryResult(
  repository: string,
  organisation: string,
  report: Report,
  manifest?: Manifest,
  options: { keepEvaluation?: boolean } = {},
): RepositoryResult {
  const json = toJsonReport(report);
  // Points no rule checked carry nothing; across 10,000 repositories they are most of the memory.
  json.points = json.points.filter((p) => p.checked > 0);
  const status: RepositoryStatus = report.service
    ? 'evaluated'
    : report.findings.some((f) => f.rule === MANIFEST_MISSING)
      ? 'no-manifest'
      : 'invalid-manifest';
  return {
    repository,
    organisation,
    status,
    team: manifest?.owner?.team,
    manifest,
    report: json,
    ...(options.keepEvaluation ? { evaluation: report } : {}),
  };
}

export interface PortfolioOptions {
  now: string;
  thresholds: EffectiveThresholds;
  maturity?: MaturityThresholds;
  /** How far ahead "due soon" looks, in days. */
  horizonDays?: number;
  /** The central policy's waivers, to list those expiring. */
  waivers?: readonly Waiver[];
}

export interface Portfolio {
  generated_at: string;
  organisations: string[];
  totals: {
    repositories: number;
    services: number;
    no_manifest: number;
    invalid_manifest: number;
    excluded: { archived: number; fork: number; empty: number };
  };
  by_phase: Record<string, number>;
  by_organisation: { organisation: string; services: number; by_phase: Record<string, number> }[];
  by_team: { organisation: string; team: string; services: number }[];
  points: {
    standard: string;
    standard_title: string;
    point: number;
    title: string;
    services_checked: number;
    met: number;
    failing: number;
    warnings: number;
  }[];
  assessments_due: {
    repository: string;
    service: string;
    what: string;
    due: string;
    overdue: boolean;
  }[];
  spend_approvals_expiring: {
    repository: string;
    service: string;
    reference: string;
    expires: string;
    expired: boolean;
  }[];
  waivers_expiring: {
    repos: string;
    rule: string;
    approved_by: string;
    expires: string;
    expired: boolean;
  }[];
  design_systems: { id: string; major: string; services: number }[];
  platform_adoption: { category: string; platform: string; services: number }[];
  no_manifest: string[];
  invalid_manifest: string[];
  maturity: ReturnType<typeof bandMaturity>;
  shard?: string;
}

const PHASE_ORDER = ['discovery', 'alpha', 'private-beta', 'public-beta', 'live', 'retired'];
const DAY = 86_400_000;

function daysFrom(now: string, date: string): number {
  return Math.floor((Date.parse(date) - Date.parse(now)) / DAY);
}

export function buildPortfolio(results: AuditResults, options: PortfolioOptions): Portfolio {
  const horizon = options.horizonDays ?? 60;
  const services = results.repositories.filter(
    (r) => r.status === 'evaluated' && r.manifest && r.report,
  );
  const count = <K extends string>(keys: K[]) =>
    keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});

  const byPhase = count(services.map((s) => s.manifest!.phase));
  const orgs = [...new Set(results.repositories.map((r) => r.organisation))].sort();
  const teams = new Map<string, number>();
  for (const s of services) {
    const key = `${s.organisation}\u0000${s.manifest!.owner?.team ?? '(no team)'}`;
    teams.set(key, (teams.get(key) ?? 0) + 1);
  }

  const points = new Map<string, Portfolio['points'][number]>();
  for (const s of services) {
    for (const p of s.report!.points) {
      if (p.checked === 0) continue;
      const key = `${p.standard}#${p.point}`;
      const row = points.get(key) ?? {
        standard: p.standard,
        standard_title: p.standardTitle,
        point: p.point,
        title: p.title,
        services_checked: 0,
        met: 0,
        failing: 0,
        warnings: 0,
      };
      row.services_checked++;
      if (p.failures > 0) row.failing++;
      else if (p.warnings > 0) row.warnings++;
      else row.met++;
      points.set(key, row);
    }
  }

  const assessmentsDue: Portfolio['assessments_due'] = [];
  const spend: Portfolio['spend_approvals_expiring'] = [];
  const waivers: Portfolio['waivers_expiring'] = [];
  for (const s of services) {
    const m = s.manifest!;
    for (const a of m.assessments ?? []) {
      if (
        a.outcome === 'amber' &&
        a.actions_due &&
        daysFrom(options.now, a.actions_due) <= horizon
      ) {
        assessmentsDue.push({
          repository: s.repository,
          service: m.name,
          what: `amber ${a.phase} actions`,
          due: a.actions_due,
          overdue: a.actions_due < options.now,
        });
      }
    }
    const next = nextAssessment(m.phase);
    if (next && !(m.assessments ?? []).some((a) => a.phase === next)) {
      const waiting = s.report!.findings.some((f) => f.rule === 'core.entry-assessment-recorded');
      if (waiting)
        assessmentsDue.push({
          repository: s.repository,
          service: m.name,
          what: `${next} assessment`,
          due: options.now,
          overdue: true,
        });
    }
    const approval = m.spend?.approval;
    if (
      approval?.expires &&
      daysFrom(options.now, approval.expires) <=
        options.thresholds.spend.approval_expiry_warning_days
    ) {
      spend.push({
        repository: s.repository,
        service: m.name,
        reference: approval.reference,
        expires: approval.expires,
        expired: approval.expires < options.now,
      });
    }
  }
  for (const w of options.waivers ?? []) {
    if (daysFrom(options.now, w.expires) <= options.thresholds.waiver_expiry_warning_days) {
      waivers.push({
        repos: w.repos.join(', '),
        rule: w.rule,
        approved_by: w.approved_by,
        expires: w.expires,
        expired: w.expires < options.now,
      });
    }
  }

  const designSystems = new Map<string, number>();
  for (const s of services) {
    const seen = new Set<string>();
    for (const d of s.report!.evidence.design_system) {
      const key = `${d.id}\u0000${d.version ? `v${d.version.split('.')[0]}` : 'unknown'}`;
      if (!seen.has(key)) designSystems.set(key, (designSystems.get(key) ?? 0) + 1);
      seen.add(key);
    }
  }
  const platforms = new Map<string, number>();
  for (const s of services) {
    for (const category of ['identity', 'payments', 'notifications', 'forms'] as const) {
      const choice = s.manifest!.platforms?.[category];
      const platform =
        choice === undefined ? 'undeclared' : typeof choice === 'string' ? choice : 'own build';
      const key = `${category}\u0000${platform}`;
      platforms.set(key, (platforms.get(key) ?? 0) + 1);
    }
  }

  return {
    generated_at: results.generated_at,
    organisations: orgs,
    totals: {
      repositories: results.repositories.length,
      services: services.length,
      no_manifest: results.repositories.filter((r) => r.status === 'no-manifest').length,
      invalid_manifest: results.repositories.filter((r) => r.status === 'invalid-manifest').length,
      excluded: {
        archived: results.excluded.archived.length,
        fork: results.excluded.fork.length,
        empty: results.excluded.empty.length,
      },
    },
    by_phase: Object.fromEntries(
      PHASE_ORDER.filter((p) => byPhase[p]).map((p) => [p, byPhase[p]!]),
    ),
    by_organisation: orgs.map((organisation) => {
      const mine = services.filter((s) => s.organisation === organisation);
      return {
        organisation,
        services: mine.length,
        by_phase: count(mine.map((s) => s.manifest!.phase)),
      };
    }),
    by_team: [...teams]
      .map(([k, n]) => ({
        organisation: k.split('\u0000')[0]!,
        team: k.split('\u0000')[1]!,
        services: n,
      }))
      .sort((a, b) => b.services - a.services || a.team.localeCompare(b.team)),
    points: [...points.values()].sort(
      (a, b) => a.standard.localeCompare(b.standard) || a.point - b.point,
    ),
    assessments_due: assessmentsDue.sort((a, b) => a.due.localeCompare(b.due)),
    spend_approvals_expiring: spend.sort((a, b) => a.expires.localeCompare(b.expires)),
    waivers_expiring: waivers.sort((a, b) => a.expires.localeCompare(b.expires)),
    design_systems: [...designSystems]
      .map(([k, n]) => ({ id: k.split('\u0000')[0]!, major: k.split('\u0000')[1]!, services: n }))
      .sort((a, b) => b.services - a.services),
    platform_adoption: [...platforms]
      .map(([k, n]) => ({
        category: k.split('\u0000')[0]!,
        platform: k.split('\u0000')[1]!,
        services: n,
      }))
      .sort((a, b) => a.category.localeCompare(b.category) || b.services - a.services),
    no_manifest: results.repositories
      .filter((r) => r.status === 'no-manifest')
      .map((r) => r.repository)
      .sort(),
    invalid_manifest: results.repositories
      .filter((r) => r.status === 'invalid-manifest')
      .map((r) => r.repository)
      .sort(),
    maturity: bandMaturity(
      services.map((s) => ({ repository: s.repository, manifest: s.manifest!, report: s.report! })),
      options.now,
      options.thresholds,
      options.maturity,
    ),
    ...(results.shard ? { shard: results.shard } : {}),
  };
}

function nextAssessment(phase: string): string | undefined {
  return { alpha: 'alpha', 'private-beta': 'beta', 'public-beta': 'live' }[phase];
}

/** Combines shard results: repositories are deduplicated by name, exclusions united. */
export function mergeResults(parts: readonly AuditResults[]): AuditResults {
  const repos = new Map<string, RepositoryResult>();
  for (const p of parts) for (const r of p.repositories) repos.set(r.repository, r);
  const union = (k: keyof Exclusions) => [...new Set(parts.flatMap((p) => p.excluded[k]))].sort();
  return {
    generated_at:
      parts
        .map((p) => p.generated_at)
        .sort()
        .at(-1) ?? '',
    organisations: [...new Set(parts.flatMap((p) => p.organisations))].sort(),
    repositories: [...repos.values()].sort((a, b) => a.repository.localeCompare(b.repository)),
    excluded: { archived: union('archived'), fork: union('fork'), empty: union('empty') },
  };
}

/** Stable slice for --shard I/N: the same repository always lands in the same shard. */
export function inShard(repository: string, shard: { index: number; count: number }): boolean {
  let h = 0;
  for (const c of repository.toLowerCase()) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return h % shard.count === shard.index - 1;
}

export type { MaturityArea };
