import { markdownTable } from 'markdown-table';
import type { Portfolio } from '../../audit/portfolio.js';
import { escape } from '../markdown.js';

const pct = (n: number, of: number) => (of === 0 ? '–' : `${Math.round((n / of) * 100)}%`);

export function renderPortfolioMarkdown(p: Portfolio): string {
  const t = p.totals;
  const out: string[] = [
    `# Service portfolio: ${p.organisations.join(', ')}`,
    '',
    `Generated ${p.generated_at}${p.shard ? ` (shard ${p.shard})` : ''}. ${t.services} services in ${t.repositories} repositories; ${t.no_manifest} repositories have no service.yml and ${t.invalid_manifest} an invalid one. Excluded: ${t.excluded.archived} archived, ${t.excluded.fork} forks, ${t.excluded.empty} empty.`,
    '',
    '## Maturity',
    '',
    markdownTable(
      [
        ['Area', 'Band', 'Evidence'],
        ...p.maturity.map((m) => [m.title, m.band, escape(m.evidence)]),
      ],
      { alignDelimiters: false },
    ),
    '',
    '## Services by phase',
    '',
    markdownTable(
      [['Phase', 'Services'], ...Object.entries(p.by_phase).map(([k, v]) => [k, String(v)])],
      { alignDelimiters: false },
    ),
    '',
    '## By organisation and team',
    '',
    markdownTable(
      [
        ['Organisation', 'Team', 'Services'],
        ...p.by_team.map((r) => [r.organisation, escape(r.team), String(r.services)]),
      ],
      { alignDelimiters: false },
    ),
    '',
    '## Compliance by standard point',
    '',
    markdownTable(
      [
        ['Standard', 'Point', 'Met', 'Warnings', 'Failing', 'Checked'],
        ...p.points.map((r) => [
          r.standard_title,
          `${r.point}. ${r.title}`,
          pct(r.met, r.services_checked),
          String(r.warnings),
          String(r.failing),
          String(r.services_checked),
        ]),
      ],
      { alignDelimiters: false },
    ),
  ];
  const list = (title: string, rows: string[][], header: string[]) => {
    out.push('', `## ${title}`, '');
    out.push(rows.length ? markdownTable([header, ...rows], { alignDelimiters: false }) : 'None.');
  };
  list(
    'Assessments due or overdue',
    p.assessments_due.map((a) => [
      a.repository,
      escape(a.service),
      a.what,
      a.due,
      a.overdue ? 'overdue' : 'due',
    ]),
    ['Repository', 'Service', 'What', 'Due', 'State'],
  );
  list(
    'Spend approvals expiring',
    p.spend_approvals_expiring.map((a) => [
      a.repository,
      escape(a.service),
      a.reference,
      a.expires,
      a.expired ? 'expired' : 'expiring',
    ]),
    ['Repository', 'Service', 'Approval', 'Expires', 'State'],
  );
  list(
    'Waivers expiring',
    p.waivers_expiring.map((w) => [
      w.rule,
      w.repos,
      w.approved_by,
      w.expires,
      w.expired ? 'expired' : 'expiring',
    ]),
    ['Rule', 'Repositories', 'Approved by', 'Expires', 'State'],
  );
  list(
    'Design systems',
    p.design_systems.map((d) => [d.id, d.major, String(d.services)]),
    ['Design system', 'Major version', 'Services'],
  );
  list(
    'Shared platform adoption',
    p.platform_adoption.map((r) => [r.category, r.platform, String(r.services)]),
    ['Category', 'Platform', 'Services'],
  );
  list(
    'Repositories with no service.yml',
    p.no_manifest.map((r) => [r]),
    ['Repository'],
  );
  return `${out.join('\n')}\n`;
}
