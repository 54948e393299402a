import { z } from 'zod';
import {
  ASSESSMENT_OUTCOMES,
  ASSESSMENT_PHASES,
  DESIGN_SYSTEM_IDS,
  PHASES,
  PLATFORM_IDS_BY_CATEGORY,
} from '../domain/catalogue.js';

/**
 * service.yml, schema v1. This zod schema is the single source of truth: the TypeScript type,
 * the runtime validation and schema/service.schema.json are all derived from it.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD' })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'is not a real calendar date',
    },
  )
  .meta({ format: 'date' });

const url = z
  .string()
  .regex(/^https?:\/\/[^\s]+$/, { message: 'must be a URL starting with https:// or http://' })
  .meta({ format: 'uri' });

const urlOrRepoPath = z
  .string()
  .min(1)
  .refine((s) => /^https?:\/\//.test(s) || !/^\/|\.\.(\/|$)/.test(s), {
    message: 'must be a URL or a path inside the repository (no leading / and no ..)',
  });

const count = z.number().int().nonnegative();

const platformChoice = (category: keyof typeof PLATFORM_IDS_BY_CATEGORY) =>
  z
    .union([
      z.enum(['none', ...PLATFORM_IDS_BY_CATEGORY[category]] as [string, ...string[]]),
      z.strictObject({
        own: z.string().min(10, {
          message: 'give a reason of at least 10 characters for building your own',
        }),
      }),
    ])
    .describe(
      `A shared ${category} platform id, 'none', or {own: <why a shared platform does not fit>}`,
    );

export const assessmentSchema = z.strictObject({
  phase: z.enum(ASSESSMENT_PHASES).describe('The assessment: alpha, beta or live'),
  date: isoDate,
  outcome: z.enum(ASSESSMENT_OUTCOMES),
  panel: z.enum(['cross-government', 'departmental']).optional(),
  report: url.optional().describe('Link to the published assessment report'),
  actions_due: isoDate.optional().describe('When amber actions must be cleared'),
});

export const researchSchema = z.strictObject({
  date: isoDate,
  method: z.string().min(1).describe('e.g. usability testing, contextual interviews'),
  participants: count,
  access_needs: count.optional().describe('Participants with access needs'),
  assisted_digital: count.optional().describe('Participants who needed assisted digital support'),
  findings: urlOrRepoPath.optional(),
});

export const spendApprovalSchema = z.strictObject({
  reference: z.string().min(1),
  date: isoDate,
  phases: z.array(z.enum(PHASES)).min(1),
  expires: isoDate.optional(),
});

export const manifestSchema = z
  .strictObject({
    schema_version: z.literal(1).optional().describe('service.yml schema version (1)'),
    name: z.string().min(1).describe('The service name, as users see it'),
    description: z.string().optional(),
    owner: z
      .strictObject({
        organisation: z.string().min(1),
        team: z.string().optional(),
        contact: z.string().optional(),
      })
      .optional(),
    url: url.optional(),
    phase: z.enum(PHASES).describe('The delivery phase the service is in'),
    transactional: z.boolean().optional(),
    transactions_per_year: count.optional(),
    assessments: z.array(assessmentSchema).optional(),
    research: z.array(researchSchema).optional(),
    team: z.strictObject({ roles: z.array(z.string().min(1)) }).optional(),
    design_system: z
      .strictObject({
        name: z.enum(DESIGN_SYSTEM_IDS),
        version: z.string().optional(),
      })
      .optional(),
    platforms: z
      .strictObject({
        identity: platformChoice('identity').optional(),
        payments: platformChoice('payments').optional(),
        notifications: platformChoice('notifications').optional(),
        forms: platformChoice('forms').optional(),
      })
      .optional(),
    spend: z
      .strictObject({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as GBP' })
          .default('GBP'),
        whole_life_cost: z.number().nonnegative(),
        public_facing: z.boolean().optional(),
        approval: spendApprovalSchema.optional(),
      })
      .optional(),
    accessibility: z
      .strictObject({
        target: z
          .string()
          .regex(/^WCAG 2\.[0-2] (A|AA|AAA)$/, {
            message: "must look like 'WCAG 2.2 AA'",
          })
          .optional(),
        statement: url.optional(),
        last_audit: isoDate.optional(),
      })
      .optional(),
    performance: z
      .strictObject({
        kpis: z.array(z.string().min(1)).optional(),
        dashboard: url.optional(),
      })
      .optional(),
    source: z
      .strictObject({
        public: z.boolean(),
        licence: z.string().optional().describe('SPDX licence id, e.g. MIT or OGL-UK-3.0'),
        url: url.optional(),
      })
      .optional(),
    standards: z
      .array(
        z.string().regex(/^[a-z0-9-]+$/, {
          message: 'must be a rule pack id such as gds-service-standard',
        }),
      )
      .optional()
      .describe('The rule packs this service follows'),
  })
  .describe('Service Gate service.yml (schema v1)');

export type Manifest = z.infer<typeof manifestSchema>;
