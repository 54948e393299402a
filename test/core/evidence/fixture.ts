import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { detectEvidence, type Evidence } from '../../../src/core/evidence/detect.js';
import { selectEvidenceFiles } from '../../../src/core/evidence/evidence-files.js';

const root = join(import.meta.dirname, 'fixtures');

/** Evidence of a fixture folder, read as the CLI reads a repository: list, select, read. */
export function fixtureEvidence(name: string): Evidence {
  const dir = join(root, name);
  const paths = (
    readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]
  )
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
  const files = new Map(
    selectEvidenceFiles(paths).map((p) => [p, readFileSync(join(dir, p), 'utf8')]),
  );
  return detectEvidence({ paths, files });
}

/** Evidence items as `id: signal at file:line`, sorted, for readable assertions. */
export function lines(
  items: readonly {
    id?: string;
    category?: string;
    signal?: string;
    package?: string;
    source: string;
    line: number;
  }[],
): string[] {
  return items
    .map((i) => `${i.id ?? i.category}: ${i.signal ?? i.package} at ${i.source}:${i.line}`)
    .sort();
}
