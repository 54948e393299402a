import type { Portfolio } from '../../audit/portfolio.js';
import { plural } from '../labels.js';

/**
 * The portfolio report's content, once: each renderer (markdown, HTML) lays out the same
 * sections and tables, so the two never disagree about what a report says.
 */

export type Cell = string | number | { text: string; href: string };

export interface PortfolioTable {
  caption: string;
  head: string[];
  rows: Cell[][];
  /**
   * A column drawn as a bar as well as a number (HTML), scaled to the denominator the table
   * states for that row (services checked, or all services), never to the largest row.
   */
  bar?: { column: number; of: number[] };
}

export interface PortfolioSection {
  id: string;
  title: string;
  tables: PortfolioTable[];
  /** A plain list instead of, or after, the tables. */
  list?: string[];
  /** A sentence before the tables. */
  lead?: string;
}

export function portfolioSummary(p: Portfolio): string {
  const t = p.totals;
  return `${plural(t.services, 'service')} in ${plural(t.repositories, 'repository', 'repositories')}; ${plural(t.no_manifest, 'repository', 'repositories')} without service.yml and ${t.invalid_manifest} with an invalid one. Excluded: ${t.excluded.archived} archived, ${plural(t.excluded.fork, 'fork')}, ${t.excluded.empty} empty.`;
}

/** The first thing a minister reads: how many services fail, pass, or wait for an approval. */
export function portfolioHeadline(p: Portfolio): string {
  const h = p.headline;
  const parts = [
    `${h.failing} of ${plural(p.totals.services, 'service')} failing`,
    `${h.passing} passing`,
    `${h['needs approval']} needing approval`,
    ...(h['not evaluated'] ? [`${h['not evaluated']} not evaluated`] : []),
  ];
  const invalid = p.totals.invalid_manifest
    ? ` ${plural(p.totals.invalid_manifest, 'repository', 'repositories')} ${p.totals.invalid_manifest === 1 ? 'has' : 'have'} an invalid service.yml.`
    : '';
  return `${parts.join(', ')}.${invalid}`;
}

/** A warning that comes before everything else, when the report does not cover the whole audit. */
export function partialWarning(p: Portfolio): string | undefined {
  if (!p.missing_shards?.length) return undefined;
  return `This report is partial: ${p.missing_shards.length === 1 ? 'shard' : 'shards'} ${p.missing_shards.join(', ')} ${p.missing_shards.length === 1 ? 'is' : 'are'} missing, so its figures leave those repositories out.`;
}

const STATUS_LABEL = {
  failing: 'Failing',
  'needs approval': 'Needs approval',
  passing: 'Passing',
  'not evaluated': 'Not evaluated',
} as const;

export function portfolioSections(p: Portfolio): PortfolioSection[] {
  const state = (late: boolean, lateWord: string, soonWord: string) => (late ? lateWord : soonWord);
  const all = (rows: unknown[]) => rows.map(() => p.totals.services);
  return [
    {
      id: 'services',
      title: 'Services',
      tables: [
        {
          caption: 'Every service, failing first',
          // Status first after the name: on a phone, the columns after it scroll.
          head: [
            'Service',
            'Status',
            'Failures',
            'Warnings',
            'Phase',
            'Organisation',
            'Next assessment due',
            'Repository',
          ],
          rows: p.services.map((s) => [
            s.service,
            STATUS_LABEL[s.status],
            s.failures,
            s.warnings,
            s.phase,
            s.organisation || '—',
            s.next_due
              ? `${s.next_due.what}: ${s.next_due.overdue ? `overdue (${s.next_due.due})` : s.next_due.due}`
              : '—',
            s.url ? { text: s.repository, href: s.url } : s.repository,
          ]),
        },
      ],
    },
    ...(p.trends ? [trendsSection(p.trends)] : []),
    {
      id: 'maturity',
      title: 'Maturity',
      tables: [
        {
          caption: 'Maturity by area, from the 2018 digital transformation maturity model',
          head: ['Area', 'Band', 'Share', 'Evidence'],
          rows: p.maturity.map((m) => [
            m.title,
            m.band,
            `${Math.round(m.share * 100)}%`,
            `${m.evidence}${m.lacking.length ? ` Not yet: ${m.lacking.join(', ')}.` : ''}`,
          ]),
        },
      ],
    },
    {
      id: 'phases',
      title: 'Services by phase',
      tables: [
        {
          caption: `Services by delivery phase, of ${p.totals.services}`,
          head: ['Phase', 'Services'],
          rows: Object.entries(p.by_phase),
          bar: { column: 1, of: all(Object.keys(p.by_phase)) },
        },
      ],
    },
    {
      id: 'organisations',
      title: 'Services by organisation and team',
      tables: [
        {
          caption: 'Services by organisation',
          head: ['Organisation', 'Services'],
          rows: p.by_organisation.map((o) => [o.organisation, o.services]),
          bar: { column: 1, of: all(p.by_organisation) },
        },
        {
          caption: 'Services by team',
          head: ['Team', 'Organisation', 'Services'],
          rows: p.by_team.map((r) => [r.team, r.organisation || '—', r.services]),
          bar: { column: 2, of: all(p.by_team) },
        },
      ],
    },
    {
      id: 'points',
      title: 'Compliance by standard point',
      tables: [
        {
          caption: 'Services meeting each point that is checked automatically, of those checked',
          head: ['Point', 'Standard', 'Met', 'Warnings', 'Failing', 'Services checked'],
          rows: p.points.map((r) => [
            `${r.point}. ${r.title}`,
            r.standard_title,
            r.met,
            r.warnings,
            r.failing,
            r.services_checked,
          ]),
          bar: { column: 2, of: p.points.map((r) => r.services_checked) },
        },
      ],
    },
    {
      id: 'assessments',
      title: 'Assessments due or overdue',
      tables: [
        {
          caption: 'Assessments and amber actions due within 60 days, or overdue',
          head: ['Service', 'Repository', 'What', 'Due', 'State'],
          rows: p.assessments_due.map((a) => [
            a.service,
            a.repository,
            a.what,
            a.due,
            state(a.overdue, 'Overdue', 'Due'),
          ]),
        },
      ],
    },
    {
      id: 'spend',
      title: 'Spend approvals expiring',
      tables: [
        {
          caption: 'Spend approvals expired or expiring soon',
          head: ['Service', 'Repository', 'Approval', 'Expires', 'State'],
          rows: p.spend_approvals_expiring.map((a) => [
            a.service,
            a.repository,
            a.reference,
            a.expires,
            state(a.expired, 'Expired', 'Expiring'),
          ]),
        },
      ],
    },
    {
      id: 'waivers',
      title: 'Waivers expiring',
      tables: [
        {
          caption: 'Waivers expired or expiring soon',
          head: ['Rule', 'Repositories', 'Approved by', 'Expires', 'State'],
          rows: p.waivers_expiring.map((w) => [
            w.rule,
            w.repos,
            w.approved_by,
            w.expires,
            state(w.expired, 'Expired', 'Expiring'),
          ]),
        },
      ],
    },
    {
      id: 'design-systems',
      title: 'Design-system versions',
      tables: [
        {
          caption: 'Services by design system and major version',
          head: ['Design system', 'Major version', 'Services'],
          rows: p.design_systems.map((d) => [d.id, d.major, d.services]),
          bar: { column: 2, of: all(p.design_systems) },
        },
      ],
    },
    {
      id: 'platforms',
      title: 'Shared platform adoption',
      tables: [
        {
          caption: 'Services by platform, per category',
          head: ['Category', 'Platform', 'Services'],
          rows: p.platform_adoption.map((r) => [r.category, r.platform, r.services]),
          bar: { column: 2, of: all(p.platform_adoption) },
        },
      ],
    },
    {
      id: 'invalid-manifest',
      title: 'Repositories with an invalid service.yml',
      tables: [
        {
          caption: 'Repositories whose service.yml could not be judged, with the first problem',
          head: ['Repository', 'Problem'],
          rows: p.invalid_manifest_reasons.map((r) => [r.repository, r.problem]),
        },
      ],
    },
    {
      id: 'no-manifest',
      title: 'Repositories with no service.yml',
      tables: [],
      list: p.no_manifest,
    },
  ];
}

function trendsSection(t: NonNullable<Portfolio['trends']>): PortfolioSection {
  const rows: Cell[][] = [
    ...t.started_failing.map((r) => [r, 'Started failing']),
    ...t.stopped_failing.map((r) => [r, 'Stopped failing']),
    ...t.phase_changes.map((c) => [c.repository, `Moved from ${c.from} to ${c.to}`]),
    ...t.approvals_expiring.map((a) => [
      a.repository,
      `Spend approval ${a.reference} expires ${a.expires}`,
    ]),
    ...t.new_services.map((r) => [r, 'New service']),
    ...t.gone.map((r) => [r, 'No longer audited']),
  ];
  return {
    id: 'changes',
    title: `Changes since the last audit (${t.since.slice(0, 10)})`,
    tables: [
      { caption: 'What changed since the last audit', head: ['Repository', 'Change'], rows },
    ],
  };
}
