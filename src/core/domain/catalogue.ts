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

/** The assessment a service must have passed to be in a phase (the gate it came through). */
export const ENTRY_ASSESSMENT: Partial<Record<Phase, (typeof ASSESSMENT_PHASES)[number]>> = {
  'private-beta': 'alpha',
  'public-beta': 'beta',
  live: 'live',
};

export const DESIGN_SYSTEM_IDS = DESIGN_SYSTEMS.map((d) => d.id) as [string, ...string[]];

export const PLATFORM_CATEGORIES = ['identity', 'payments', 'notifications', 'forms'] as const;
export type PlatformCategory = SignalCategory;

export const PLATFORM_IDS_BY_CATEGORY = Object.fromEntries(
  PLATFORM_CATEGORIES.map((c) => [c, PLATFORMS.filter((p) => p.category === c).map((p) => p.id)]),
) as Record<(typeof PLATFORM_CATEGORIES)[number], string[]>;
