import type { Portfolio } from '../../audit/portfolio.js';

/**
 * One self-contained page a minister can be handed: no scripts, no external assets, WCAG 2.2
 * AA (checked with axe-core in headless Chromium by the tests). Charts are bars inside tables,
 * so every figure is also text that a screen reader reads in order.
 */

const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function bar(value: number, max: number): string {
  const width = max === 0 ? 0 : Math.round((value / max) * 100);
  return `<span class="bar" aria-hidden="true"><span style="width:${width}%"></span></span>`;
}

function table(
  caption: string,
  head: string[],
  rows: (string | number)[][],
  options: { barColumn?: number; numeric?: number[] } = {},
): string {
  if (rows.length === 0) return `<p>${esc(caption)}: none.</p>`;
  const max =
    options.barColumn === undefined
      ? 0
      : Math.max(...rows.map((r) => Number(r[options.barColumn!]) || 0));
  const cell = (v: string | number, i: number) => {
    const numeric = options.numeric?.includes(i) || i === options.barColumn;
    const content = i === options.barColumn ? `${esc(v)} ${bar(Number(v), max)}` : esc(v);
    return `<td${numeric ? ' class="num"' : ''}>${content}</td>`;
  };
  return `<table>
<caption>${esc(caption)}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${esc(v)}</th>` : cell(v, i))).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #0b0c0c; background: #fff; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; display: inline-block; padding: .5rem; background: #ffdd00; color: #0b0c0c; outline: 3px solid #0b0c0c; }
header, main, footer { max-width: 70rem; margin: 0 auto; padding: 1rem 1.5rem; }
header { border-bottom: 4px solid #1d70b8; }
h1 { font-size: 2rem; margin: .5rem 0; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-top: 1px solid #b1b4b6; padding-top: 1rem; }
a { color: #1d70b8; }
a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #0b0c0c; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 700; padding-bottom: .5rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
thead th { border-bottom: 2px solid #0b0c0c; }
td.num { white-space: nowrap; }
.bar { display: inline-block; width: 8rem; height: .8rem; background: #f3f2f1; vertical-align: middle; margin-left: .5rem; }
.bar span { display: block; height: 100%; background: #1d70b8; }
.totals { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.totals li { border-left: 4px solid #1d70b8; padding: .25rem .75rem; }
.totals strong { display: block; font-size: 1.75rem; }
.band { font-weight: 700; }
`;

export function renderPortfolioHtml(p: Portfolio): string {
  const t = p.totals;
  const phases = Object.entries(p.by_phase);
  const section = (id: string, title: string, body: string) =>
    `<section aria-labelledby="${id}">\n<h2 id="${id}">${esc(title)}</h2>\n${body}\n</section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service portfolio report: ${esc(p.organisations.join(', '))}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header>
<h1>Service portfolio report</h1>
<p>${esc(p.organisations.join(', '))}. Generated ${esc(p.generated_at)} by Service Gate${p.shard ? `, shard ${esc(p.shard)}` : ''}.</p>
</header>
<main id="main">
<ul class="totals" aria-label="Totals">
<li><strong>${t.services}</strong> services</li>
<li><strong>${t.repositories}</strong> repositories audited</li>
<li><strong>${t.no_manifest}</strong> without service.yml</li>
<li><strong>${t.excluded.archived + t.excluded.fork + t.excluded.empty}</strong> excluded (${t.excluded.archived} archived, ${t.excluded.fork} forks, ${t.excluded.empty} empty)</li>
</ul>
${section(
  'maturity',
  'Maturity',
  table(
    'Maturity by area, from the 2018 digital transformation maturity model',
    ['Area', 'Band', 'Share', 'Evidence'],
    p.maturity.map((m) => [
      m.title,
      m.band,
      `${Math.round(m.share * 100)}%`,
      `${m.evidence}${m.lacking.length ? ` Not yet: ${m.lacking.join(', ')}.` : ''}`,
    ]),
  ),
)}
${section('phases', 'Services by phase', table('Services by delivery phase', ['Phase', 'Services'], phases, { barColumn: 1 }))}
${section(
  'organisations',
  'Services by organisation and team',
  table(
    'Services by organisation',
    ['Organisation', 'Services'],
    p.by_organisation.map((o) => [o.organisation, o.services]),
    { barColumn: 1 },
  ) +
    table(
      'Services by team',
      ['Team', 'Organisation', 'Services'],
      p.by_team.map((r) => [r.team, r.organisation, r.services]),
      { barColumn: 2 },
    ),
)}
${section(
  'points',
  'Compliance by standard point',
  table(
    'Share of services meeting each point that is checked automatically',
    ['Point', 'Standard', 'Met', 'Warnings', 'Failing', 'Services checked'],
    p.points.map((r) => [
      `${r.point}. ${r.title}`,
      r.standard_title,
      r.met,
      r.warnings,
      r.failing,
      r.services_checked,
    ]),
    { barColumn: 2, numeric: [3, 4, 5] },
  ),
)}
${section(
  'assessments',
  'Assessments due or overdue',
  table(
    'Assessments and amber actions due within 60 days, or overdue',
    ['Service', 'Repository', 'What', 'Due', 'State'],
    p.assessments_due.map((a) => [
      a.service,
      a.repository,
      a.what,
      a.due,
      a.overdue ? 'Overdue' : 'Due',
    ]),
  ),
)}
${section(
  'spend',
  'Spend approvals expiring',
  table(
    'Spend approvals expired or expiring soon',
    ['Service', 'Repository', 'Approval', 'Expires', 'State'],
    p.spend_approvals_expiring.map((a) => [
      a.service,
      a.repository,
      a.reference,
      a.expires,
      a.expired ? 'Expired' : 'Expiring',
    ]),
  ),
)}
${section(
  'waivers',
  'Waivers expiring',
  table(
    'Waivers expired or expiring soon',
    ['Rule', 'Repositories', 'Approved by', 'Expires', 'State'],
    p.waivers_expiring.map((w) => [
      w.rule,
      w.repos,
      w.approved_by,
      w.expires,
      w.expired ? 'Expired' : 'Expiring',
    ]),
  ),
)}
${section(
  'design-systems',
  'Design-system versions',
  table(
    'Services by design system and major version',
    ['Design system', 'Major version', 'Services'],
    p.design_systems.map((d) => [d.id, d.major, d.services]),
    { barColumn: 2 },
  ),
)}
${section(
  'platforms',
  'Shared platform adoption',
  table(
    'Services by platform, per category',
    ['Category', 'Platform', 'Services'],
    p.platform_adoption.map((r) => [r.category, r.platform, r.services]),
    { barColumn: 2 },
  ),
)}
${section('no-manifest', 'Repositories with no service.yml', p.no_manifest.length ? `<ul>\n${p.no_manifest.map((r) => `<li>${esc(r)}</li>`).join('\n')}\n</ul>` : '<p>None.</p>')}
</main>
<footer><p>Service Gate checks what repositories show. Points it cannot check are for the assessment panel.</p></footer>
</body>
</html>
`;
}
