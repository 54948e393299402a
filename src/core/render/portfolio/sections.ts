import type { Portfolio } from '../../audit/portfolio.js';

/**
 * The portfolio report's content, once: each renderer (markdown, HTML) lays out the same
 * sections and tables, so the two never disagree about what a report says.
 */

export interface PortfolioTable {
  caption: string;
  head: string[];
  rows: (string | number)[][];
  /** A column drawn as a bar as well as a number (HTML). */
  barColumn?: number;
}

export interface PortfolioSection {
  id: string;
  title: string;
  tables: PortfolioTable[];
  /** A plain list instead of, or after, the tables. */
  list?: string[];
}

export function portfolioSummary(p: Portfolio): string {
  const t = p.totals;
  return `${t.services} services in ${t.repositories} repositories; ${t.no_manifest} repositories have no service.yml and ${t.invalid_manifest} an invalid one. Excluded: ${t.excluded.archived} archived, ${t.excluded.fork} forks, ${t.excluded.empty} empty.`;
}

export function portfolioSections(p: Portfolio): PortfolioSection[] {
  const state = (late: boolean, lateWord: string, soonWord: string) => (late ? lateWord : soonWord);
  return [
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
          caption: 'Services by delivery phase',
          head: ['Phase', 'Services'],
          rows: Object.entries(p.by_phase),
          barColumn: 1,
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
          barColumn: 1,
        },
        {
          caption: 'Services by team',
          head: ['Team', 'Organisation', 'Services'],
          rows: p.by_team.map((r) => [r.team, r.organisation, r.services]),
          barColumn: 2,
        },
      ],
    },
    {
      id: 'points',
      title: 'Compliance by standard point',
      tables: [
        {
          caption: 'Services meeting each point that is checked automatically',
          head: ['Point', 'Standard', 'Met', 'Warnings', 'Failing', 'Services checked'],
          rows: p.points.map((r) => [
            `${r.point}. ${r.title}`,
            r.standard_title,
            r.met,
            r.warnings,
            r.failing,
            r.services_checked,
          ]),
          barColumn: 2,
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
          barColumn: 2,
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
          barColumn: 2,
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
