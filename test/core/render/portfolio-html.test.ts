import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPortfolio, type Portfolio } from '../../../src/core/audit/portfolio.js';
import { effectivePolicy } from '../../../src/core/policy/effective.js';
import { renderPortfolioHtml } from '../../../src/core/render/portfolio/html.js';
import { auditLocal } from '../../../src/run/audit.js';
import { axeViolations, launchBrowser } from '../../helpers/browser.js';

/**
 * The HTML portfolio report in a real headless Chromium (from npm; see test/helpers/browser.ts):
 * it renders to a screenshot, and axe-core finds no WCAG 2.2 A/AA violations.
 */
const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;
let portfolio: Portfolio;
let html: string;
let dir: string;
let browser: Browser;

afterAll(async () => {
  await browser?.close();
});

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
  browser = await launchBrowser();
}, 120_000);

async function pageWith(content: string, width = 1280) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  await page.setContent(content, { waitUntil: 'load' });
  return page;
}

describe('the HTML portfolio report', () => {
  it('is one self-contained page that needs no JavaScript', () => {
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Shared platform adoption');
  });

  it('renders in headless Chromium', async () => {
    const page = await pageWith(html);
    const file = join(dir, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    await page.close();
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(file).size).toBeGreaterThan(20_000);
  }, 90_000);

  it('has no accessibility violations under axe-core (WCAG 2.2 A and AA)', async () => {
    const result = await axeViolations(await pageWith(html));
    expect(result.violations).toEqual([]);
    expect(result.passes).toBeGreaterThan(10);
  }, 90_000);

  it('at 390 px (a phone) the page never scrolls sideways; wide tables scroll in their own region', async () => {
    const page = await pageWith(html, 390);
    const metrics = await page.evaluate(() => {
      const d = (globalThis as any).document;
      const wide = [...d.querySelectorAll('.scroll')].filter(
        (r: any) => r.scrollWidth > r.clientWidth,
      );
      return {
        page: d.documentElement.scrollWidth,
        viewport: (globalThis as any).innerWidth,
        scrollingRegions: wide.length,
        focusable: wide.every(
          (r: any) =>
            r.tabIndex === 0 &&
            r.getAttribute('role') === 'region' &&
            !!r.getAttribute('aria-labelledby'),
        ),
      };
    });
    expect(metrics.viewport).toBe(390);
    expect(metrics.page).toBeLessThanOrEqual(metrics.viewport);
    expect(metrics.scrollingRegions).toBeGreaterThan(0);
    expect(metrics.focusable).toBe(true);
    const file = join(dir, 'phone.png');
    await page.screenshot({ path: file, fullPage: true });
    await page.close();
    expect(statSync(file).size).toBeGreaterThan(20_000);
  }, 90_000);

  it.each([1000, 1280])(
    'at %i px each row of totals sits on one line, none squeezed on a row of its own',
    async (width) => {
      const page = await pageWith(html, width);
      const rows = await page.evaluate(() => {
        const d = (globalThis as any).document;
        return [...d.querySelectorAll('ul.totals')].map((ul: any) => ({
          tops: new Set([...ul.children].map((li: any) => li.offsetTop)).size,
          narrowest: Math.min(...[...ul.children].map((li: any) => li.offsetWidth)),
        }));
      });
      await page.close();
      expect(rows.length).toBe(2);
      for (const row of rows) {
        expect(row.tops).toBe(1);
        expect(row.narrowest).toBeGreaterThanOrEqual(144); // 9rem: no label wraps word by word
      }
    },
    90_000,
  );

  it('axe-core finds no violations at 390 px either', async () => {
    const result = await axeViolations(await pageWith(html, 390));
    expect(result.violations).toEqual([]);
  }, 90_000);

  it('would notice a violation (the harness itself is checked)', async () => {
    const broken = html.replace(
      '<h1>',
      '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><h1>',
    );
    const result = await axeViolations(await pageWith(broken));
    expect(result.violations.map((v) => v.id)).toContain('image-alt');
  }, 90_000);
});
