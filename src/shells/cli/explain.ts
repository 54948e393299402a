import type { Rule } from '../../core/rules/pack.js';

/** `service-gate explain RULE`: everything a team needs to understand and fix a finding. */
export function explainRule(rule: Rule): string {
  const s = rule.source;
  const lines = [
    `${rule.id}: ${rule.title}`,
    '',
    `Standard:  ${rule.standardTitle}, point ${rule.point}${rule.pointTitle ? ` (${rule.pointTitle})` : ''}`,
    `Pack:      ${rule.pack} (${rule.file}:${rule.line})`,
    `Phases:    ${rule.phases.join(', ')}${rule.gate ? ' — an entry condition of these phases' : ''}`,
    `Severity:  ${rule.severity} (a policy may change it: severity: {${rule.id}: warning})`,
    ...(rule.sameAs
      ? [`Same gap:  ${rule.sameAs} (when both find it, one finding names both points)`]
      : []),
    '',
    ...(s.when ? [`Applies when:  ${s.when}`] : []),
    ...(s.for_each ? [`For each item: ${s.for_each}`] : []),
    `Requires:      ${s.require}`,
    '',
    `Message:   ${s.message}`,
    `Fix:       ${s.fix}`,
    `Guidance:  ${rule.guidance}`,
  ];
  return `${lines.join('\n')}\n`;
}
