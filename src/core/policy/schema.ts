import { z } from 'zod';
import { type PolicySettings, settingsShape } from './model.js';

/**
 * A policy file (.github/service-gate.yml): the settings of the model (model.ts), plus what
 * only a file can say: what it extends, what it locks, and (central files only) its waivers.
 * Policy is read from default branches only.
 */

export type { OnError } from './model.js';

/** A real calendar date written YYYY-MM-DD: 2026-02-30 and 9999-99-99 are not. */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export const waiverSchema = z.strictObject({
  rule: z.string().min(1).describe('A rule id, or a glob such as gds.12.*'),
  repos: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Repository globs (owner/name); without it, every repository the policy covers'),
  reason: z.string().min(10, { message: 'give a reason of at least 10 characters' }),
  approved_by: z.string().min(1),
  expires: z.string().refine(isRealDate, {
    message: 'must be a real date written YYYY-MM-DD; every waiver expires',
  }),
});
export type Waiver = z.infer<typeof waiverSchema>;

const policyFileSchema = z.strictObject({
  _extends: z
    .string()
    .optional()
    .describe(
      'Inherit from a policy file in a .github repository (or one the central policy trusts): owner/repo[:path]',
    ),
  trusted_sources: z
    .array(z.string().regex(/^[^/\s:]+\/[^/\s:]+$/, { message: 'must be owner/repo' }))
    .optional()
    .describe('Repositories other than .github ones that _extends may name (central policy only)'),
  ...settingsShape(),
  waivers: z
    .array(waiverSchema)
    .optional()
    .describe('Time-limited exemptions; only valid in central policy'),
  locks: z
    .array(
      z.string().regex(/^[a-z_]+(\.[A-Za-z0-9_.-]+)*$/, {
        message: 'must be a setting path such as thresholds.research.max_age_days',
      }),
    )
    .optional()
    .describe('Settings a repository policy file may tighten but not loosen (central policy only)'),
});

export interface PolicyFileOnly {
  _extends?: string;
  trusted_sources?: string[];
  waivers?: Waiver[];
  locks?: string[];
}

export type Policy = PolicySettings & PolicyFileOnly;

export const policySchema = policyFileSchema as unknown as z.ZodType<Policy>;
