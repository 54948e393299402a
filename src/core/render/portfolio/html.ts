import type { Portfolio } from '../../audit/portfolio.js';
import { escapeHtml } from '../escape.js';
import { portfolioSections, portfolioSummary } from './sections.js';

/**
 * One self-contained page a minister can be handed: no scripts, no external assets, WCAG 2.2
 * AA (checked with axe-core in headless Chromium by the tests). Charts are bars inside tables,
 * so every figure is also text that a screen reader reads in order.
 */

const esc = escapeHtml;

function bar(value: number, max: number): string {
  const width = max === 0 ? 0 : Math.round((value / max) * 100);
  return `<span class="bar" aria-hidden="true"><span style="width:${width}%"></span></span>`;
}

function table(
  caption: string,
  head: string[],
  rows: (string | number)[][],
  options: { barColumn?: number } = {},
): string {
  if (rows.length === 0) return `<p>${esc(caption)}: none.</p>`;
  const max =
    options.barColumn === undefined
      ? 0
      : Math.max(...rows.map((r) => Number(r[options.barColumn!]) || 0));
  const cell = (v: string | number, i: number) => {
    const numeric = typeof v === 'number' || i === options.barColumn;
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
  const sections = portfolioSections(p).map((section) => {
    const tables = section.tables.map((tb) =>
      table(tb.caption, tb.head, tb.rows, { barColumn: tb.barColumn }),
    );
    const list = section.list
      ? section.list.length
        ? `<ul>\n${section.list.map((r) => `<li>${esc(r)}</li>`).join('\n')}\n</ul>`
        : '<p>None.</p>'
      : '';
    return `<section aria-labelledby="${section.id}">\n<h2 id="${section.id}">${esc(section.title)}</h2>\n${tables.join('\n')}${list}\n</section>`;
  });
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
<p>${esc(p.organisations.join(', '))}. Generated ${esc(p.generated_at)} by Service Gate${p.shard ? `, shard ${esc(p.shard)}` : ''}. ${esc(portfolioSummary(p))}</p>
</header>
<main id="main">
<ul class="totals" aria-label="Totals">
<li><strong>${t.services}</strong> services</li>
<li><strong>${t.repositories}</strong> repositories audited</li>
<li><strong>${t.no_manifest}</strong> without service.yml</li>
<li><strong>${t.excluded.archived + t.excluded.fork + t.excluded.empty}</strong> excluded (${t.excluded.archived} archived, ${t.excluded.fork} forks, ${t.excluded.empty} empty)</li>
</ul>
${sections.join('\n')}
</main>
<footer><p>Service Gate checks what repositories show. Points it cannot check are for the assessment panel.</p></footer>
</body>
</html>
`;
}
