import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPortfolio, type Portfolio } from '../../../src/core/audit/portfolio.js';
import { effectivePolicy } from '../../../src/core/policy/effective.js';
import { renderPortfolioHtml } from '../../../src/core/render/portfolio/html.js';
import { auditLocal } from '../../../src/run/audit.js';

/**
 * The HTML portfolio report in a real headless browser (Debian's chromium, installed by
 * .ci/run): it renders to a screenshot, and axe-core finds no WCAG 2.2 A/AA violations.
 */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;
let portfolio: Portfolio;
let html: string;
let dir: string;

function chromium(args: string[]): string {
  if (!CHROMIUM)
    throw new Error(
      "Debian's chromium is needed for this test: apt-get install chromium (.ci/run does this).",
    );
  return execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'sg-chrome-'))}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

beforeAll(async () => {
  const results = await auditLocal(EXAMPLES, {
    central: { layers: [], customPacks: [], diagnostics: [] },
    now: '2026-11-27',
  });
  portfolio = buildPortfolio(results, {
    now: '2026-11-27',
    thresholds: effectivePolicy().thresholds,
  });
  html = renderPortfolioHtml(portfolio);
  dir = mkdtempSync(join(tmpdir(), 'sg-html-'));
});

describe('the HTML portfolio report', () => {
  it('is one self-contained page that needs no JavaScript', () => {
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Shared platform adoption');
  });

  it('renders in headless Chromium', () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    chromium([
      `--screenshot=${join(dir, 'report.png')}`,
      '--window-size=1280,2400',
      `file://${file}`,
    ]);
    const png = readFileSync(join(dir, 'report.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(20_000);
  }, 90_000);

  function axeViolations(page: string): { violations: { id: string }[]; passes: number } {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // The report has no scripts; the test copy gets axe and a runner that writes its result into the page.
    const runner = `<script>${axe}</script><script>axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(function (r) { var pre = document.createElement('pre'); pre.id = 'axe-result'; pre.textContent = JSON.stringify({violations: r.violations.map(function (v) { return {id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}; }), passes: r.passes.length}); document.body.appendChild(pre); });</script>`;
    const file = join(dir, 'axe.html');
    writeFileSync(file, page.replace('</body>', `${runner}</body>`));
    const dom = chromium(['--virtual-time-budget=20000', '--dump-dom', `file://${file}`]);
    const match = /<pre id="axe-result">([\s\S]*?)<\/pre>/.exec(dom);
    expect(match, 'axe-core did not finish in the page').not.toBeNull();
    return JSON.parse(
      match![1]!
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    );
  }

  it('has no accessibility violations under axe-core (WCAG 2.2 A and AA)', () => {
    const result = axeViolations(html);
    expect(result.violations).toEqual([]);
    expect(result.passes).toBeGreaterThan(10);
  }, 90_000);

  it('at 390 px (a phone) the page never scrolls sideways; wide tables scroll in their own region', () => {
    // Headless windows are at least 500 px wide, so the page is measured in a 390 px frame.
    const measure = `<script>var f = document.getElementById('phone'); f.addEventListener('load', function () { var d = f.contentDocument; var wide = [].slice.call(d.querySelectorAll('.scroll')).filter(function (r) { return r.scrollWidth > r.clientWidth; }); var pre = document.createElement('pre'); pre.id = 'metrics'; pre.textContent = JSON.stringify({ page: d.documentElement.scrollWidth, viewport: f.contentWindow.innerWidth, scrollingRegions: wide.length, focusable: wide.every(function (r) { return r.tabIndex === 0 && r.getAttribute('role') === 'region' && !!r.getAttribute('aria-labelledby'); }) }); document.body.appendChild(pre); });</script>`;
    const srcdoc = html.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const file = join(dir, 'phone.html');
    writeFileSync(
      file,
      `<!doctype html><html lang="en"><body style="margin:0"><iframe id="phone" title="report" style="width:390px;height:2400px;border:0" srcdoc="${srcdoc}"></iframe>${measure}</body></html>`,
    );
    const dom = chromium(['--virtual-time-budget=10000', '--dump-dom', `file://${file}`]);
    const metrics = JSON.parse(
      /<pre id="metrics">([\s\S]*?)<\/pre>/
        .exec(dom)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ) as { page: number; viewport: number; scrollingRegions: number; focusable: boolean };
    expect(metrics.viewport).toBe(390);
    expect(metrics.page).toBeLessThanOrEqual(metrics.viewport);
    expect(metrics.scrollingRegions).toBeGreaterThan(0);
    expect(metrics.focusable).toBe(true);
    writeFileSync(join(dir, 'report.html'), html);
    chromium([
      `--screenshot=${join(dir, 'phone.png')}`,
      '--window-size=390,2400',
      `file://${join(dir, 'report.html')}`,
    ]);
    expect(statSync(join(dir, 'phone.png')).size).toBeGreaterThan(20_000);
  }, 90_000);

  it('axe-core finds no violations at 390 px either', () => {
    // The page laid out at a phone's width (the body held to 390 px), where the tables scroll.
    const narrow = html.replace('<body>', '<body style="max-width:390px">');
    expect(axeViolations(narrow).violations).toEqual([]);
  }, 90_000);

  it('would notice a violation (the harness itself is checked)', () => {
    const broken = html.replace(
      '<h1>',
      '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><h1>',
    );
    expect(axeViolations(broken).violations.map((v) => v.id)).toContain('image-alt');
  }, 90_000);
});
