// Regenerates docs/portfolio-report.png, the README's picture of the HTML portfolio report: the
// bundled examples audited as of a fixed date, at 1000 px, in the Chromium the tests use
// (CHROMIUM_PATH overrides it). Run after `npm run build`: node scripts/portfolio-screenshot.mjs
import { execFileSync } from 'node:child_process';
import puppeteer from 'puppeteer-core';

const html = execFileSync(
  process.execPath,
  [
    'bin/service-gate.js',
    'audit',
    '--local',
    'examples',
    '--format',
    'html',
    '--now',
    '2026-12-01',
  ],
  { encoding: 'utf8' },
);
const bundled = process.env.CHROMIUM_PATH
  ? undefined
  : (await import('@sparticuz/chromium')).default;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (await bundled.executablePath()),
  headless: true,
  args: [
    ...(bundled?.args ?? ['--no-sandbox']),
    '--disable-background-networking',
    '--no-first-run',
  ],
});
const page = await browser.newPage();
await page.setViewport({ width: 1000, height: 820 });
await page.setContent(html, { waitUntil: 'load' });
await page.screenshot({ path: 'docs/portfolio-report.png' });
await browser.close();
