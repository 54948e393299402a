import { PACK_FILE_BYTES } from '../limits.js';
import { z } from 'zod';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import { PHASES, type Phase } from '../domain/catalogue.js';
import { SECTORS } from '../manifest/schema.js';
import { type Level, LEVELS } from '../levels.js';
import { DEFAULT_YAML_LIMITS, parseUntrustedYaml } from '../yaml/untrusted-yaml.js';
import { didYouMean } from '../suggest.js';
import { validateYaml } from '../yaml/validate.js';
import { type CelProgram, CelCompileError, compileCel } from './cel.js';

/** A rule pack file (rules/*.yml): a standard, its points, and rules written in CEL. */

const id = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, {
  message: 'must be lower-case letters, digits, dots and dashes',
});

export const ruleSchema = z.strictObject({
  id,
  title: z.string().min(1),
  standard: id.optional().describe("The standard this rule maps to (default: the pack's)"),
  point: z
    .number()
    .int()
    .nonnegative()
    .describe('The point or play of the standard, as the standard numbers it'),
  phases: z.array(z.enum(PHASES)).min(1).describe('Phases the rule applies to'),
  gate: z.boolean().default(false).describe('The rule is an entry condition for its phases'),
  severity: z.enum(LEVELS),
  when: z.string().optional().describe('CEL: the rule applies only when this is true'),
  for_each: z.string().optional().describe('CEL: a list; `require` is checked for each `item`'),
  require: z.string().min(1).describe('CEL: what must be true; false is a finding'),
  at: z.string().optional().describe("Where in service.yml the finding points, e.g. 'research'"),
  message: z.string().min(1).describe('Shown when `require` is false; {{ cel }} is interpolated'),
  guidance: z.string().regex(/^https:\/\//, { message: 'must be an https:// URL' }),
  fix: z.string().min(1),
  same_as: id
    .optional()
    .describe(
      'Another rule that checks the same gap under another standard: when both find it, one finding names both points',
    ),
});

export const packSchema = z.strictObject({
  pack: id,
  title: z.string().min(1),
  description: z.string().optional(),
  jurisdiction: z
    .string()
    .regex(/^[a-z]{2,}$/)
    .describe("Country or 'any'"),
  sectors: z
    .array(z.enum(SECTORS))
    .min(1)
    .optional()
    .describe(
      'The owner.sector values the pack applies to when chosen by default (a service with no sector, or one naming the pack in standards, always gets it)',
    ),
  standard: z.strictObject({
    id,
    title: z.string().min(1),
    url: z.string().regex(/^https:\/\//),
    points: z.record(z.string().regex(/^\d+$/), z.string()).optional(),
    checked_in_code: z
      .record(z.string().regex(/^\d+$/), z.string().min(1))
      .optional()
      .describe("Points Service Gate's code checks rather than rules: what checks them"),
  }),
  rules: z.array(ruleSchema).min(1),
});

export type RuleSource = z.infer<typeof ruleSchema>;

/** A template like "Research is {{ days_between(r.date, now) }} days old", compiled once. */
export type Template = readonly (string | CelProgram)[];

export interface Rule {
  id: string;
  title: string;
  pack: string;
  jurisdiction: string;
  standard: string;
  standardTitle: string;
  /** The standard's own page, when the rule maps to its pack's standard. */
  standardUrl?: string;
  point: number;
  pointTitle: string;
  phases: readonly Phase[];
  gate: boolean;
  severity: Level;
  when?: CelProgram;
  forEach?: CelProgram;
  require: CelProgram;
  at: Template;
  message: Template;
  guidance: string;
  fix: Template;
  /** The rule (usually in another pack) whose finding this one joins when both fire. */
  sameAs?: string;
  /** Where the rule is defined, for errors and `service-gate explain`. */
  file: string;
  line: number;
  source: RuleSource;
}

export interface Pack {
  id: string;
  title: string;
  description?: string;
  jurisdiction: string;
  /** The sectors the pack applies to by default; undefined: every sector. */
  sectors?: readonly string[];
  standard: {
    id: string;
    title: string;
    url: string;
    points: Record<string, string>;
    checked_in_code?: Record<string, string>;
  };
  rules: Rule[];
  file: string;
}

export type PackResult = { ok: true; pack: Pack } | { ok: false; diagnostics: Diagnostic[] };

const CEL_FIELDS = ['when', 'for_each', 'require'] as const;
const TEMPLATE_FIELDS = ['message', 'at', 'fix'] as const;
const PLACEHOLDER = /\{\{(.+?)\}\}/g;

export type PackSource = z.infer<typeof packSchema>;

export interface CompileOptions {
  /**
   * Skip compiling every expression at load. Parsing CEL is the slowest part of start-up, and
   * most rules never run for a given service (another phase or jurisdiction), so expressions
   * then compile on first use. Only for packs already validated: the bundled ones, which the
   * build precompiles and a test compiles eagerly. Custom packs are always checked at load.
   */
  lazy?: boolean;
}

/** Parses, validates and compiles one rule pack. A broken rule is reported with file and line. */
export function compilePack(text: string, file: string, options: CompileOptions = {}): PackResult {
  const parsed = parseUntrustedYaml(text, file, {
    ...DEFAULT_YAML_LIMITS,
    maxBytes: PACK_FILE_BYTES,
  });
  if (!parsed.ok) return parsed;
  const validated = validateYaml(packSchema, parsed.yaml, file);
  if (!validated.ok) return validated;
  const source = validated.value;
  const lines = source.rules.map((_, index) => parsed.yaml.locate(['rules', index]).line);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  source.rules.forEach((r, index) => {
    const fail = (key: string, code: string, message: string, hint: string) => {
      const p = parsed.yaml.locate(['rules', index, key]);
      diagnostics.push(diagnostic({ file, line: p.line, column: p.column, code, message, hint }));
    };
    if (seen.has(r.id))
      fail(
        'id',
        'pack/duplicate-rule',
        `Rule id '${r.id}' is used twice in this pack.`,
        'Give each rule a unique id.',
      );
    seen.add(r.id);
    if (options.lazy) return;
    for (const field of [...CEL_FIELDS, ...TEMPLATE_FIELDS]) {
      for (const expression of expressionsOf(r, field)) {
        try {
          compileCel(expression);
        } catch (e) {
          if (!(e instanceof CelCompileError)) throw e;
          const inTemplate = (TEMPLATE_FIELDS as readonly string[]).includes(field);
          fail(
            field,
            inTemplate ? 'pack/bad-template' : 'pack/bad-cel',
            inTemplate
              ? `Rule '${r.id}': a {{ }} placeholder in ${field} does not parse: ${e.message}`
              : `Rule '${r.id}': the ${field} expression does not parse: ${e.message}`,
            inTemplate
              ? 'Each {{ }} holds one CEL expression.'
              : 'Check the CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md',
          );
        }
      }
    }
  });
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, pack: buildPack(source, file, lines) };
}

function expressionsOf(
  r: RuleSource,
  field: (typeof CEL_FIELDS)[number] | (typeof TEMPLATE_FIELDS)[number],
): string[] {
  const value = r[field];
  if (value === undefined) return [];
  if ((CEL_FIELDS as readonly string[]).includes(field)) return [value];
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim());
}

/** Every CEL expression a pack contains, for precompilation. */
export function packExpressions(source: PackSource): string[] {
  return [
    ...new Set(
      source.rules.flatMap((r) =>
        [...CEL_FIELDS, ...TEMPLATE_FIELDS].flatMap((f) => expressionsOf(r, f)),
      ),
    ),
  ];
}

/** A pack from validated source; its expressions compile on first use (and are shared). */
export function buildPack(source: PackSource, file: string, lines: readonly number[]): Pack {
  const rules = source.rules.map((r, index): Rule => {
    const standard = r.standard ?? source.standard.id;
    const own = standard === source.standard.id;
    return {
      id: r.id,
      title: r.title,
      pack: source.pack,
      jurisdiction: source.jurisdiction,
      standard,
      standardTitle: own ? source.standard.title : standard,
      standardUrl: own ? source.standard.url : undefined,
      point: r.point,
      pointTitle: own ? (source.standard.points?.[String(r.point)] ?? '') : '',
      phases: r.phases,
      gate: r.gate,
      severity: r.severity,
      when: r.when === undefined ? undefined : lazyCel(r.when),
      forEach: r.for_each === undefined ? undefined : lazyCel(r.for_each),
      require: lazyCel(r.require),
      at: compileTemplate(r.at ?? ''),
      message: compileTemplate(r.message),
      guidance: r.guidance,
      fix: compileTemplate(r.fix),
      sameAs: r.same_as,
      file,
      line: lines[index] ?? 1,
      source: r,
    };
  });
  return {
    id: source.pack,
    title: source.title,
    description: source.description,
    jurisdiction: source.jurisdiction,
    sectors: source.sectors,
    standard: { ...source.standard, points: source.standard.points ?? {} },
    rules,
    file,
  };
}

function compileTemplate(text: string): Template {
  const parts: (string | CelProgram)[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(lazyCel(m[1]!.trim()));
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function lazyCel(expression: string): CelProgram {
  let program: CelProgram | undefined;
  return (vars) => (program ??= compileCel(expression))(vars);
}

/**
 * `same_as` must name another rule of the packs available (bundled and custom), or the two
 * findings never join and the gap is reported twice: checked when packs are loaded.
 */
export function sameAsProblems(packs: Iterable<Pack>): Diagnostic[] {
  const rules = [...packs].flatMap((p) => p.rules);
  const ids = new Set(rules.map((r) => r.id));
  return rules
    .filter((r) => r.sameAs !== undefined && (r.sameAs === r.id || !ids.has(r.sameAs)))
    .map((r) =>
      diagnostic({
        file: r.file,
        line: r.line,
        column: 1,
        code: 'pack/unknown-same-as',
        message:
          r.sameAs === r.id
            ? `Rule '${r.id}' names itself in same_as.`
            : `Rule '${r.id}' has same_as: ${r.sameAs}, which is not a rule of any pack loaded.`,
        hint:
          r.sameAs === r.id
            ? 'Name the rule of another standard that checks the same gap, or remove same_as.'
            : didYouMean(
                r.sameAs!,
                [...ids].filter((id) => id !== r.id),
              ),
      }),
    );
}

/** A set of packs by id; later packs with the same id replace earlier ones (custom over bundled). */
export function indexPacks(packs: readonly Pack[]): Map<string, Pack> {
  return new Map(packs.map((p) => [p.id, p]));
}
