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
 * the runtime validation and the JSON Schemas in schema/ are all derived from it, and so are
 * the editor hints (each `description` and `examples` below is what a YAML plugin shows).
 */

/**
 * How long each list may be. service.yml comes from pull requests, and every rule walks these
 * lists, so each is bounded; a real service stays far below every limit. The README's
 * "Limits" paragraph states the same numbers (a test compares them).
 */
export const MANIFEST_LIMITS = {
  assessments: 50,
  research: 100,
  roles: 40,
  kpis: 30,
  standards: 20,
  channels: 20,
  approvalPhases: PHASES.length,
  /** Characters in a short text field (names, references, methods). */
  shortText: 200,
  /** Characters in a long text field (description, reasons). */
  longText: 5000,
} as const;

const tooMany = (what: string, max: number, fix: string) => ({
  message: `lists more than ${max} ${what}; ${fix}`,
});

const shortText = (min = 1) =>
  z
    .string()
    .min(min)
    .max(MANIFEST_LIMITS.shortText, {
      message: `is longer than ${MANIFEST_LIMITS.shortText} characters`,
    });

const reason = (what: string) =>
  z
    .string()
    .min(10, { message: `give a reason of at least 10 characters for ${what}` })
    .max(MANIFEST_LIMITS.longText, {
      message: `is longer than ${MANIFEST_LIMITS.longText} characters`,
    });

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
  .max(2000, { message: 'is longer than 2,000 characters' })
  .regex(/^https?:\/\/[^\s]+$/, { message: 'must be a URL starting with https:// or http://' })
  .meta({ format: 'uri' });

const urlOrRepoPath = z
  .string()
  .min(1)
  .max(2000, { message: 'is longer than 2,000 characters' })
  .refine((s) => /^https?:\/\//.test(s) || !/^\/|\.\.(\/|$)/.test(s), {
    message: 'must be a URL or a path inside the repository (no leading / and no ..)',
  });

const count = z.number().int().nonnegative();

/** A repository on GitHub, owner/name, as GitHub spells it. */
const repositoryName = z
  .string()
  .max(140, { message: 'is longer than 140 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, {
    message: "must be a repository written owner/name, e.g. 'hmpo/passport-identity'",
  });

const platformChoice = (category: keyof typeof PLATFORM_IDS_BY_CATEGORY) => {
  const ids = PLATFORM_IDS_BY_CATEGORY[category] as [string, ...string[]];
  return z
    .union([
      z.enum(['none', ...ids] as [string, ...string[]]),
      z.strictObject({
        own: reason('building your own').describe(
          'Why a shared platform does not fit; the assessment panel reads it',
        ),
      }),
      z
        .strictObject({
          id: z.enum(ids).describe(`The shared ${category} platform`),
          integrated_in: repositoryName.describe(
            'The repository (owner/name) whose code integrates the platform, when it is not this one: Service Gate then does not look for the integration here',
          ),
        })
        .meta({ examples: [{ id: ids[0], integrated_in: 'my-department/shared-integrations' }] }),
    ])
    .describe(
      `A shared ${category} platform id, 'none', {own: <why a shared platform does not fit>}, or {id: <platform id>, integrated_in: <owner/name>} when another repository holds the integration`,
    );
};

/** Who the service belongs to, in law: spend control and accessibility law depend on it. */
export const SECTORS = [
  'central-government',
  'arms-length-body',
  'local-government',
  'nhs',
  'devolved',
  'federal',
  'state-local',
] as const;

/** What the repository is: user-interface rules (design system, start page) fit some kinds only. */
export const KINDS = ['service', 'form', 'api', 'platform', 'tool'] as const;

export const assessmentSchema = z.strictObject({
  phase: z.enum(ASSESSMENT_PHASES).describe('The assessment: alpha, beta or live'),
  date: isoDate.describe('The day of the assessment'),
  outcome: z
    .enum(ASSESSMENT_OUTCOMES)
    .describe(
      'green, amber or red (the current scheme), or met / not-met (the older one). Amber may proceed, with actions due',
    ),
  panel: z
    .enum(['cross-government', 'departmental'])
    .optional()
    .describe(
      'Who assessed it: a cross-government panel (GDS) or the department’s own assurance team',
    ),
  report: url.optional().describe('Link to the published assessment report'),
  actions_due: isoDate
    .optional()
    .describe('When the actions from an amber outcome must be cleared (about 3 months later)'),
  actions_cleared: z
    .strictObject({
      date: isoDate.describe('When the assessment team accepted the evidence'),
      by: shortText().describe('Who accepted it: the assessment team or lead assessor'),
      evidence: urlOrRepoPath.describe(
        'Link to, or repository path of, the evidence sent to the assessment team',
      ),
    })
    .optional()
    .describe('Amber actions cleared with evidence to the assessment team, without reassessment'),
});

export const researchSchema = z.strictObject({
  date: isoDate.describe('When the round ended'),
  method: shortText()
    .describe('How the research was done')
    .meta({ examples: ['usability testing', 'contextual interviews', 'diary study'] }),
  participants: count.describe('How many people took part'),
  access_needs: count.optional().describe('Participants with access needs'),
  assisted_digital: count.optional().describe('Participants who needed assisted digital support'),
  findings: urlOrRepoPath
    .optional()
    .describe('Link to, or repository path of, what the round found'),
});

export const spendApprovalSchema = z.strictObject({
  reference: shortText().describe('The spend-control approval reference'),
  date: isoDate.describe('When the spend was approved'),
  phases: z
    .array(z.enum(PHASES))
    .min(1)
    .max(MANIFEST_LIMITS.approvalPhases)
    .describe('The phases the approved spend covers'),
  expires: isoDate.optional().describe('When the approval ends, if the letter says'),
});

const designSystemSchema = z
  .strictObject({
    name: z
      .enum(DESIGN_SYSTEM_IDS)
      .optional()
      .describe('The design system the user interface is built with'),
    version: shortText()
      .optional()
      .describe('Its version, if there is no lockfile to read it from'),
    none: reason('using no design system')
      .optional()
      .describe(
        'Instead of name: why this repository uses no design system (an API, or a back-office tool on another pattern library)',
      ),
  })
  .refine((d) => (d.name === undefined) !== (d.none === undefined), {
    message: 'must have either name (the design system used) or none (why none is used), not both',
  })
  .describe('The design system used, or {none: <reason>}');

export const manifestSchema = z
  .strictObject({
    schema_version: z.literal(1).optional().describe('service.yml schema version (1)'),
    name: shortText()
      .describe('The service name, as users see it')
      .meta({ examples: ['Renew your passport'] }),
    description: z
      .string()
      .max(MANIFEST_LIMITS.longText, {
        message: `is longer than ${MANIFEST_LIMITS.longText} characters`,
      })
      .optional()
      .describe('The user problem the service solves, in plain English'),
    kind: z
      .enum(KINDS)
      .default('service')
      .describe(
        'What this repository is: service (default; has a user interface), form (built on a form platform), api (no user interface), platform (a shared platform) or tool (an internal tool)',
      ),
    owner: z
      .strictObject({
        organisation: shortText()
          .describe('The organisation that owns the service')
          .meta({ examples: ['Home Office'] }),
        sector: z
          .enum(SECTORS)
          .optional()
          .describe(
            'central-government, arms-length-body, local-government, nhs or devolved (UK); federal or state-local (US). Decides whether spend control applies and which accessibility law sets the floor',
          ),
        team: shortText().optional().describe('The team that runs it'),
        contact: shortText()
          .optional()
          .describe('A team mailbox')
          .meta({ examples: ['team@example.gov.uk'] }),
      })
      .optional()
      .describe('Who owns the service'),
    url: url
      .optional()
      .describe("The service's start page")
      .meta({ examples: ['https://www.gov.uk/renew-adult-passport'] }),
    phase: z.enum(PHASES).describe('The delivery phase the service is in'),
    transactional: z
      .boolean()
      .optional()
      .describe(
        'Users exchange information, money, permission, goods or services, or submit personal data that changes a government record',
      ),
    transactions_per_year: count
      .optional()
      .describe('Expected transactions a year (above 100,000 a cross-government panel assesses)'),
    used_by_several_organisations: z
      .boolean()
      .optional()
      .describe(
        'Civil servants in more than one organisation use the service (a cross-government panel assesses it)',
      ),
    channels: z
      .array(shortText())
      .max(
        MANIFEST_LIMITS.channels,
        tooMany('channels', MANIFEST_LIMITS.channels, 'group similar channels'),
      )
      .optional()
      .describe(
        'The other ways users reach the service or get help with it, beside the website (point 3)',
      )
      .meta({ examples: [['phone', 'paper form', 'face to face', 'letters', 'frontline staff']] }),
    assessments: z
      .array(assessmentSchema)
      .max(
        MANIFEST_LIMITS.assessments,
        tooMany(
          'assessments',
          MANIFEST_LIMITS.assessments,
          'keep the latest of each phase and link older reports from them',
        ),
      )
      .optional()
      .describe('Service assessments, one entry each'),
    research: z
      .array(researchSchema)
      .max(
        MANIFEST_LIMITS.research,
        tooMany(
          'research rounds',
          MANIFEST_LIMITS.research,
          'keep the most recent rounds and archive older ones in the findings',
        ),
      )
      .optional()
      .describe('User research rounds, one entry each'),
    team: z
      .strictObject({
        roles: z
          .array(shortText())
          .max(
            MANIFEST_LIMITS.roles,
            tooMany('roles', MANIFEST_LIMITS.roles, 'list each role once, not each person'),
          )
          .describe('The roles in the team')
          .meta({
            examples: [
              ['product manager', 'delivery manager', 'user researcher', 'designer', 'developer'],
            ],
          }),
      })
      .optional()
      .describe('The team'),
    design_system: designSystemSchema.optional(),
    platforms: z
      .strictObject({
        identity: platformChoice('identity').optional(),
        payments: platformChoice('payments').optional(),
        notifications: platformChoice('notifications').optional(),
        forms: platformChoice('forms').optional(),
      })
      .optional()
      .describe('The shared platforms used, per category'),
    spend: z
      .strictObject({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as GBP' })
          .default('GBP')
          .describe('ISO 4217 currency code'),
        whole_life_cost: z
          .number()
          .nonnegative()
          .describe('Planned whole-life cost, a plain number'),
        public_facing: z
          .boolean()
          .optional()
          .describe(
            'The spend is on a public-facing service (a lower spend-control threshold); left out, the lower threshold applies',
          ),
        crypt_key: z
          .boolean()
          .optional()
          .describe('The spend includes Crypt-Key products: any amount needs approval'),
        approval: spendApprovalSchema.optional().describe('The spend-control approval'),
      })
      .optional()
      .describe('Planned spend, for spend control'),
    accessibility: z
      .strictObject({
        target: z
          .string()
          .regex(/^WCAG 2\.[0-2] (A|AA|AAA)$/, {
            message: "must look like 'WCAG 2.2 AA'",
          })
          .optional()
          .describe('The WCAG level the service is built and tested to')
          .meta({ examples: ['WCAG 2.2 AA'] }),
        statement: url.optional().describe('Link to the published accessibility statement'),
        statement_reviewed: isoDate
          .optional()
          .describe('When the accessibility statement was last reviewed (it says so itself)'),
        last_audit: isoDate.optional().describe('When the last accessibility audit was done'),
      })
      .optional()
      .describe('Accessibility target, statement and audit'),
    links: z
      .strictObject({
        about: url.optional().describe('About page'),
        privacy: url.optional().describe('Privacy policy'),
        foia: url.optional().describe('Freedom of Information Act page (US)'),
        accessibility: url.optional().describe('Accessibility statement or Section 508 page'),
        usa_gov: url.optional().describe('Link to USA.gov (US federal)'),
        search: url.optional().describe('The site search'),
      })
      .optional()
      .describe('Pages the site links to from every page (21st Century IDEA and OMB M-23-22)'),
    performance: z
      .strictObject({
        kpis: z
          .array(shortText())
          .max(
            MANIFEST_LIMITS.kpis,
            tooMany('KPIs', MANIFEST_LIMITS.kpis, 'keep the ones you report'),
          )
          .optional()
          .describe('The performance indicators measured')
          .meta({
            examples: [
              ['cost-per-transaction', 'user-satisfaction', 'completion-rate', 'digital-take-up'],
            ],
          }),
        dashboard: url
          .optional()
          .describe('Where performance data is published (for GOV.UK services, data.gov.uk)'),
      })
      .optional()
      .describe('Performance indicators and where they are published'),
    source: z
      .strictObject({
        public: z.boolean().describe('The source code is public'),
        licence: shortText()
          .optional()
          .describe('SPDX licence id')
          .meta({ examples: ['MIT', 'OGL-UK-3.0'] }),
        url: url.optional().describe('Where the code is published, if not here'),
      })
      .optional()
      .describe('Whether the code is open'),
    standards: z
      .array(
        z.string().regex(/^[a-z0-9-]+$/, {
          message: 'must be a rule pack id such as gds-service-standard',
        }),
      )
      .max(
        MANIFEST_LIMITS.standards,
        tooMany('standards', MANIFEST_LIMITS.standards, 'name each rule pack once'),
      )
      .optional()
      .describe('The rule packs this service follows (left out: the policy’s default packs)'),
  })
  .describe('Service Gate service.yml (schema v1)');

export type Manifest = z.infer<typeof manifestSchema>;
