import type { Rule } from '../../core/rules/pack.js';

/** `service-gate explain RULE`: everything a team needs to understand and fix a finding. */
export function explainRule(rule: Rule): string {
  const s = rule.source;
  const lines = [
    `${rule.id}: ${rule.title}`,
    '',
    `Point:     ${rule.standardTitle}, point ${rule.point}${rule.pointTitle ? ` (${rule.pointTitle})` : ''}`,
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
    `Source:    ${rule.guidance}`,
    `Standard:  ${rule.standardTitle}${rule.standardUrl ? `, ${rule.standardUrl}` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The findings that are not rules: problems found reading service.yml (`manifest/…`) or the
 * policy (`policy/…`). Their message says what and where; this says what the kind means.
 */
const DIAGNOSTIC_KINDS = {
  manifest: {
    title: 'service.yml is valid',
    about:
      'service.yml could not be read as the schema says. Nothing else is judged until it can, and the finding fails the check.',
    guidance: 'https://github.com/service-gate/service-gate#serviceyml-reference',
  },
  policy: {
    title: 'Policy is valid',
    about:
      "A policy file (central or the repository's own) or a custom pack it names has a problem. The check fails closed: a policy that cannot be read never lets a pull request through.",
    guidance: 'https://github.com/service-gate/service-gate#policy',
  },
} as const;

const DIAGNOSTIC_CODES: Record<string, string> = {
  missing: 'The file does not exist where it was looked for.',
  'invalid-value': 'A value is not one of those allowed, or not of the allowed form.',
  'wrong-type':
    'A value has the wrong type: a list where a mapping belongs, text where a number belongs, and so on.',
  'unknown-key':
    'A key the schema does not have, often a typo; the message suggests the nearest key.',
  'missing-key': 'A required key is absent.',
  'not-a-mapping': 'The file must be a mapping of keys, not a list or a single value.',
  'too-large': 'The file is over the size limit, so it was not read.',
  'too-deep': 'The YAML nests deeper than the limit.',
  'too-many-nodes': 'The YAML has more values than the limit.',
  'too-many-aliases': 'The YAML uses more aliases than the limit (an alias bomb is refused).',
  'bad-alias': 'An alias names an anchor that does not exist.',
  'duplicate-key':
    'A key appears twice in one mapping; YAML keeps only one, so which was meant is unclear.',
  'multiple-documents': 'The file holds more than one YAML document.',
  'tab-indent': 'A tab is used for indentation, which YAML does not allow.',
  'control-character':
    'The text holds a control character, which can hide text or run terminal commands.',
  'forbidden-key':
    'A key that could change how objects behave (__proto__, constructor, prototype) is refused.',
  version: 'A %YAML directive names a version other than 1.2.',
  empty: 'The file is empty.',
  placeholder:
    'A value is still the TODO that service-gate init wrote: only the team knows the answer.',
  'unknown-pack': 'standards names a rule pack that does not exist.',
  'pack-missing': 'The policy names a rule pack that is neither bundled nor in packs.paths.',
  'locked-setting': 'A repository file loosens a setting the central policy locks.',
  'lock-not-central': 'locks are only read from central policy.',
  'waiver-not-central': 'waivers are only read from central policy.',
  'extends-missing': '_extends names a file that cannot be read.',
  'extends-loop': '_extends files name each other in a loop.',
  'extends-invalid': '_extends is not of the form owner/repo[:path].',
  'using-last-valid': 'The policy file is invalid; the last valid policy was used instead.',
};

/** `explain manifest/…` or `explain policy/…`; undefined for rule ids. */
export function explainDiagnostic(id: string): string | undefined {
  const match = /^(manifest|policy)\/([a-z0-9-]+)$/.exec(id);
  if (!match) return undefined;
  const kind = DIAGNOSTIC_KINDS[match[1] as keyof typeof DIAGNOSTIC_KINDS];
  const code = DIAGNOSTIC_CODES[match[2]!];
  return `${[
    `${id}: ${kind.title}`,
    '',
    kind.about,
    ...(code ? ['', `${match[2]}: ${code}`] : []),
    '',
    'The finding names the file, line and column, and says how to fix it.',
    `Guidance:  ${kind.guidance}`,
  ].join('\n')}\n`;
}

export interface RuleFilter {
  packs?: readonly string[];
  phase?: string;
  severity?: string;
  gatesOnly?: boolean;
}

export type RuleList =
  | {
      ok: true;
      rules: {
        id: string;
        pack: string;
        severity: string;
        phases: readonly string[];
        gate: boolean;
        title: string;
      }[];
      text: string;
    }
  | { ok: false; problem: string };

/** `service-gate rules`: one line a rule, filtered; an unknown filter value names the known ones. */
export function listRules(all: readonly Rule[], filter: RuleFilter): RuleList {
  const known = (values: Iterable<string>) => [...new Set(values)].sort();
  const check = (flag: string, given: string | undefined, values: Iterable<string>) =>
    given !== undefined && !known(values).includes(given)
      ? `--${flag} '${given}' matches no rule; known: ${known(values).join(', ')}.`
      : undefined;
  const problem =
    filter.packs
      ?.map((p) =>
        check(
          'pack',
          p,
          all.map((r) => r.pack),
        ),
      )
      .find((x) => x !== undefined) ??
    check(
      'phase',
      filter.phase,
      all.flatMap((r) => r.phases),
    ) ??
    check(
      'severity',
      filter.severity,
      all.map((r) => r.severity),
    );
  if (problem) return { ok: false, problem };
  const rules = all
    .filter(
      (r) =>
        (!filter.packs?.length || filter.packs.includes(r.pack)) &&
        (!filter.phase || r.phases.includes(filter.phase as never)) &&
        (!filter.severity || r.severity === filter.severity) &&
        (!filter.gatesOnly || r.gate),
    )
    .map((r) => ({
      id: r.id,
      pack: r.pack,
      severity: r.severity,
      phases: r.phases,
      gate: r.gate,
      title: r.title,
    }));
  const width = Math.max(0, ...rules.map((r) => r.id.length));
  const text = `${rules.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.gate ? 'gate ' : '     '} ${r.title}`).join('\n')}\n${rules.length} rule${rules.length === 1 ? '' : 's'}. 'service-gate explain RULE' says more.\n`;
  return { ok: true, rules, text };
}
