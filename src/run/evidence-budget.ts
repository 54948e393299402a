import { EVIDENCE_BUDGET_BYTES } from '../core/limits.js';
import type { FileRead, Scm } from '../scm/scm.js';

/**
 * Reads evidence files within two budgets: each file up to `perFile` bytes, and all of one
 * repository's together up to EVIDENCE_BUDGET_BYTES. Files are read a few at a time in the
 * order given (the most telling first), each allowed only what is left of the total, so memory
 * stays bounded whatever the repository holds. A file skipped for the total is named, with why,
 * like any other file that could not be read.
 */

const AT_ONCE = 6;

export interface BudgetedReads {
  files: Map<string, string>;
  /** Path → why it was not read. */
  skipped: Map<string, Exclude<FileRead, { status: 'ok' }> | { status: 'over-budget' }>;
}

export async function readWithinBudget(
  scm: Pick<Scm, 'readFile' | 'sizes'>,
  paths: readonly string[],
  options: { ref?: string; perFile: number; total?: number },
): Promise<BudgetedReads> {
  const sizes = await scm.sizes?.(options.ref);
  if (sizes) return readPlanned(scm, paths, sizes, options);
  let left = options.total ?? EVIDENCE_BUDGET_BYTES;
  const files = new Map<string, string>();
  const skipped: BudgetedReads['skipped'] = new Map();
  for (let i = 0; i < paths.length; i += AT_ONCE) {
    const batch = paths.slice(i, i + AT_ONCE);
    if (left <= 0) {
      for (const p of batch) skipped.set(p, { status: 'over-budget' });
      continue;
    }
    const allowed = Math.min(options.perFile, left);
    const reads = await Promise.all(
      batch.map((p) => scm.readFile(p, { ref: options.ref, maxBytes: allowed })),
    );
    batch.forEach((p, j) => {
      const r = reads[j]!;
      if (r.status !== 'ok') {
        // Too large for the total, though within the per-file limit: over budget, not too large.
        skipped.set(
          p,
          r.status === 'too-large' && r.bytes <= options.perFile ? { status: 'over-budget' } : r,
        );
        return;
      }
      const bytes = Buffer.byteLength(r.text);
      if (bytes > left) return void skipped.set(p, { status: 'over-budget' });
      left -= bytes;
      files.set(p, r.text);
    });
  }
  return { files, skipped };
}

/**
 * With every size known, the files within both budgets are chosen first and read together,
 * so a batching reader (GitHub's GraphQL) sends them in one request rather than one per few.
 */
async function readPlanned(
  scm: Pick<Scm, 'readFile'>,
  paths: readonly string[],
  sizes: ReadonlyMap<string, number>,
  options: { ref?: string; perFile: number; total?: number },
): Promise<BudgetedReads> {
  let left = options.total ?? EVIDENCE_BUDGET_BYTES;
  const files = new Map<string, string>();
  const skipped: BudgetedReads['skipped'] = new Map();
  const chosen: string[] = [];
  for (const p of paths) {
    const size = sizes.get(p);
    if (size === undefined) skipped.set(p, { status: 'missing' });
    else if (size > options.perFile) skipped.set(p, { status: 'too-large', bytes: size });
    else if (size > left) skipped.set(p, { status: 'over-budget' });
    else {
      left -= size;
      chosen.push(p);
    }
  }
  const reads = await Promise.all(
    chosen.map((p) => scm.readFile(p, { ref: options.ref, maxBytes: options.perFile })),
  );
  chosen.forEach((p, i) => {
    const r = reads[i]!;
    if (r.status === 'ok') files.set(p, r.text);
    else skipped.set(p, r);
  });
  return { files, skipped };
}
