import { describe, expect, it } from 'vitest';
import { readWithinBudget } from '../../src/run/evidence-budget.js';
import { readEvidence } from '../../src/run/gather.js';
import { MemoryScm } from '../../src/scm/memory.js';
import { EVIDENCE_BUDGET_BYTES } from '../../src/core/limits.js';

describe('the evidence budget', () => {
  it('reads files in order until the total is used up, and names the rest', async () => {
    const files = new Map(['a', 'b', 'c', 'd'].map((p) => [p, 'x'.repeat(80)]));
    const scm = new MemoryScm([...files.keys()], files);
    const read = await readWithinBudget(scm, ['a', 'b', 'c', 'd'], { perFile: 100, total: 170 });
    expect([...read.files.keys()]).toEqual(['a', 'b']);
    expect(read.skipped.get('c')).toEqual({ status: 'over-budget' });
    expect(read.skipped.get('d')).toEqual({ status: 'over-budget' });
  });

  it('keeps the per-file limit separate from the total', async () => {
    const files = new Map([
      ['big', 'x'.repeat(200)],
      ['small', 'y'],
    ]);
    const read = await readWithinBudget(new MemoryScm([...files.keys()], files), ['big', 'small'], {
      perFile: 100,
      total: 1000,
    });
    expect(read.skipped.get('big')).toEqual({ status: 'too-large', bytes: 200 });
    expect(read.files.get('small')).toBe('y');
  });

  it('names files skipped for the budget as not read, so claims about them are not verified', async () => {
    // Seven 6 MiB lockfiles: about 42 MiB, over the 32 MiB budget.
    const big = `{"lockfileVersion":3,"packages":{},"x":"${'x'.repeat(6 * 1024 * 1024)}"}`;
    const paths = [
      'package-lock.json',
      ...Array.from({ length: 6 }, (_, i) => `app${i}/package-lock.json`),
    ];
    const evidence = await readEvidence(new MemoryScm(paths, new Map(paths.map((p) => [p, big]))));
    const unread = evidence.files_unread.map((u) => JSON.stringify(u)).join('\n');
    expect(unread).toContain(`${EVIDENCE_BUDGET_BYTES} bytes Service Gate reads`);
  });
});

describe('the evidence budget with sizes known up front (GitHub trees)', () => {
  /** A store that knows sizes, and records how many reads were in flight together. */
  function sizedScm(files: Map<string, string>) {
    let inFlight = 0;
    const batches: number[] = [];
    const scm = new MemoryScm([...files.keys()], files);
    return {
      batches,
      sizes: async () => new Map([...files].map(([p, t]) => [p, Buffer.byteLength(t)])),
      readFile: async (path: string, options?: { maxBytes?: number }) => {
        if (inFlight++ === 0) batches.push(0);
        batches[batches.length - 1]!++;
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return scm.readFile(path, options);
      },
    };
  }

  it('chooses within both budgets first, then reads every chosen file at once', async () => {
    const files = new Map(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x'.repeat(10)]));
    files.set('huge', 'y'.repeat(500));
    const scm = sizedScm(files);
    const read = await readWithinBudget(scm, [...files.keys()], { perFile: 100, total: 150 });
    expect(scm.batches).toEqual([15]);
    expect(read.files.size).toBe(15);
    expect(read.skipped.get('f15')).toEqual({ status: 'over-budget' });
    expect(read.skipped.get('huge')).toEqual({ status: 'too-large', bytes: 500 });
  });
});
