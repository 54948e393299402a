import { z } from 'zod';
import { LEVELS } from '../levels.js';
import { MATURITY_AREA_IDS } from '../domain/catalogue.js';

/**
 * The policy model: every setting a policy file can hold, declared once with its schema, its
 * default and which way is "tighter". The file schema (schema.ts), the defaults, the merge with
 * locks (merge.ts) and `policy --explain` are all derived from this one tree, so a new setting
 * is one entry here.
 */

/** How a later file's value compares with the value in force, for locks. */
export interface Tighter {
  /** Whether `next` is at least as strict as `current` (the value in force, default included). */
  atLeastAsStrict(current: unknown, next: unknown): boolean;
  /** For the hint when a file tries to loosen a locked setting. */
  means: string;
}

export const lower: Tighter = {
  atLeastAsStrict: (current, next) =>
    typeof current !== 'number' || (typeof next === 'number' && next <= current),
  means: 'a lower number',
};

export const higher: Tighter = {
  atLeastAsStrict: (current, next) =>
    typeof current !== 'number' || (typeof next === 'number' && next >= current),
  means: 'a higher number',
};

/** Lists of packs: a tighter list keeps every pack in force and may add more. */
export const superset: Tighter = {
  atLeastAsStrict: (current, next) =>
    !Array.isArray(current) || (Array.isArray(next) && current.every((x) => next.includes(x))),
  means: 'a list that keeps every entry in force',
};

/** Lists of exemptions: a tighter list grants no exemption the list in force does not. */
export const subset: Tighter = {
  atLeastAsStrict: (current, next) =>
    !Array.isArray(current) || (Array.isArray(next) && next.every((x) => current.includes(x))),
  means: 'a list with no entry that the list in force lacks',
};

export const same: Tighter = {
  atLeastAsStrict: (current, next) =>
    current === undefined || JSON.stringify(current) === JSON.stringify(next),
  means: 'the same value',
};

/** Values in order from loosest to tightest. */
export function ranked(order: readonly string[]): Tighter {
  return {
    atLeastAsStrict: (current, next) =>
      current === undefined || order.indexOf(String(next)) >= order.indexOf(String(current)),
    means: `a value at least as strict in the order ${order.join(' < ')}`,
  };
}

const WCAG_LEVELS = ['A', 'AA', 'AAA'];
const wcag = /^WCAG 2\.([0-2]) (A|AA|AAA)$/;
/** A WCAG target is tighter when both its version and its level are at least as high. */
export const wcagTarget: Tighter = {
  atLeastAsStrict(current, next) {
    const c = wcag.exec(String(current));
    const n = wcag.exec(String(next));
    if (!c) return true;
    if (!n) return false;
    return n[1]! >= c[1]! && WCAG_LEVELS.indexOf(n[2]!) >= WCAG_LEVELS.indexOf(c[2]!);
  },
  means: 'a WCAG version and level at least as high',
};

/** One setting: a leaf of the policy. */
export interface Setting<T> {
  kind: 'setting';
  schema: z.ZodType<T>;
  default: T;
  tighter: Tighter;
  /** Lists that accumulate across files (a repository can add packs, never remove them). */
  accumulate?: boolean;
  /**
   * Settings that decide how the central unit's own rules are enforced: a repository file may
   * only tighten them, locked or not.
   */
  centralGoverned?: boolean;
  description?: string;
}

/** A mapping whose keys come from the file (rule ids, currencies): each entry merges and locks on its own. */
export interface Entries<V> {
  kind: 'entries';
  key: z.ZodType<string>;
  value: z.ZodType<V>;
  default: Readonly<Record<string, V>>;
  tighter: Tighter;
  description?: string;
}

export type ModelNode = Setting<unknown> | Entries<unknown> | { readonly [key: string]: ModelNode };

function setting<T>(s: Omit<Setting<T>, 'kind'>): Setting<T> {
  return { kind: 'setting', ...s };
}

function entries<V>(e: Omit<Entries<V>, 'kind'>): Entries<V> {
  return { kind: 'entries', ...e };
}

export function isLeaf(node: ModelNode): node is Setting<unknown> | Entries<unknown> {
  return (
    (node as { kind?: unknown }).kind === 'setting' ||
    (node as { kind?: unknown }).kind === 'entries'
  );
}

const packId = z
  .string()
  .regex(/^[a-z0-9-]+$/, { message: 'must be a pack id such as uk-spend-control' });
const packList = z.array(packId);
const wcagText = z.string().regex(wcag, { message: "must look like 'WCAG 2.2 AA'" });
const days = z.number().int().positive();
const currencyAmounts = (description: string, GBP: number) =>
  entries({
    key: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as GBP' }),
    value: z.number().nonnegative(),
    default: { GBP },
    tighter: lower,
    description,
  });

const packTarget = z.strictObject({
  repos: z.array(z.string()).optional().describe('Repository globs, e.g. hmpo/*'),
  topics: z.array(z.string()).optional().describe('Any of these repository topics'),
  properties: z
    .record(z.string(), z.string())
    .optional()
    .describe('Custom property values that must all match'),
  add: z.array(packId).min(1),
});

export const ON_ERROR = ['failure', 'neutral'] as const;
export type OnError = (typeof ON_ERROR)[number];

/**
 * Every threshold default is from shared/domain/standards.md, where each is marked "(check)":
 * central units override them, and rules read them as `policy.*`.
 */
export const POLICY_MODEL = {
  packs: {
    default: setting({
      schema: packList,
      default: [
        'gds-service-standard',
        'uk-spend-control',
        'uk-technology-code-of-practice',
        'accessibility',
      ],
      tighter: superset,
      description: 'Packs for services whose service.yml names none (default: the UK packs)',
    }),
    add: setting({
      schema: packList,
      default: [] as string[],
      tighter: superset,
      accumulate: true,
      description: 'Packs added for every service of a matching jurisdiction',
    }),
    force: setting({
      schema: packList,
      default: [] as string[],
      tighter: superset,
      accumulate: true,
      description: 'Packs every service is judged by; a repository cannot remove them',
    }),
    targets: setting({
      schema: z.array(packTarget),
      default: [] as z.infer<typeof packTarget>[],
      tighter: superset,
      accumulate: true,
      description: 'Packs added for the repositories a target matches',
    }),
    paths: setting({
      schema: z.array(z.string().min(1)),
      default: [] as string[],
      tighter: superset,
      accumulate: true,
      description: "Extra rule pack files, relative to the root of the policy file's repository",
    }),
  },
  thresholds: {
    spend: {
      public_facing: currencyAmounts(
        'Spend above which a public-facing service needs approval',
        100_000,
      ),
      other: currencyAmounts('Spend above which other DDaT spend needs approval', 1_000_000),
      crypt_key: currencyAmounts('Spend on Crypt-Key products above which approval is needed', 0),
      approval_expiry_warning_days: setting({ schema: days, default: 30, tighter: higher }),
      // The Risk and Importance framework's bands for a digital service (low below medium).
      risk_bands: {
        whole_life_cost: {
          medium: currencyAmounts(
            'Whole-life cost from which a service is medium risk',
            20_000_000,
          ),
          high: currencyAmounts('Whole-life cost from which a service is high risk', 50_000_000),
        },
        transactions_per_year: {
          medium: setting({
            schema: z.number().int().nonnegative(),
            default: 100_000,
            tighter: lower,
            description: 'Transactions a year from which a service is medium risk',
          }),
          high: setting({
            schema: z.number().int().nonnegative(),
            default: 1_000_000,
            tighter: lower,
            description: 'Transactions a year from which a service is high risk',
          }),
        },
      },
    },
    research: {
      max_age_days: setting({ schema: days, default: 180, tighter: lower }),
      min_participants: setting({
        schema: z.number().int().nonnegative(),
        default: 5,
        tighter: higher,
      }),
    },
    accessibility: {
      audit_max_age_days: setting({ schema: days, default: 365, tighter: lower }),
      statement_review_max_days: setting({ schema: days, default: 365, tighter: lower }),
      minimum_target: setting({
        schema: wcagText,
        default: 'WCAG 2.2 AA',
        tighter: wcagTarget,
        description: 'The floor for a service that declares no owner.sector: the strictest',
      }),
      // The floor the law sets per sector: UK regulations 2018, Section 508, ADA Title II.
      floors: entries({
        key: z.string().min(1),
        value: wcagText,
        default: {
          'central-government': 'WCAG 2.1 AA',
          'arms-length-body': 'WCAG 2.1 AA',
          'local-government': 'WCAG 2.1 AA',
          nhs: 'WCAG 2.1 AA',
          devolved: 'WCAG 2.1 AA',
          federal: 'WCAG 2.0 AA',
          'state-local': 'WCAG 2.1 AA',
        },
        tighter: wcagTarget,
        description: 'The floor the law sets, per owner.sector',
      }),
      // What the monitoring body tests against, where it is above the law (GDS, in the UK).
      monitored: entries({
        key: z.string().min(1),
        value: wcagText,
        default: {
          'central-government': 'WCAG 2.2 AA',
          'arms-length-body': 'WCAG 2.2 AA',
          'local-government': 'WCAG 2.2 AA',
          nhs: 'WCAG 2.2 AA',
          devolved: 'WCAG 2.2 AA',
        },
        tighter: wcagTarget,
        description: 'What the monitoring body tests against, per owner.sector',
      }),
    },
    design_system_floors: entries({
      key: z.string().min(1),
      value: z.number().int().nonnegative(),
      default: { 'govuk-frontend': 5, 'nhsuk-frontend': 9, uswds: 3, gcds: 1 },
      tighter: higher,
      description: 'Lowest acceptable major version per design system id',
    }),
    assessment: {
      cross_government_transactions: setting({
        schema: z.number().int().nonnegative(),
        default: 100_000,
        tighter: lower,
      }),
      amber_actions_max_days: setting({ schema: days, default: 90, tighter: lower }),
      assured_form_platforms: setting({
        schema: z.array(z.string().regex(/^[a-z0-9-]+$/)),
        default: ['govuk-forms'],
        tighter: subset,
        description:
          'Form platforms whose forms need no service assessment (Service Manual, scope)',
      }),
    },
    waiver_expiry_warning_days: setting({ schema: days, default: 14, tighter: higher }),
  },
  /** A rule's own level is the default of its entry: merge.ts asks the packs for it. */
  severity: entries({
    key: z.string().min(1),
    value: z.enum([...LEVELS, 'off']),
    default: {},
    tighter: ranked(['off', 'notice', 'warning', 'failure']),
    description: 'Per-rule severity overrides: failure, warning, notice or off',
  }),
  approvers: {
    team: setting({
      schema: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { message: 'must be org/team-slug' }),
      default: undefined as string | undefined,
      tighter: same,
      description: 'The team whose approval releases a phase change or a spend increase',
    }),
  },
  check_name: setting({
    schema: z.string().min(1).max(100),
    default: 'Service Standard',
    tighter: same,
  }),
  maturity: entries({
    key: z.enum(MATURITY_AREA_IDS),
    value: z.strictObject({
      adopted_at: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe("Share of an organisation's services that must show a practice (default 0.5)"),
      standard_at: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe(
          'Share of organisations that must have adopted it for Future State (default 0.8)',
        ),
    }),
    default: {},
    tighter: same,
    description:
      'Per maturity area: when an organisation has adopted a practice, and when it is standard across organisations',
  }),
  on_error: setting({
    schema: z.enum(ON_ERROR),
    default: 'failure' as OnError,
    tighter: ranked(['neutral', 'failure']),
    centralGoverned: true,
    description:
      "The check's conclusion when Service Gate cannot judge (failure, the default, blocks the merge; neutral lets it through)",
  }),
  max_waiver_days: setting({
    schema: days,
    default: 365,
    tighter: lower,
    centralGoverned: true,
    description: 'The longest a waiver may run, counted from the day it is judged',
  }),
} as const;

/** The values of a model tree with every default filled in. */
export type Full<M> =
  M extends Setting<infer T>
    ? T
    : M extends Entries<infer V>
      ? Record<string, V>
      : { -readonly [K in keyof M]: Full<M[K]> };

/** The values a policy file may set: any part of the tree. */
export type Partial_<M> =
  M extends Setting<infer T>
    ? T
    : M extends Entries<infer V>
      ? Record<string, V>
      : { -readonly [K in keyof M]?: Partial_<M[K]> };

export type PolicySettings = Partial_<typeof POLICY_MODEL>;
export type FullSettings = Full<typeof POLICY_MODEL>;

/** A leaf of the model with its path, for walking every setting in order. */
export interface ModelLeaf {
  path: readonly string[];
  node: Setting<unknown> | Entries<unknown>;
}

export const MODEL_LEAVES: readonly ModelLeaf[] = (() => {
  const out: ModelLeaf[] = [];
  const walk = (node: ModelNode, path: string[]) => {
    if (isLeaf(node)) out.push({ path, node });
    else for (const [k, child] of Object.entries(node)) walk(child, [...path, k]);
  };
  walk(POLICY_MODEL as unknown as ModelNode, []);
  return out;
})();

/** The zod schema of the settings part of a policy file, built from the model. */
export function settingsShape(): Record<string, z.ZodType> {
  const build = (node: ModelNode): z.ZodType => {
    if (isLeaf(node)) {
      const schema = node.kind === 'setting' ? node.schema : z.partialRecord(node.key, node.value);
      const described = node.description ? schema.describe(node.description) : schema;
      return described.optional();
    }
    return z.strictObject(shapeOf(node)).optional();
  };
  const shapeOf = (node: { readonly [key: string]: ModelNode }) =>
    Object.fromEntries(Object.entries(node).map(([k, child]) => [k, build(child)]));
  return shapeOf(POLICY_MODEL as unknown as { readonly [key: string]: ModelNode });
}

/**
 * Every default, built once from the model. Objects have no prototype, so no key a policy file
 * adds to them can reach Object.prototype; callers copy before changing anything.
 */
export const DEFAULTS: FullSettings = (() => {
  const out = Object.create(null) as Record<string, unknown>;
  for (const { path, node } of MODEL_LEAVES) {
    const value =
      node.kind === 'entries'
        ? Object.assign(Object.create(null) as object, node.default)
        : Array.isArray(node.default)
          ? [...(node.default as unknown[])]
          : node.default;
    setAt(out, path, value);
  }
  return deepFreeze(out) as FullSettings;
})();

/** Sets a value at a path of null-prototype objects, creating them on the way. */
export function setAt(
  root: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!Object.hasOwn(node, key)) node[key] = Object.create(null);
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** Reads a path of own properties only: nothing on a prototype is ever read. */
export function getAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
