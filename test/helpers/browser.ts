import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';

/**
 * A headless Chromium for tests, with nothing installed beyond `npm ci`: `@sparticuz/chromium`
 * ships a Chromium build inside the npm package and unpacks it to the temp folder on first use.
 * `CHROMIUM_PATH` (e.g. Debian's /usr/bin/chromium) overrides it.
 */
export async function launchBrowser(): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer-core');
  const override = process.env.CHROMIUM_PATH;
  const bundled = override ? undefined : (await import('@sparticuz/chromium')).default;
  return puppeteer.launch({
    executablePath: override ?? (await bundled!.executablePath()),
    headless: true,
    args: [
      ...(bundled?.args ?? ['--no-sandbox', '--disable-gpu']),
      // The machine has no network: without these, Chromium keeps trying to reach Google.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface AxeResult {
  violations: { id: string; impact: string | null; nodes: number; help: string }[];
  passes: number;
}

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core in the page (which itself may have no scripts) for WCAG 2.2 A and AA. */
export async function axeViolations(page: Page): Promise<AxeResult> {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axe });
  return page.evaluate(async (tags) => {
    const run = (globalThis as any).axe.run as (...a: unknown[]) => Promise<any>;
    const r = await run((globalThis as any).document, { runOnly: { type: 'tag', values: tags } });
    return {
      violations: r.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
        help: v.help,
      })),
      passes: r.passes.length,
    };
  }, WCAG_22_AA);
}
