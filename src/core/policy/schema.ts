import { z } from 'zod';
import { MATURITY_AREA_IDS } from '../domain/catalogue.js';
import { LEVELS } from '../levels.js';

/**
 * The policy a central unit (or a team) sets: which packs apply, the thresholds rules read,
 * severity overrides, approvers and waivers. It is read from the default branch only.
 */

const currencyAmounts = z.record(
  z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as GBP' }),
  z.number().nonnegative(),
);

export const thresholdsSchema = z.strictObject({
  spend: z
    .strictObject({
      public_facing: currencyAmounts
        .optional()
        .describe('Spend above which a public-facing service needs approval'),
      other: currencyAmounts
        .optional()
        .describe('Spend above which other DDaT spend needs approval'),
      approval_expiry_warning_days: z.number().int().positive().optional(),
    })
    .optional(),
  research: z
    .strictObject({
      max_age_days: z.number().int().positive().optional(),
      min_participants: z.number().int().nonnegative().optional(),
    })
    .optional(),
  accessibility: z
    .strictObject({
      audit_max_age_days: z.number().int().positive().optional(),
      minimum_target: z
        .string()
        .regex(/^WCAG 2\.[0-2] (A|AA|AAA)$/, { message: "must look like 'WCAG 2.2 AA'" })
        .optional(),
    })
    .optional(),
  design_system_floors: z
    .record(z.string(), z.number().int().nonnegative())
    .optional()
    .describe('Lowest acceptable major version per design system id'),
  assessment: z
    .strictObject({
      cross_government_transactions: z.number().int().nonnegative().optional(),
      amber_actions_max_days: z.number().int().positive().optional(),
    })
    .optional(),
  waiver_expiry_warning_days: z.number().int().positive().optional(),
});

export type Thresholds = z.infer<typeof thresholdsSchema>;

export const waiverSchema = z.strictObject({
  rule: z.string().min(1),
  repos: z.array(z.string().min(1)).min(1).default(['*']),
  reason: z.string().min(10, { message: 'give a reason of at least 10 characters' }),
  approved_by: z.string().min(1),
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'must be a date written YYYY-MM-DD; every waiver expires',
  }),
});
export type Waiver = z.infer<typeof waiverSchema>;

const packSelection = z.array(z.string().regex(/^[a-z0-9-]+$/)).optional();

export const policySchema = z.strictObject({
  _extends: z.string().optional().describe('Inherit from another repository: owner/repo[:path]'),
  packs: z
    .strictObject({
      default: packSelection.describe(
        'Packs for services whose service.yml names none (default: the UK packs)',
      ),
      add: packSelection.describe('Packs added for every service of a matching jurisdiction'),
      force: packSelection.describe(
        'Packs every service is judged by; a repository cannot remove them',
      ),
      targets: z
        .array(
          z.strictObject({
            repos: z.array(z.string()).optional().describe('Repository globs, e.g. hmpo/*'),
            topics: z.array(z.string()).optional().describe('Any of these repository topics'),
            properties: z
              .record(z.string(), z.string())
              .optional()
              .describe('Custom property values that must all match'),
            add: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
          }),
        )
        .optional()
        .describe('Packs added for the repositories a target matches'),
      paths: z
        .array(z.string())
        .optional()
        .describe('Extra rule pack files or folders, relative to the policy file'),
    })
    .optional(),
  thresholds: thresholdsSchema.optional(),
  severity: z
    .record(z.string(), z.enum([...LEVELS, 'off']))
    .optional()
    .describe('Per-rule severity overrides: failure, warning, notice or off'),
  approvers: z
    .strictObject({
      team: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { message: 'must be org/team-slug' }),
    })
    .optional(),
  check_name: z.string().min(1).max(100).optional(),
  waivers: z
    .array(waiverSchema)
    .optional()
    .describe('Time-limited exemptions; only valid in central policy'),
  maturity: z
    // Partial: a policy names only the areas it changes; the rest keep their defaults.
    .partialRecord(
      z.enum(MATURITY_AREA_IDS),
      z.strictObject({
        medium: z.number().min(0).max(1).optional(),
        high: z.number().min(0).max(1).optional(),
        future_state: z.number().min(0).max(1).optional(),
      }),
    )
    .optional()
    .describe(
      'Share of services (0 to 1) at which a portfolio reaches Medium, High and Future State',
    ),
  locks: z
    .array(
      z.string().regex(/^[a-z_]+(\.[A-Za-z0-9_.-]+)*$/, {
        message: 'must be a setting path such as thresholds.research.max_age_days',
      }),
    )
    .optional()
    .describe('Settings a repository policy file may tighten but not loosen (central policy only)'),
});

export type Policy = z.infer<typeof policySchema>;
