/**
 * Domain facts from shared/domain/standards.md that code needs to know about:
 * phase order and assessments. The design systems and platforms, with their signals, are in
 * signals.ts.
 * Thresholds and version floors are NOT here: they are policy values (see policy/defaults.ts).
 */

import { DESIGN_SYSTEMS, PLATFORMS, type SignalCategory } from './signals.js';

export type { Ecosystem } from './signals.js';

export const PHASES = [
  'discovery',
  'alpha',
  'private-beta',
  'public-beta',
  'live',
  'retired',
] as const;
export type Phase = (typeof PHASES)[number];

export const ASSESSMENT_PHASES = ['alpha', 'beta', 'live'] as const;
export const ASSESSMENT_OUTCOMES = ['met', 'not-met', 'green', 'amber', 'red'] as const;

/** Phases in which a service has been built: past discovery, not retired. */
export const BUILT_PHASES: readonly Phase[] = ['alpha', 'private-beta', 'public-beta', 'live'];
/** Phases in which the public uses the service. */
export const PUBLIC_PHASES: readonly Phase[] = ['public-beta', 'live'];

export type AssessmentPhase = (typeof ASSESSMENT_PHASES)[number];

/** The assessment a service must have passed to be in a phase (the gate it came through). */
export const ENTRY_ASSESSMENT: Partial<Record<Phase, AssessmentPhase>> = {
  'private-beta': 'alpha',
  'public-beta': 'beta',
  live: 'live',
};

/** The assessment that ends a phase: the entry assessment of the phase after it. */
export function nextAssessment(phase: Phase): AssessmentPhase | undefined {
  const next = PHASES[PHASES.indexOf(phase) + 1];
  return next && ENTRY_ASSESSMENT[next];
}

/**
 * The bundled rule that fails while a service is in a phase without its entry assessment
 * (rules/service-gate-core.yml): portfolios read it to list assessments that are due.
 */
export const ENTRY_ASSESSMENT_RULE = 'core.entry-assessment-recorded';

/**
 * The repository-observable areas of the maturity model in the 2018 paper (shared/domain),
 * each banded Low / Medium / High / Future State from the share of services that show it.
 */
export const MATURITY_AREAS = {
  user_feedback_cycle: 'User feedback cycle (alpha-beta-live declared and gated)',
  codified_ux_testing: 'Codifying UX testing (recent user research)',
  shared_design_patterns: 'Shared design patterns (one design system, current)',
  shared_platforms: 'Shared platforms (identity, payments, notifications)',
  working_in_the_open: 'Working in the open (public code with a licence)',
  public_data: 'Public data (performance published)',
} as const;
export type MaturityArea = keyof typeof MATURITY_AREAS;
export const MATURITY_AREA_IDS = Object.keys(MATURITY_AREAS) as [MaturityArea, ...MaturityArea[]];

export const DESIGN_SYSTEM_IDS = DESIGN_SYSTEMS.map((d) => d.id) as [string, ...string[]];

export const PLATFORM_CATEGORIES = ['identity', 'payments', 'notifications', 'forms'] as const;
export type PlatformCategory = SignalCategory;

export const PLATFORM_IDS_BY_CATEGORY = Object.fromEntries(
  PLATFORM_CATEGORIES.map((c) => [c, PLATFORMS.filter((p) => p.category === c).map((p) => p.id)]),
) as Record<(typeof PLATFORM_CATEGORIES)[number], string[]>;
