import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointMapTable } from '../../src/core/rules/point-map.js';
import { bundledPacks } from '../../src/run/bundled-packs.js';
import { ROOT } from '../helpers/cli.js';

describe('the README maps every point of every standard', () => {
  it('to its rules, or to "needs human attestation", exactly as the packs say', async () => {
    const { format } = await import('prettier');
    const table = (await format(pointMapTable(bundledPacks()), { parser: 'markdown' })).trim();
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(table);
    // The counts the sources give: 14 Service Standard points, 13 TCoP points, 13 plays.
    const count = (title: string) =>
      table.split('\n').filter((l) => l.startsWith(`| ${title}`)).length;
    expect(count('GOV.UK Service Standard ')).toBe(14);
    expect(count('Technology Code of Practice ')).toBe(13);
    expect(count('Digital Services Playbook ')).toBe(13);
  });
});
