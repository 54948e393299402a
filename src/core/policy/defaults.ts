/**
 * Default thresholds, from shared/domain/standards.md. Every figure here is marked "(check)"
 * there: central units override them in policy, and rules read them as `policy.*`.
 */
export const DEFAULT_THRESHOLDS = {
  spend: {
    public_facing: { GBP: 100_000 },
    other: { GBP: 1_000_000 },
    approval_expiry_warning_days: 30,
  },
  research: { max_age_days: 180, min_participants: 5 },
  accessibility: { audit_max_age_days: 365, minimum_target: 'WCAG 2.2 AA' },
  design_system_floors: { 'govuk-frontend': 5, 'nhsuk-frontend': 9, uswds: 3, gcds: 1 },
  assessment: { cross_government_transactions: 100_000, amber_actions_max_days: 90 },
  waiver_expiry_warning_days: 14,
};

export type EffectiveThresholds = typeof DEFAULT_THRESHOLDS;

export const DEFAULT_PACKS = [
  'gds-service-standard',
  'uk-spend-control',
  'uk-technology-code-of-practice',
  'accessibility',
];

export const DEFAULT_CHECK_NAME = 'Service Standard';
