import { detectEvidence, type Evidence } from '../../src/core/evidence/detect.js';
import { parseManifest } from '../../src/core/manifest/load.js';
import type { Manifest } from '../../src/core/manifest/schema.js';
import type { Policy } from '../../src/core/policy/schema.js';
import type { Report } from '../../src/core/report.js';
import { prepare } from '../../src/run/judge.js';

export const TODAY = '2026-11-27';

export interface EvalOptions {
  base?: string;
  files?: Record<string, string>;
  paths?: string[];
  evidence?: Evidence;
  policy?: Policy;
  now?: string;
  repository?: string;
  approvedBy?: string[];
}

/** Evaluates service.yml text through the shells' judge, with the real bundled packs; evidence from in-memory files. */
export function evaluateYaml(yaml: string, options: EvalOptions = {}): Report {
  const manifest = parseManifest(yaml);
  let base: Manifest | undefined;
  if (options.base) {
    const b = parseManifest(options.base);
    if (!b.ok) throw new Error(`test base manifest is invalid: ${JSON.stringify(b.diagnostics)}`);
    base = b.manifest;
  }
  const files = new Map(Object.entries(options.files ?? {}));
  const evidence =
    options.evidence ?? detectEvidence({ paths: options.paths ?? [...files.keys()], files });
  const judge = prepare(
    { policy: options.policy, customPacks: [], diagnostics: [] },
    { now: options.now ?? TODAY },
  );
  return judge.evaluate(
    {
      manifest,
      base,
      evidence,
      repository: options.repository ? { fullName: options.repository } : undefined,
    },
    options.approvedBy,
  );
}

export function rulesFailing(report: Report, level?: 'failure' | 'warning' | 'notice'): string[] {
  return report.findings
    .filter((f) => !f.waived && (!level || f.level === level))
    .map((f) => f.rule);
}
