import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

/**
 * package.json's main, types and exports name the built entry (lib/index.js, from src/index.ts):
 * `npm test` builds before it runs this, so a missing or broken entry fails here.
 */

it("import('service-gate') gives the judge, the schema and the report type's helpers", async () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;
  expect(pkg.main).toBe('lib/index.js');
  expect(pkg.types).toBe('lib/index.d.ts');
  expect(readFileSync(pkg.types as string, 'utf8')).toContain('export');

  // The package's own name resolves through its "exports", as it does for a dependent package.
  // A variable name, so the typecheck (which runs before the build) does not look for lib/.
  const name = 'service-gate';
  const sg = (await import(name)) as typeof import('../../src/index.js');
  expect(Object.keys(sg).sort()).toEqual(
    [
      'LEVELS',
      'LocalScm',
      'MANIFEST_FILE',
      'MemoryScm',
      'NO_POLICY',
      'REPORT_FORMATS',
      'VERSION',
      'countByLevel',
      'gather',
      'manifestJsonSchema',
      'manifestSchema',
      'parseManifest',
      'policySchema',
      'prepare',
      'renderReport',
      'toJsonReport',
    ].sort(),
  );
  const judge = sg.prepare(sg.NO_POLICY, { now: '2026-11-27' });
  const report = judge.evaluate(
    await judge.gather({
      scm: new sg.MemoryScm(['service.yml'], new Map([['service.yml', 'name: X\nphase: alfa\n']])),
    }),
  );
  expect(report.conclusion).toBe('failure');
  expect(sg.toJsonReport(report).findings[0]).toMatchObject({ rule: 'manifest/invalid-value' });
  expect(sg.manifestSchema.safeParse({ name: 'X', phase: 'alpha' }).success).toBe(true);
});
