import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESIGN_SYSTEMS, PLATFORMS, type Packages } from '../../../src/core/domain/signals.js';

const README = join(import.meta.dirname, '../../../README.md');
const START =
  '<!-- signals:start (generated from src/core/domain/signals.ts by test/core/domain/signals-readme.test.ts; UPDATE_README=1 rewrites it) -->';
const END = '<!-- signals:end -->';

const code = (xs: readonly string[] | undefined) => (xs ?? []).map((x) => `\`${x}\``).join(', ');
const pkgs = (p: Packages | undefined) =>
  Object.entries(p ?? {})
    .map(([eco, names]) => `${eco}: ${code(names)}`)
    .join('; ');

/** The README's table of signals, rendered from the catalogue so the two cannot disagree. */
function signalsTable(): string {
  const rows = [
    '| Design system | Government | Packages | Bundled by (no version) | Unmaintained | Builds on |',
    '| --- | --- | --- | --- | --- | --- |',
    ...DESIGN_SYSTEMS.map(
      (d) =>
        `| ${d.title} (\`${d.id}\`) | ${d.jurisdiction} | ${pkgs(d.packages)} | ${pkgs(d.wrappers)} | ${[
          pkgs(d.unmaintained),
          ...(d.bundledBy ?? []).map(
            (b) => `${b.ecosystem}: \`${b.name}\` below ${b.belowMajor}.0 (bundled it)`,
          ),
        ]
          .filter(Boolean)
          .join('; ')} | ${code(d.extends)} |`,
    ),
    '',
    '| Platform | Government | Category | Hosts | Key names | Other text | Packages | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...PLATFORMS.map(
      (p) =>
        `| ${p.title} (\`${p.id}\`) | ${p.jurisdiction} | ${p.category} | ${code(p.hosts)} | ${code(p.env)} | ${code(p.text)} | ${pkgs(p.packages)} | ${[
          p.unmaintained ? 'unmaintained: flagged' : '',
          p.sharesClientsOf
            ? `uses \`${p.sharesClientsOf}\`'s clients and key names: its host or name decides`
            : '',
        ]
          .filter(Boolean)
          .join('; ')} |`,
    ),
  ];
  return rows.join('\n');
}

describe('README', () => {
  it('lists every signal in the catalogue', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    const block = `${START}\n\n${signalsTable()}\n\n${END}`;
    if (process.env.UPDATE_README && start !== -1 && end !== -1)
      writeFileSync(README, readme.slice(0, start) + block + readme.slice(end + END.length));
    expect(start).toBeGreaterThan(-1);
    expect(
      readme
        .slice(start, end + END.length)
        .replace(/ +/g, ' ')
        .replace(/\| -+/g, '| ---'),
    ).toBe(block.replace(/ +/g, ' '));
  });
});
