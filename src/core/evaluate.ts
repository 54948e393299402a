import type { CelInput } from '@bufbuild/cel';
import picomatch from 'picomatch';
import type { Diagnostic } from './diagnostics.js';
import { PHASES } from './domain/catalogue.js';
import { type Evidence, NO_EVIDENCE } from './evidence/detect.js';
import type { ManifestResult } from './manifest/load.js';
import type { Manifest } from './manifest/schema.js';
import type { EffectivePolicy } from './policy/effective.js';
import type { Level } from './levels.js';
import type { Waiver } from './policy/schema.js';
import {
  type ApprovalGate,
  type Conclusion,
  countByLevel,
  type Finding,
  type PointSummary,
  type Report,
} from './report.js';
import { celToText, isCelError, toCel } from './rules/cel.js';
import type { Pack, Rule, Template } from './rules/pack.js';
import { joinSameGaps } from './join-findings.js';
import { selectPacks } from './select-packs.js';
import type { YamlPath } from './yaml/untrusted-yaml.js';

export interface EvaluationInput {
  manifest: ManifestResult;
  /** The manifest on the base branch, when judging a change. */
  base?: Manifest;
  evidence?: Evidence;
  policy: EffectivePolicy;
  /**
   * The policy as rules see it (`policy.*`), when the caller judges many repositories by one
   * policy and has converted it once (see policyView); otherwise converted here.
   */
  policyView?: CelInput;
  /** Every pack available (bundled and custom); the manifest and policy choose among them. */
  packs: ReadonlyMap<string, Pack>;
  /** Today, as YYYY-MM-DD: the only clock evaluation reads. */
  now: string;
  /** owner/name, to match waivers. */
  repository?: string;
  /** Logins of people whose approval counts (already filtered to the approvers team). */
  approvedBy?: readonly string[];
  /** Problems found while loading policy or packs, reported as findings. */
  setupDiagnostics?: readonly Diagnostic[];
}

/** The core: from data to a report. Pure, synchronous, and the same in every shell. */
export function evaluate(input: EvaluationInput): Report {
  const evidence = input.evidence ?? NO_EVIDENCE;
  const setup = (input.setupDiagnostics ?? []).map((d) => diagnosticFinding(d, 'policy'));
  const base = {
    evidence,
    evaluatedAt: input.now,
    approvals: {
      required: [],
      approvers: input.policy.approvers?.team ?? null,
      approvedBy: [...(input.approvedBy ?? [])],
    },
  };

  if (!input.manifest.ok) {
    const findings = [
      ...setup,
      ...input.manifest.diagnostics.map((d) => diagnosticFinding(d, 'manifest')),
    ];
    return {
      ...base,
      conclusion: 'failure',
      service: null,
      transition: null,
      findings,
      points: [],
      packs: [],
      packsSkipped: [],
    };
  }

  const manifest = input.manifest.manifest;
  const locate = input.manifest.source.locate;
  const file = input.manifest.file;
  const selection = selectPacks(manifest, input.policy, input.packs, input.manifest);
  const vars: Record<string, CelInput> = {
    service: toCel(celView(manifest)),
    repo: toCel(evidenceView(evidence)),
    policy: input.policyView ?? policyView(input.policy),
    base: toCel(input.base ? celView(input.base) : {}),
    now: input.now,
  };

  const findings: Finding[] = [
    ...setup,
    ...selection.problems.map((d) => diagnosticFinding(d, 'manifest')),
  ];
  // By standard, then point number: looked up once per rule and finding, so no string keys.
  const points = new Map<string, Map<number, PointSummary>>();
  const pointOf = (standard: string, point: number) => points.get(standard)?.get(point);
  for (const pack of selection.packs) {
    let standardPoints = points.get(pack.standard.id);
    if (!standardPoints) points.set(pack.standard.id, (standardPoints = new Map()));
    for (const [point, title] of Object.entries(pack.standard.points)) {
      standardPoints.set(Number(point), {
        standard: pack.standard.id,
        standardTitle: pack.standard.title,
        point: Number(point),
        title,
        checked: 0,
        failures: 0,
        warnings: 0,
        notices: 0,
        waived: 0,
      });
    }
  }

  for (const pack of selection.packs) {
    for (const rule of pack.rules) {
      const level = levelFor(rule, input.policy);
      if (level === 'off' || !rule.phases.includes(manifest.phase)) continue;
      const ruleFindings = runRule(rule, level, vars, file, locate);
      if (ruleFindings === null) continue;
      const summary = pointOf(rule.standard, rule.point);
      if (summary) summary.checked++;
      findings.push(...ruleFindings);
    }
  }

  const judged = joinSameGaps(
    applyWaivers(
      findings,
      input.policy.waivers,
      input.repository,
      input.now,
      input.policy.thresholds.waiver_expiry_warning_days,
      file,
    ),
    sameAsOf(selection.packs),
  );
  for (const f of judged) {
    for (const { standard, point, level } of [f, ...(f.also ?? [])]) {
      const summary = pointOf(standard, point);
      if (!summary) continue;
      if (f.waived) summary.waived++;
      else if (level === 'failure') summary.failures++;
      else if (level === 'warning') summary.warnings++;
      else summary.notices++;
    }
  }

  const required = approvalGates(manifest, input.base, input.policy);
  const approvedBy = [...(input.approvedBy ?? [])];
  const counts = countByLevel(judged);
  let conclusion: Conclusion = 'success';
  if (counts.failure > 0) conclusion = 'failure';
  else if (required.length > 0 && approvedBy.length === 0) conclusion = 'action_required';

  return {
    ...base,
    conclusion,
    service: { name: manifest.name, phase: manifest.phase },
    transition:
      input.base && input.base.phase !== manifest.phase
        ? { from: input.base.phase, to: manifest.phase }
        : null,
    findings: sortFindings(judged),
    points: [...points.values()].flatMap((byNumber) => [...byNumber.values()]),
    packs: selection.packs.map((p) => ({
      id: p.id,
      title: p.title,
      standard: p.standard.id,
      url: p.standard.url,
    })),
    packsSkipped: selection.skipped,
    approvals: { required, approvers: input.policy.approvers?.team ?? null, approvedBy },
  };
}

/** Rules that join another rule's finding (`same_as`), for the packs in use. */
function sameAsOf(packs: readonly Pack[]): Map<string, string> {
  const sameAs = new Map<string, string>();
  for (const pack of packs) for (const r of pack.rules) if (r.sameAs) sameAs.set(r.id, r.sameAs);
  return sameAs;
}

/** The policy as rules see it: its thresholds, as `policy.*`. */
export function policyView(policy: EffectivePolicy): CelInput {
  return toCel(policy.thresholds);
}

/**
 * The manifest as rules see it: every list and section is present (empty when service.yml
 * leaves it out), so rules test declarations with has(service.section.field) and never
 * fail on a missing parent.
 */
export function celView(m: Manifest): Record<string, unknown> {
  const sections = [
    'owner',
    'team',
    'design_system',
    'platforms',
    'accessibility',
    'performance',
    'source',
  ] as const;
  const view: Record<string, unknown> = { assessments: [], research: [], standards: [], ...m };
  for (const s of sections) view[s] = m[s] ?? {};
  view.spend = m.spend ? { ...m.spend, approval: m.spend.approval ?? {} } : { approval: {} };
  return view;
}

/**
 * Evidence as rules see it: as detected, plus `platforms_used`, one entry per platform with every
 * signal that showed it, so a rule can report a platform once however many files mention it.
 */
export function evidenceView(evidence: Evidence): Record<string, unknown> {
  const used = new Map<
    string,
    { id: string; category: string; unmaintained: boolean; signals: string[] }
  >();
  for (const p of evidence.platforms) {
    const key = `${p.category}/${p.id}`;
    let entry = used.get(key);
    if (!entry)
      used.set(
        key,
        (entry = { id: p.id, category: p.category, unmaintained: p.unmaintained, signals: [] }),
      );
    entry.signals.push(`${p.signal} at ${p.source}:${p.line}`);
  }
  return { ...evidence, platforms_used: [...used.values()] };
}

function levelFor(rule: Rule, policy: EffectivePolicy): Level | 'off' {
  return policy.severity[rule.id] ?? rule.severity;
}

/** Runs one rule; null when it does not apply (its `when` is false). */
function runRule(
  rule: Rule,
  level: Level,
  vars: Record<string, CelInput>,
  file: string,
  locate: (path: YamlPath, o?: { key?: boolean }) => { line: number; column: number },
): Finding[] | null {
  const broken = (what: string, error: unknown): Finding[] => [
    {
      ...findingBase(rule, 'warning', file, locate([])),
      rule: rule.id,
      message: `Rule '${rule.id}' could not be evaluated (${what}): ${(error as Error).message}.`,
      fix: `This is a problem in the rule, not in service.yml: report it to the owner of ${rule.file}:${rule.line}.`,
    },
  ];
  // An expression that fails to compile (possible only in a lazily compiled pack) throws: a rule bug.
  try {
    if (rule.when) {
      const applies = rule.when(vars);
      if (isCelError(applies)) return broken('when', applies);
      if (applies !== true) return null;
    }
    // One finding per scope where `require` is false; an error anywhere is a broken rule.
    const judge = (scope: Record<string, CelInput>, key = '') => {
      const ok = rule.require(scope);
      if (isCelError(ok) || ok === true) return ok;
      const path = parsePath(render(rule.at, scope));
      return {
        ...findingBase(rule, level, file, locate(path, { key: true })),
        message: render(rule.message, scope),
        fix: render(rule.fix, scope),
        key,
      };
    };
    if (!rule.forEach) {
      const result = judge(vars);
      if (isCelError(result)) return broken('require', result);
      return result === true ? [] : [result];
    }
    const list = rule.forEach(vars);
    if (isCelError(list)) return broken('for_each', list);
    const out: Finding[] = [];
    let index = 0;
    for (const item of list as Iterable<CelInput>) {
      const result = judge(
        { ...vars, item, index: BigInt(index++) },
        celToText(item).slice(0, 200),
      );
      if (isCelError(result)) return broken('require', result);
      if (result !== true) out.push(result);
    }
    return out;
  } catch (e) {
    return broken('compile', e);
  }
}

function findingBase(
  rule: Rule,
  level: Level,
  file: string,
  at: { line: number; column: number },
): Finding {
  return {
    rule: rule.id,
    title: rule.title,
    level,
    standard: rule.standard,
    point: rule.point,
    message: rule.title,
    fix: '',
    guidance: rule.guidance,
    file,
    line: at.line,
    column: at.column,
    gate: rule.gate,
  };
}

function render(template: Template, scope: Record<string, CelInput>): string {
  return template
    .map((part) => {
      if (typeof part === 'string') return part;
      try {
        const v = part(scope);
        return isCelError(v) ? '?' : celToText(v);
      } catch {
        return '?';
      }
    })
    .join('');
}

/** 'research[0].date' → ['research', 0, 'date'] */
export function parsePath(text: string): YamlPath {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

function diagnosticFinding(d: Diagnostic, kind: 'manifest' | 'policy'): Finding {
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

function applyWaivers(
  findings: Finding[],
  waivers: readonly Waiver[],
  repository: string | undefined,
  now: string,
  warnDays: number,
  file: string,
): Finding[] {
  if (waivers.length === 0) return findings;
  const out: Finding[] = [];
  const reported = new Set<Waiver>();
  for (const f of findings) {
    const waiver = waivers.find(
      (w) =>
        picomatch.isMatch(f.rule, w.rule) &&
        (repository === undefined
          ? w.repos.includes('*')
          : w.repos.some((g) => picomatch.isMatch(repository, g, { nocase: true }))),
    );
    if (!waiver) {
      out.push(f);
      continue;
    }
    if (waiver.expires < now) {
      out.push(f);
      if (!reported.has(waiver)) {
        reported.add(waiver);
        out.push(
          waiverFinding(
            'waiver/expired',
            'failure',
            waiver,
            file,
            `The waiver for '${waiver.rule}' expired on ${waiver.expires}; the finding it covered applies again.`,
          ),
        );
      }
      continue;
    }
    out.push({
      ...f,
      waived: { reason: waiver.reason, approved_by: waiver.approved_by, expires: waiver.expires },
    });
    const daysLeft = Math.floor((Date.parse(waiver.expires) - Date.parse(now)) / 86_400_000);
    if (daysLeft <= warnDays && !reported.has(waiver)) {
      reported.add(waiver);
      out.push(
        waiverFinding(
          'waiver/expiring',
          'warning',
          waiver,
          file,
          `The waiver for '${waiver.rule}' expires on ${waiver.expires} (in ${daysLeft} days).`,
        ),
      );
    }
  }
  return out;
}

function waiverFinding(
  rule: string,
  level: Level,
  w: Waiver,
  file: string,
  message: string,
): Finding {
  return {
    rule,
    title: 'Waivers are current',
    level,
    standard: 'service-gate',
    point: 2,
    message,
    fix: `Fix the finding, or ask ${w.approved_by} to renew the waiver in the central policy.`,
    guidance: 'https://github.com/service-gate/service-gate#waivers',
    file,
    line: 1,
    column: 1,
    gate: false,
  };
}

/** Changes that need a person from the approvers team to approve, whatever the findings say. */
export function approvalGates(
  service: Manifest,
  base: Manifest | undefined,
  policy: EffectivePolicy,
): ApprovalGate[] {
  if (!base) return [];
  const gates: ApprovalGate[] = [];
  const from = PHASES.indexOf(base.phase);
  const to = PHASES.indexOf(service.phase);
  if (to > from) {
    gates.push({
      kind: 'phase-transition',
      reason: `The phase changes from ${base.phase} to ${service.phase}.`,
    });
  }
  const threshold = spendThreshold(service, policy);
  const before = base.spend?.whole_life_cost ?? 0;
  const after = service.spend?.whole_life_cost ?? 0;
  if (threshold !== undefined && after > threshold && after > before && before <= threshold) {
    gates.push({
      kind: 'spend',
      reason:
        `Whole-life cost rises from ${before} to ${after} ${service.spend?.currency ?? ''}, past the ${threshold} approval threshold.`.replace(
          '  ',
          ' ',
        ),
    });
  }
  return gates;
}

export function spendThreshold(service: Manifest, policy: EffectivePolicy): number | undefined {
  const currency = service.spend?.currency ?? 'GBP';
  const table = service.spend?.public_facing
    ? policy.thresholds.spend.public_facing
    : policy.thresholds.spend.other;
  return (table as Record<string, number>)[currency];
}

const LEVEL_ORDER: Record<Level, number> = { failure: 0, warning: 1, notice: 2 };

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        Number(!!a.f.waived) - Number(!!b.f.waived) ||
        LEVEL_ORDER[a.f.level] - LEVEL_ORDER[b.f.level] ||
        a.i - b.i,
    )
    .map(({ f }) => f);
}
