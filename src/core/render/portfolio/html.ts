import type { Portfolio } from '../../audit/portfolio.js';
import { escapeHtml, safeUrl } from '../escape.js';
import {
  type Cell,
  partialWarning,
  portfolioHeadline,
  portfolioSections,
  portfolioSummary,
  type PortfolioTable,
} from './sections.js';

/**
 * One self-contained page a minister can be handed: no scripts, no external assets, WCAG 2.2
 * AA (checked with axe-core in headless Chromium by the tests). Charts are bars inside tables,
 * so every figure is also text that a screen reader reads in order.
 */

const esc = escapeHtml;

function bar(value: number, of: number): string {
  const width = of === 0 ? 0 : Math.round((value / of) * 100);
  return `<span class="bar" aria-hidden="true"><span style="width:${width}%"></span></span>`;
}

function cellText(v: Cell): string {
  if (typeof v === 'object') {
    const href = safeUrl(v.href);
    return href ? `<a href="${esc(href)}">${esc(v.text)}</a>` : esc(v.text);
  }
  return esc(v);
}

/** A table in its own scrolling region, so a wide table never widens the page on a phone. */
function table(t: PortfolioTable, id: string): string {
  if (t.rows.length === 0) return `<p>${esc(t.caption)}: none.</p>`;
  const cell = (v: Cell, row: number, i: number) => {
    const numeric = typeof v === 'number';
    const content =
      t.bar && i === t.bar.column
        ? `${cellText(v)} ${bar(Number(v), t.bar.of[row] ?? 0)}`
        : cellText(v);
    return `<td${numeric ? ' class="num"' : ''}>${content}</td>`;
  };
  return `<div class="scroll" role="region" aria-labelledby="${id}" tabindex="0">
<table${t.head.length >= 4 ? ' class="wide"' : ''}>
<caption id="${id}">${esc(t.caption)}</caption>
<thead><tr>${t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${t.rows.map((r, row) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${cellText(v)}</th>` : cell(v, row, i))).join('')}</tr>`).join('\n')}
</tbody>
</table>
</div>`;
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
p, li { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; margin: 1rem 0; }
.scroll:focus { outline: 3px solid #ffdd00; }
table { border-collapse: collapse; width: 100%; }
table.wide { min-width: 40rem; }
caption { text-align: left; font-weight: 700; padding-bottom: .5rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
thead th { border-bottom: 2px solid #0b0c0c; }
td.num { white-space: nowrap; }
.bar { display: inline-block; width: 8rem; height: .8rem; background: #f3f2f1; vertical-align: middle; margin-left: .5rem; }
.bar span { display: block; height: 100%; background: #1d70b8; }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 1rem; padding: 0; list-style: none; max-width: 48rem; }
.totals.status strong { color: #0b0c0c; }
.totals.status li.failing { border-left-color: #d4351c; }
.totals li { border-left: 4px solid #1d70b8; padding: .25rem .75rem; }
.totals strong { display: block; font-size: 1.75rem; }
.band { font-weight: 700; }
.headline { font-size: 1.25rem; font-weight: 700; }
.warning { border-left: 8px solid #d4351c; padding: .5rem 1rem; font-weight: 700; }
@media (max-width: 40rem) {
  header, main, footer { padding: .75rem; }
  h1 { font-size: 1.5rem; }
  .totals strong { font-size: 1.4rem; }
}
`;

export function renderPortfolioHtml(p: Portfolio): string {
  const t = p.totals;
  const sections = portfolioSections(p).map((section) => {
    const tables = section.tables.map((tb, i) => table(tb, `${section.id}-table-${i + 1}`));
    const list = section.list
      ? section.list.length
        ? `<ul>\n${section.list.map((r) => `<li>${esc(r)}</li>`).join('\n')}\n</ul>`
        : '<p>None.</p>'
      : '';
    return `<section aria-labelledby="${section.id}">\n<h2 id="${section.id}">${esc(section.title)}</h2>\n${tables.join('\n')}${list}\n</section>`;
  });
  const warning = partialWarning(p);
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
${warning ? `<p class="warning">${esc(warning)}</p>\n` : ''}<p class="headline">${esc(portfolioHeadline(p))}</p>
<p>${esc(portfolioSummary(p))}</p>
<ul class="totals status" aria-label="Services by status">
<li class="failing"><strong>${p.headline.failing}</strong> failing</li>
<li><strong>${p.headline.passing}</strong> passing</li>
<li><strong>${p.headline['needs approval']}</strong> needing approval</li>
</ul>
<ul class="totals" aria-label="What was audited">
<li><strong>${t.services}</strong> ${t.services === 1 ? 'service' : 'services'}</li>
<li><strong>${t.repositories}</strong> ${t.repositories === 1 ? 'repository' : 'repositories'} audited</li>
<li><strong>${t.no_manifest}</strong> without service.yml</li>
<li><strong>${t.excluded.archived + t.excluded.fork + t.excluded.empty}</strong> excluded</li>
</ul>
${sections.join('\n')}
</main>
<footer><p>Service Gate checks what repositories show. Points it cannot check are for the assessment panel.</p></footer>
</body>
</html>
`;
}
