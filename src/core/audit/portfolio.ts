import { daysBetween } from '../days.js';
import {
  ENTRY_ASSESSMENT_RULE,
  nextAssessment,
  PHASES,
  PLATFORM_CATEGORIES,
  sharedPlatformOf,
} from '../domain/catalogue.js';
import { MANIFEST_MISSING } from '../manifest/load.js';
import type { Manifest } from '../manifest/schema.js';
import type { EffectiveThresholds } from '../policy/defaults.js';
import type { Waiver } from '../policy/schema.js';
import { type JsonReport, type Report, toJsonReport } from '../report.js';
import type { SharedValues, Sharing } from './shared-values.js';
import {
  bandMaturity,
  type Governance,
  type MaturityArea,
  type MaturityThresholds,
} from './maturity.js';

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
  /** Shards a partial merge did not have (`merge --allow-partial`). */
  missing_shards?: string[];
}

export function repositoryResult(
  repository: string,
  organisation: string,
  report: Report,
  manifest?: Manifest,
  options: { keepEvaluation?: boolean; shared?: SharedValues } = {},
): RepositoryResult {
  const json = toJsonReport(report);
  // Points no rule checked carry nothing; across 10,000 repositories they are most of the memory.
  json.points = json.points.filter((p) => p.checked > 0);
  if (options.shared) shareRecurring(json, options.shared);
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

/**
 * A result judged elsewhere (in a worker thread) with its recurring parts shared among this
 * audit's results, as if it had been judged here.
 */
export function shareResult(result: RepositoryResult, shared: Sharing): RepositoryResult {
  if (result.report) shareRecurring(result.report, shared);
  return result;
}

/** The parts of a report that recur from one repository to the next, shared (see SharedValues). */
function shareRecurring(json: JsonReport, shared: Sharing): void {
  json.points = shared.shareEach(json.points);
  json.findings = shared.shareEach(json.findings);
  json.packs = shared.share(json.packs);
  json.packs_skipped = shared.share(json.packs_skipped);
  json.approvals = shared.share(json.approvals);
  const e = json.evidence;
  e.design_system = shared.shareEach(e.design_system);
  e.platforms = shared.shareEach(e.platforms);
  e.own_builds = shared.shareEach(e.own_builds);
  e.practices = shared.share(e.practices);
  e.files_read = shared.share(e.files_read);
  e.files_unread = shared.share(e.files_unread);
}

export interface PortfolioOptions {
  now: string;
  thresholds: EffectiveThresholds;
  maturity?: MaturityThresholds;
  /** What the central policy locks, forces and requires: the paper's governance mechanisms. */
  governance?: Governance;
  /** How far ahead "due soon" looks, in days. */
  horizonDays?: number;
  /** The central policy's waivers, to list those expiring. */
  waivers?: readonly Waiver[];
  /** The last audit's results (`audit --previous`), to say what changed since. */
  previous?: AuditResults;
}

/** What a service's check says, in a minister's words. */
export type ServiceStatus = 'failing' | 'needs approval' | 'passing' | 'not evaluated';

export interface ServiceRow {
  repository: string;
  /** A link to the repository, when it is one on GitHub (not a local folder). */
  url?: string;
  organisation: string;
  service: string;
  phase: string;
  status: ServiceStatus;
  failures: number;
  warnings: number;
  /** The soonest assessment or amber action due, if any is known. */
  next_due?: { what: string; due: string; overdue: boolean };
}

export interface Portfolio {
  generated_at: string;
  organisations: string[];
  /** The headline: how many services fail, pass, or wait for an approval. */
  headline: Record<ServiceStatus, number>;
  totals: {
    repositories: number;
    services: number;
    no_manifest: number;
    invalid_manifest: number;
    excluded: { archived: number; fork: number; empty: number };
  };
  services: ServiceRow[];
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
  /** Repositories whose service.yml could not be read as one, with the first problem. */
  invalid_manifest: string[];
  invalid_manifest_reasons: { repository: string; problem: string }[];
  maturity: ReturnType<typeof bandMaturity>;
  shard?: string;
  /** Shards that a merge was missing (`merge --allow-partial`). */
  missing_shards?: string[];
  trends?: Trends;
}

export interface Trends {
  since: string;
  started_failing: string[];
  stopped_failing: string[];
  phase_changes: { repository: string; service: string; from: string; to: string }[];
  new_services: string[];
  gone: string[];
  /** Spend approvals that entered the expiry window (or expired) since the last audit. */
  approvals_expiring: { repository: string; reference: string; expires: string }[];
}

/** An evaluated service: a repository whose service.yml was read and judged. */
interface Service extends RepositoryResult {
  manifest: Manifest;
  report: JsonReport;
}

/** Counts by a composite key without joining it into a string: key parts are kept as given. */
class Tally<K extends readonly string[]> {
  private readonly rows = new Map<string, { key: K; n: number }>();
  add(key: K): void {
    const id = JSON.stringify(key);
    const row = this.rows.get(id);
    if (row) row.n++;
    else this.rows.set(id, { key, n: 1 });
  }
  entries(): { key: K; n: number }[] {
    return [...this.rows.values()];
  }
}

function servicesOf(results: AuditResults): Service[] {
  return results.repositories.filter(
    (r): r is Service => r.status === 'evaluated' && Boolean(r.manifest && r.report),
  );
}

/** The organisation a service belongs to: its GitHub organisation, or the one service.yml names. */
function organisationOf(r: RepositoryResult): string {
  return r.organisation || r.manifest?.owner?.organisation || '';
}

export function buildPortfolio(results: AuditResults, options: PortfolioOptions): Portfolio {
  const services = servicesOf(results);
  const byStatus = (status: RepositoryStatus) =>
    results.repositories.filter((r) => r.status === status).map((r) => r.repository);
  const rows = services.map((s) => serviceRow(s, options));
  const invalid = results.repositories.filter((r) => r.status === 'invalid-manifest');
  return {
    generated_at: results.generated_at,
    organisations: [...new Set(results.repositories.map(organisationOf))].filter(Boolean).sort(),
    headline: headline(rows),
    totals: {
      repositories: results.repositories.length,
      services: services.length,
      no_manifest: byStatus('no-manifest').length,
      invalid_manifest: invalid.length,
      excluded: {
        archived: results.excluded.archived.length,
        fork: results.excluded.fork.length,
        empty: results.excluded.empty.length,
      },
    },
    services: rows.sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        b.failures - a.failures ||
        a.service.localeCompare(b.service),
    ),
    by_phase: byPhase(services),
    by_organisation: byOrganisation(services),
    by_team: byTeam(services),
    points: pointCompliance(services),
    assessments_due: services
      .flatMap((s) => assessmentsDue(s, options.now))
      .filter((a) => daysBetween(options.now, a.due) <= (options.horizonDays ?? 60))
      .sort((a, b) => a.due.localeCompare(b.due)),
    spend_approvals_expiring: spendExpiring(services, options),
    waivers_expiring: waiversExpiring(options),
    design_systems: designSystems(services),
    platform_adoption: platformAdoption(services),
    no_manifest: byStatus('no-manifest').sort(),
    invalid_manifest: invalid.map((r) => r.repository).sort(),
    invalid_manifest_reasons: invalid
      .map((r) => ({
        repository: r.repository,
        problem: r.report?.findings.find((f) => f.level === 'failure')?.message ?? 'unreadable',
      }))
      .sort((a, b) => a.repository.localeCompare(b.repository)),
    maturity: bandMaturity(
      services.map((s) => ({ repository: s.repository, manifest: s.manifest, report: s.report })),
      options.now,
      options.thresholds,
      options.maturity,
      options.governance,
    ),
    ...(results.shard ? { shard: results.shard } : {}),
    ...(results.missing_shards?.length ? { missing_shards: results.missing_shards } : {}),
    ...(options.previous ? { trends: trends(options.previous, results, options) } : {}),
  };
}

const STATUS_ORDER: ServiceStatus[] = ['failing', 'needs approval', 'passing', 'not evaluated'];

export function statusOf(conclusion: JsonReport['conclusion']): ServiceStatus {
  return conclusion === 'failure'
    ? 'failing'
    : conclusion === 'action_required'
      ? 'needs approval'
      : conclusion === 'success'
        ? 'passing'
        : 'not evaluated';
}

function headline(rows: readonly ServiceRow[]): Record<ServiceStatus, number> {
  const counts: Record<ServiceStatus, number> = {
    failing: 0,
    'needs approval': 0,
    passing: 0,
    'not evaluated': 0,
  };
  for (const r of rows) counts[r.status]++;
  return counts;
}

function serviceRow(s: Service, options: PortfolioOptions): ServiceRow {
  const findings = s.report.findings.filter((f) => !f.waived);
  const next = assessmentsDue(s, options.now).sort((a, b) => a.due.localeCompare(b.due))[0];
  return {
    repository: s.repository,
    ...(/^[\w.-]+\/[\w.-]+$/.test(s.repository)
      ? { url: `https://github.com/${s.repository}` }
      : {}),
    organisation: organisationOf(s),
    service: s.manifest.name,
    phase: s.manifest.phase,
    status: statusOf(s.report.conclusion),
    failures: findings.filter((f) => f.level === 'failure').length,
    warnings: findings.filter((f) => f.level === 'warning').length,
    ...(next ? { next_due: { what: next.what, due: next.due, overdue: next.overdue } } : {}),
  };
}

function byPhase(services: readonly Service[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const s of services) counts.set(s.manifest.phase, (counts.get(s.manifest.phase) ?? 0) + 1);
  return Object.fromEntries(PHASES.filter((p) => counts.has(p)).map((p) => [p, counts.get(p)!]));
}

function byOrganisation(services: readonly Service[]): Portfolio['by_organisation'] {
  const orgs = [...new Set(services.map(organisationOf))].filter(Boolean).sort();
  return orgs.map((organisation) => {
    const mine = services.filter((s) => organisationOf(s) === organisation);
    return { organisation, services: mine.length, by_phase: byPhase(mine) };
  });
}

function byTeam(services: readonly Service[]): Portfolio['by_team'] {
  const teams = new Tally<[organisation: string, team: string]>();
  for (const s of services) teams.add([organisationOf(s), s.manifest.owner?.team ?? '(no team)']);
  return teams
    .entries()
    .map(({ key: [organisation, team], n }) => ({ organisation, team, services: n }))
    .sort((a, b) => b.services - a.services || a.team.localeCompare(b.team));
}

function pointCompliance(services: readonly Service[]): Portfolio['points'] {
  const points = new Map<string, Portfolio['points'][number]>();
  for (const s of services) {
    for (const p of s.report.points) {
      if (p.checked === 0) continue;
      const key = JSON.stringify([p.standard, p.point]);
      let row = points.get(key);
      if (!row)
        points.set(
          key,
          (row = {
            standard: p.standard,
            standard_title: p.standardTitle,
            point: p.point,
            title: p.title,
            services_checked: 0,
            met: 0,
            failing: 0,
            warnings: 0,
          }),
        );
      row.services_checked++;
      if (p.failures > 0) row.failing++;
      else if (p.warnings > 0) row.warnings++;
      else row.met++;
    }
  }
  return [...points.values()].sort(
    (a, b) => a.standard.localeCompare(b.standard) || a.point - b.point,
  );
}

/** Amber actions with a due date, and the next phase's assessment when it is not recorded. */
function assessmentsDue(s: Service, now: string): Portfolio['assessments_due'] {
  const m = s.manifest;
  const due: Portfolio['assessments_due'] = [];
  for (const a of m.assessments ?? []) {
    if (a.outcome === 'amber' && a.actions_due)
      due.push({
        repository: s.repository,
        service: m.name,
        what: `amber ${a.phase} actions`,
        due: a.actions_due,
        overdue: a.actions_due < now,
      });
  }
  const next = nextAssessment(m.phase);
  if (
    next &&
    !(m.assessments ?? []).some((a) => a.phase === next) &&
    s.report.findings.some((f) => f.rule === ENTRY_ASSESSMENT_RULE)
  )
    due.push({
      repository: s.repository,
      service: m.name,
      what: `${next} assessment`,
      due: now,
      overdue: true,
    });
  return due;
}

function spendExpiring(
  services: readonly Service[],
  options: PortfolioOptions,
): Portfolio['spend_approvals_expiring'] {
  const window = options.thresholds.spend.approval_expiry_warning_days;
  return services
    .flatMap((s) => {
      const approval = s.manifest.spend?.approval;
      if (!approval?.expires || daysBetween(options.now, approval.expires) > window) return [];
      return [
        {
          repository: s.repository,
          service: s.manifest.name,
          reference: approval.reference,
          expires: approval.expires,
          expired: approval.expires < options.now,
        },
      ];
    })
    .sort((a, b) => a.expires.localeCompare(b.expires));
}

function waiversExpiring(options: PortfolioOptions): Portfolio['waivers_expiring'] {
  return (options.waivers ?? [])
    .filter(
      (w) => daysBetween(options.now, w.expires) <= options.thresholds.waiver_expiry_warning_days,
    )
    .map((w) => ({
      repos: w.repos?.join(', ') ?? 'every repository',
      rule: w.rule,
      approved_by: w.approved_by,
      expires: w.expires,
      expired: w.expires < options.now,
    }))
    .sort((a, b) => a.expires.localeCompare(b.expires));
}

function designSystems(services: readonly Service[]): Portfolio['design_systems'] {
  const tally = new Tally<[id: string, major: string]>();
  for (const s of services) {
    const seen = new Set<string>();
    for (const d of s.report.evidence.design_system) {
      const key: [string, string] = [d.id, d.version ? `v${d.version.split('.')[0]}` : 'unknown'];
      if (seen.has(JSON.stringify(key))) continue;
      seen.add(JSON.stringify(key));
      tally.add(key);
    }
  }
  return tally
    .entries()
    .map(({ key: [id, major], n }) => ({ id, major, services: n }))
    .sort((a, b) => b.services - a.services);
}

function platformAdoption(services: readonly Service[]): Portfolio['platform_adoption'] {
  const tally = new Tally<[category: string, platform: string]>();
  for (const s of services) {
    for (const category of PLATFORM_CATEGORIES) {
      const choice = s.manifest.platforms?.[category];
      tally.add([
        category,
        choice === undefined
          ? 'undeclared'
          : choice === 'none'
            ? 'none'
            : (sharedPlatformOf(choice) ?? 'own build'),
      ]);
    }
  }
  return tally
    .entries()
    .map(({ key: [category, platform], n }) => ({ category, platform, services: n }))
    .sort((a, b) => a.category.localeCompare(b.category) || b.services - a.services);
}

/** What changed between the last audit and this one, per repository. */
function trends(previous: AuditResults, current: AuditResults, options: PortfolioOptions): Trends {
  const before = new Map(servicesOf(previous).map((s) => [s.repository, s]));
  const now = servicesOf(current);
  const failing = (s: Service) => s.report.conclusion === 'failure';
  const window = options.thresholds.spend.approval_expiry_warning_days;
  const expiring = (s: Service | undefined, at: string) => {
    const expires = s?.manifest.spend?.approval?.expires;
    return Boolean(expires && daysBetween(at, expires) <= window);
  };
  const t: Trends = {
    since: previous.generated_at,
    started_failing: [],
    stopped_failing: [],
    phase_changes: [],
    new_services: [],
    gone: [],
    approvals_expiring: [],
  };
  for (const s of now) {
    const was = before.get(s.repository);
    if (!was) t.new_services.push(s.repository);
    else {
      if (failing(s) && !failing(was)) t.started_failing.push(s.repository);
      if (!failing(s) && failing(was)) t.stopped_failing.push(s.repository);
      if (s.manifest.phase !== was.manifest.phase)
        t.phase_changes.push({
          repository: s.repository,
          service: s.manifest.name,
          from: was.manifest.phase,
          to: s.manifest.phase,
        });
    }
    if (
      expiring(s, options.now) &&
      !expiring(was, previous.generated_at.slice(0, 10) || options.now)
    )
      t.approvals_expiring.push({
        repository: s.repository,
        reference: s.manifest.spend!.approval!.reference,
        expires: s.manifest.spend!.approval!.expires!,
      });
  }
  const current_ = new Set(now.map((s) => s.repository));
  t.gone = [...before.keys()].filter((r) => !current_.has(r)).sort();
  return t;
}

/** A merge of shards that does not cover the whole audit (see mergeResults). */
export class PartialMergeError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `The shard reports do not cover the whole audit: ${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. Merge every shard, or pass --allow-partial for a report that says which are missing.`,
    );
  }
}

/**
 * Combines shard results: repositories are deduplicated by name, exclusions united. Shards of
 * one audit (each records "I/N") must all be there, unless `allowPartial`, when the result
 * names the missing ones.
 */
export function mergeResults(
  parts: readonly AuditResults[],
  options: { allowPartial?: boolean } = {},
): AuditResults {
  const missing = missingShards(parts);
  if (missing.length > 0 && !options.allowPartial) throw new PartialMergeError(missing);
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
    ...(missing.length > 0 ? { missing_shards: missing } : {}),
  };
}

/** "2/3" for each shard of the audit that no part covers; a part with no shard covers all. */
function missingShards(parts: readonly AuditResults[]): string[] {
  if (parts.some((p) => !p.shard)) return [];
  const present = new Set(parts.map((p) => p.shard!));
  const counts = new Set(parts.map((p) => Number(p.shard!.split('/')[1])));
  const missing: string[] = [];
  for (const count of counts)
    for (let i = 1; i <= count; i++)
      if (!present.has(`${i}/${count}`)) missing.push(`${i}/${count}`);
  return missing;
}

/** Stable slice for --shard I/N: the same repository always lands in the same shard. */
export function inShard(repository: string, shard: { index: number; count: number }): boolean {
  let h = 0;
  for (const c of repository.toLowerCase()) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return h % shard.count === shard.index - 1;
}

export type { MaturityArea };
