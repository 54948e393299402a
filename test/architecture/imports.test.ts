import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering the README describes, checked on the source: the core is pure (it never reaches
 * for I/O, the judge or a shell), and its folders depend on each other in one direction only.
 */

const SRC = resolve('src');
const CORE = join(SRC, 'core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Relative imports of a file (static, re-exports and dynamic), resolved to .ts paths. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

/** A core file's unit: its folder under src/core, or the file itself when it sits at the top. */
function unitOf(file: string): string {
  const [first, ...rest] = relative(CORE, file).split(sep);
  return rest.length > 0 ? `${first}/` : first!.replace(/\.ts$/, '');
}

/** Every cycle's members, from a graph of unit → units it imports (Tarjan's components). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const coreFiles = sourceFiles(CORE);

describe('the core', () => {
  it('imports nothing from the judge, GitHub, the Scm adapters or a shell', () => {
    const outside = ['run', 'github', 'scm', 'shells'].map((d) => join(SRC, d) + sep);
    const offending = coreFiles.flatMap((file) =>
      importsOf(file)
        .filter((target) => outside.some((o) => target.startsWith(o)) || !target.startsWith(CORE))
        .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it('has no import cycle between its folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const file of coreFiles) {
      const from = unitOf(file);
      const edges = graph.get(from) ?? new Set<string>();
      graph.set(from, edges);
      for (const target of importsOf(file)) {
        const to = unitOf(target);
        if (to !== from) edges.add(to);
      }
    }
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph)).toEqual([]);
  });

  it('the checks can fail: an import out of the core and a cycle are both seen', () => {
    const fake = join(CORE, 'audit', 'x.ts');
    expect(importsOf(fake, "import { gather } from '../../run/gather.js';\n")).toEqual([
      join(SRC, 'run', 'gather.ts'),
    ]);
    expect(
      importsOf(fake, "export { a } from './a.js';\nconst m = await import('../b.js');"),
    ).toEqual([join(CORE, 'audit', 'a.ts'), join(CORE, 'b.ts')]);
    const graph = new Map([
      ['audit/', new Set(['render/'])],
      ['render/', new Set(['report'])],
      ['report', new Set(['audit/'])],
      ['levels', new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual([['audit/', 'render/', 'report']]);
  });
});
