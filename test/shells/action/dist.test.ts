import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

function files(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

it('the committed dist/ is exactly what a fresh build of src/ and rules/ produces', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'sg-dist-'));
  execFileSync(process.execPath, ['scripts/bundle.js', 'action', fresh], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  const committed = join(ROOT, 'dist');
  expect(files(committed).sort()).toEqual(files(fresh).sort());
  for (const f of files(fresh)) {
    expect(
      readFileSync(join(committed, f), 'utf8') === readFileSync(join(fresh, f), 'utf8'),
      `dist/${f} differs from a fresh build: run npm run bundle and commit dist/`,
    ).toBe(true);
  }
}, 300_000);
