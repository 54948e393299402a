import type { Diagnostic } from '../diagnostics.js';
import { severityRank } from '../levels.js';
import type { Finding } from '../report.js';

/** Findings that no rule wrote (a file's own problems), and the order a report lists findings in. */

/** A problem in service.yml or the policy, as a failing finding of Service Gate's own standard. */
export function diagnosticFinding(d: Diagnostic, kind: 'manifest' | 'policy'): Finding {
  return {
    rule: `${kind}/${d.code.replace(/^[a-z]+\//, '')}`,
    title: kind === 'manifest' ? 'service.yml is valid' : 'Policy is valid',
    level: 'failure',
    standard: 'service-gate',
    point: kind === 'manifest' ? 1 : 2,
    message: d.message,
    fix: d.hint,
    guidance: 'https://github.com/service-gate/service-gate#serviceyml-reference',
    file: d.file,
    line: d.line,
    column: d.column,
    gate: false,
  };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        Number(!!a.f.waived) - Number(!!b.f.waived) ||
        severityRank(b.f.level) - severityRank(a.f.level) ||
        a.i - b.i,
    )
    .map(({ f }) => f);
}
