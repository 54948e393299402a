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
 * The areas of the paper's maturity model that repositories can evidence, with the paper's
 * wording for each band (audit/maturity.ts bands them).
 */
/** The bands of the maturity model in the 2018 paper "State of Digital Transformation" (shared/domain). */
export const MATURITY_BANDS = ['Low', 'Medium', 'High', 'Future State'] as const;
export type Band = (typeof MATURITY_BANDS)[number];

interface AreaDefinition {
  /** The paper's name for the area, and its theme. */
  title: string;
  theme: string;
  /** The paper's wording for each band, verbatim. */
  wording: Record<Band, string>;
}

export const MATURITY_AREAS = {
  user_feedback_cycle: {
    title: 'User Feedback Cycle',
    theme: 'Delivery Capability',
    wording: {
      Low: 'Digital service unit is not allowed to release beta versions and can only test internally.',
      Medium: 'Digital service unit adopts an Alpha-Beta-Live approach for launching projects.',
      High: 'Other government agencies adopt an Alpha-Beta-Live approach voluntarily.',
      'Future State': 'Alpha-Beta-Live approaches are standard across government.',
    },
  },
  working_in_the_open: {
    title: 'Working in the Open',
    theme: 'Delivery Capability',
    wording: {
      Low: 'Digital service unit is restricted from working in the open; messaging is heavily controlled.',
      Medium:
        'Some members of the digital service unit are allowed to work in the open with minimal communications oversight.',
      High: 'The digital service unit and some members of the government are allowed to work in the open.',
      'Future State':
        "Rules about how public servants talk about their work are reshaped by 'working in the open' norms.",
    },
  },
  product_management: {
    title: 'Building Product Management Competencies',
    theme: 'User-Centered Design',
    wording: {
      Low: "Staff in the digital unit think about the user's perspective within projects.",
      Medium: 'Product manager roles are firmly established within the digital unit.',
      High: 'Digital unit supports an ad hoc, emerging community of practice for Product Managers across government.',
      'Future State':
        'Product Manager roles across government have legitimacy and clear career paths.',
    },
  },
  codified_ux_testing: {
    title: 'Codifying User Experience (UX) Testing in Operations',
    theme: 'User-Centered Design',
    wording: {
      Low: 'UX testing is best practice within digital unit.',
      Medium: 'Digital services helps other departments conduct UX testing.',
      High: 'UX testing is a formal requirement for new services in at least one non-digital department.',
      'Future State': 'UX testing is a government-wide expectation for rollout of new services.',
    },
  },
  shared_design_patterns: {
    title: 'Shared Design Patterns',
    theme: 'User-Centered Design',
    wording: {
      Low: 'Digital service unit attempts to apply some regular design patterns across projects it touches.',
      Medium: 'Digital service unit has a single design pattern that it applies to all projects.',
      High: 'Departments and agencies not affiliated with digital service unit begin to adopt its design pattern voluntarily.',
      'Future State': 'Some informal or formal governance mechanism around design patterns exists.',
    },
  },
  shared_platforms: {
    title: 'Creating Shared Platforms',
    theme: 'Cross-Government Platforms',
    wording: {
      Low: 'The paper gives no wording for Low.',
      Medium:
        'A few platforms are available in private beta to a select number of central departments',
      High: 'Some of the most common needs (e.g identity, payments) are covered by shared platforms that are available to the whole public sector',
      'Future State':
        'All common needs are covered by shared platforms and allow for rapid deployment of new services.',
    },
  },
} as const satisfies Record<string, AreaDefinition>;

/** The paper's other areas: nothing in a repository or service.yml shows them. */
export const AREAS_NOT_EVIDENCED = [
  ['Political Environment', 'Developing Executive Public Service Sponsors'],
  ['Political Environment', 'Building Political Capital'],
  ['Political Environment', 'Codifying Digital Services Standards'],
  ['Institutional Capacity', 'Budgeting for Success'],
  ['Institutional Capacity', 'Building Out The Digital Services Mission'],
  ['Institutional Capacity', 'Inflecting Public-Sector Operations'],
  ['Delivery Capability', 'Access to Tools'],
  ['Skills and Hiring', 'Aligning on Role Definitions and Goals'],
  ['Skills and Hiring', 'Building A Robust Talent Pipeline'],
  ['Skills and Hiring', 'Making Space for Growth'],
  ['User-Centered Design', 'Prioritizing User Perspectives'],
  ['Cross-Government Platforms', 'Creating Public Registers of Data'],
  ['Cross-Government Platforms', 'Sharing Private Data Registers between Departments'],
  ['Cross-Government Platforms', 'Developing Platform Governance'],
] as const;

export type MaturityArea = keyof typeof MATURITY_AREAS;
export const MATURITY_AREA_IDS = Object.keys(MATURITY_AREAS) as [MaturityArea, ...MaturityArea[]];

export const DESIGN_SYSTEM_IDS = DESIGN_SYSTEMS.map((d) => d.id) as [string, ...string[]];

export const PLATFORM_CATEGORIES = ['identity', 'payments', 'notifications', 'forms'] as const;
export type PlatformCategory = SignalCategory;

export const PLATFORM_IDS_BY_CATEGORY = Object.fromEntries(
  PLATFORM_CATEGORIES.map((c) => [c, PLATFORMS.filter((p) => p.category === c).map((p) => p.id)]),
) as Record<(typeof PLATFORM_CATEGORIES)[number], string[]>;

/**
 * The shared platform an entry under `platforms:` names (`govuk-pay`, or `{id: govuk-pay,
 * integrated_in: ...}`); undefined for `none`, an own build, or no entry.
 */
export function sharedPlatformOf(choice: unknown): string | undefined {
  if (typeof choice === 'string') return choice === 'none' ? undefined : choice;
  if (choice !== null && typeof choice === 'object' && 'id' in choice)
    return typeof choice.id === 'string' ? choice.id : undefined;
  return undefined;
}
