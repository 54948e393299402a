import type { CelInput } from '@bufbuild/cel';
import type { Diagnostic } from './diagnostics.js';
import { approvalsRequired } from './evaluation/approvals.js';
import { diagnosticFinding, sortFindings } from './evaluation/findings.js';
import { PointTally } from './evaluation/points.js';
import { celView, evidenceView, policyView } from './evaluation/views.js';
import { applyWaivers } from './evaluation/waivers.js';
import { type Evidence, NO_EVIDENCE } from './evidence/detect.js';
import type { ManifestResult } from './manifest/load.js';
import type { Manifest } from './manifest/schema.js';
import type { EffectivePolicy } from './policy/effective.js';
import { type Conclusion, countByLevel, type Finding, type Report } from './report.js';
import { toCel } from './rules/cel.js';
import type { Pack } from './rules/pack.js';
import { joinSameGaps } from './join-findings.js';
import { capPerRule } from './evaluation/findings-cap.js';
import { runRules } from './evaluation/run-rules.js';
import type { RuleVars } from './evaluation/run-rule.js';
import type { TimeBudgetOptions } from './evaluation/time-budget.js';
import { selectPacks } from './select-packs.js';

export { approvalsRequired, spendThreshold } from './evaluation/approvals.js';
export { celView, evidenceView, policyView } from './evaluation/views.js';
export { parsePath } from './evaluation/run-rule.js';

/** `base` when no change is judged: an empty map (CEL values are immutable, so one serves all). */
const NO_BASE = toCel({});

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
  /** The evaluation's time budget (default EVALUATION_TIME_BUDGET_MS); tests inject a clock. */
  timeBudget?: TimeBudgetOptions;
}

/** The core: from data to a report. Pure, synchronous, and the same in every shell. */
export function evaluate(input: EvaluationInput): Report {
  const evidence = input.evidence ?? NO_EVIDENCE;
  const setup = (input.setupDiagnostics ?? []).map((d) => diagnosticFinding(d, 'policy'));

  if (!input.manifest.ok) {
    const findings = capPerRule([
      ...setup,
      ...input.manifest.diagnostics.map((d) => diagnosticFinding(d, 'manifest')),
    ]);
    return {
      evidence,
      evaluatedAt: input.now,
      approvals: {
        required: [],
        approvers: input.policy.approvers?.team ?? null,
        approvedBy: [...(input.approvedBy ?? [])],
      },
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
  const vars: RuleVars = {
    service: toCel(celView(manifest)),
    repo: toCel(evidenceView(evidence)),
    policy: input.policyView ?? policyView(input.policy),
    base: input.base ? toCel(celView(input.base)) : NO_BASE,
    now: input.now,
  };

  const findings: Finding[] = [
    ...setup,
    ...selection.problems.map((d) => diagnosticFinding(d, 'manifest')),
  ];
  const points = new PointTally(selection.packs);
  findings.push(
    ...runRules({
      packs: selection.packs,
      phase: manifest.phase,
      policy: input.policy,
      vars,
      file,
      locate,
      points,
      timeBudget: input.timeBudget,
    }),
  );

  const judged = joinSameGaps(
    applyWaivers(capPerRule(findings), {
      policy: input.policy,
      repository: input.repository,
      now: input.now,
      file,
    }),
    sameAsOf(selection.packs),
  );
  for (const f of judged) points.found(f);

  const required = approvalsRequired(manifest, input.base, input.policy);
  const approvedBy = [...(input.approvedBy ?? [])];
  const counts = countByLevel(judged);
  let conclusion: Conclusion = 'success';
  if (counts.failure > 0) conclusion = 'failure';
  else if (required.length > 0 && approvedBy.length === 0) conclusion = 'action_required';

  // A whole literal in the key order of the spread it replaced (evidence, evaluatedAt, approvals
  // first): a spread followed by more keys leaves V8's fast path on Node 20.
  return {
    evidence,
    evaluatedAt: input.now,
    approvals: { required, approvers: input.policy.approvers?.team ?? null, approvedBy },
    conclusion,
    service: { name: manifest.name, phase: manifest.phase },
    transition:
      input.base && input.base.phase !== manifest.phase
        ? { from: input.base.phase, to: manifest.phase }
        : null,
    findings: sortFindings(judged),
    points: points.summaries(),
    packs: selection.packs.map((p) => ({
      id: p.id,
      title: p.title,
      standard: p.standard.id,
      url: p.standard.url,
    })),
    packsSkipped: selection.skipped,
  };
}

/** Rules that join another rule's finding (`same_as`), for the packs in use. */
function sameAsOf(packs: readonly Pack[]): Map<string, string> {
  const sameAs = new Map<string, string>();
  for (const pack of packs) for (const r of pack.rules) if (r.sameAs) sameAs.set(r.id, r.sameAs);
  return sameAs;
}
