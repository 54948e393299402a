import {
  type CelInput,
  type CelResult,
  type CelType,
  CelScalar,
  celEnv,
  celFunc,
  celList,
  celMap,
  isCelError,
  isCelList,
  isCelMap,
  listType,
  parse,
  plan,
} from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { strings } from '@bufbuild/cel/ext';
import { RE2JS } from '@bufbuild/re2';
import semver from 'semver';
import { dateMs, daysBetween } from '../days.js';
import { BOUNDED_STRINGS } from './cel-limits.js';
import { compileFast, type DirectOverload, FAST_NAMES } from './cel-compile.js';
import { ENTRY_ASSESSMENT, PHASES, type Phase, sharedPlatformOf } from '../domain/catalogue.js';

/**
 * The CEL environment rules run in. Rules see `service`, `repo`, `policy`, `base` and `now`
 * (a YYYY-MM-DD date string), plus the small library of helpers below, documented in the
 * README under "Writing rules".
 */

export { daysBetween };

export type AssessmentStatus = 'passed' | 'passed-amber' | 'amber-overdue' | 'failed' | 'none';

interface AssessmentLike {
  phase: string;
  date: string;
  outcome: string;
  actions_due?: string;
  actions_cleared?: { date: string };
}

/**
 * The state of a service's most recent assessment for one gate (alpha, beta or live):
 * met/green pass; amber passes until its actions fall due (on actions_due, or `amberMaxDays`
 * after the assessment when none is set), and for good once they are cleared with evidence;
 * red/not-met blocks until reassessed.
 */
export function assessmentStatus(
  assessments: readonly AssessmentLike[],
  gate: string,
  now: string,
  amberMaxDays?: number,
): AssessmentStatus {
  const latest = assessments
    .filter((a) => a.phase === gate)
    .sort((a, b) => dateMs(a.date) - dateMs(b.date))
    .at(-1);
  if (!latest) return 'none';
  switch (latest.outcome) {
    case 'met':
    case 'green':
      return 'passed';
    case 'amber': {
      if (latest.actions_cleared && latest.actions_cleared.date <= now) return 'passed';
      const overdue = latest.actions_due
        ? daysBetween(latest.actions_due, now) > 0
        : amberMaxDays !== undefined && daysBetween(latest.date, now) > amberMaxDays;
      return overdue ? 'amber-overdue' : 'passed-amber';
    }
    default:
      return 'failed';
  }
}

const WCAG = /^WCAG (2)\.([0-9]) (A{1,3})$/;

/**
 * Whether a WCAG target ('WCAG 2.2 AA') meets a floor: a version at least the floor's and a
 * level at least the floor's. Plain string order would rank 'WCAG 2.2 A' above 'WCAG 2.1 AA'.
 */
export function wcagAtLeast(target: string, floor: string): boolean {
  const t = WCAG.exec(target);
  const f = WCAG.exec(floor);
  if (!t || !f) return false;
  return Number(t[2]) >= Number(f[2]) && t[3]!.length >= f[3]!.length;
}

function fromCel(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (isCelMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.entries()) out[String(k)] = fromCel(x);
    return out;
  }
  if (isCelList(v)) return Array.from(v, fromCel);
  return v;
}

const STRING = CelScalar.STRING;
const INT = CelScalar.INT;
const BOOL = CelScalar.BOOL;
const DYN_LIST = listType(CelScalar.DYN);

/** Each helper's implementation by name, for the compiled programs to call directly. */
const HELPER_IMPLS = new Map<string, DirectOverload[]>();

/** celFunc, recording the implementation in HELPER_IMPLS. */
function helper<const P extends readonly CelType[], const R extends CelType>(
  name: string,
  args: P,
  result: R,
  impl: Parameters<typeof celFunc<P, R>>[3],
) {
  const overloads = HELPER_IMPLS.get(name) ?? [];
  overloads.push({ args, impl: impl as DirectOverload['impl'] });
  HELPER_IMPLS.set(name, overloads);
  return celFunc(name, args, result, impl);
}

export const CEL_HELPERS = [
  helper('days_between', [STRING, STRING], INT, (a, b) => BigInt(daysBetween(a, b))),
  helper('semver_major', [STRING], INT, (v) => BigInt(semver.coerce(v)?.major ?? -1)),
  helper('semver_lt', [STRING, STRING], BOOL, (a, b) => {
    const x = semver.coerce(a);
    const y = semver.coerce(b);
    return x !== null && y !== null && semver.lt(x, y);
  }),
  helper('phase_index', [STRING], INT, (p) => BigInt(PHASES.indexOf(p as Phase))),
  helper('entry_assessment', [STRING], STRING, (p) => ENTRY_ASSESSMENT[p as Phase] ?? ''),
  helper('assessment_status', [DYN_LIST, STRING, STRING], STRING, (list, gate, now) =>
    assessmentStatus(fromCel(list) as AssessmentLike[], gate, now),
  ),
  helper(
    'assessment_status',
    [DYN_LIST, STRING, STRING, INT],
    STRING,
    (list, gate, now, amberMaxDays) =>
      assessmentStatus(fromCel(list) as AssessmentLike[], gate, now, Number(amberMaxDays)),
  ),
  helper('wcag_at_least', [STRING, STRING], BOOL, (target, floor) => wcagAtLeast(target, floor)),
  // The shared platform an entry under platforms: names, in either form ('' for none or own).
  helper(
    'shared_platform',
    [CelScalar.DYN],
    STRING,
    (choice) => sharedPlatformOf(fromCel(choice)) ?? '',
  ),
];

/**
 * `matches` with the library's own RE2 engine, each pattern compiled once: compiling it on every
 * call, as the library does, cost 150 µs a call. Patterns come from rules (and, in principle,
 * from service.yml), so the cache is bounded; a pattern that does not compile is not kept, and
 * throws as before.
 */
const REGEX_CACHE_SIZE = 256;
const regexes = new Map<string, RE2JS>();
const cachedRe2 = {
  compile(pattern: string): RE2JS {
    let re = regexes.get(pattern);
    if (re === undefined) {
      re = RE2JS.compile(pattern);
      if (regexes.size >= REGEX_CACHE_SIZE) regexes.clear();
      regexes.set(pattern, re);
    }
    return re;
  },
};

// The cel-go strings extension (lowerAscii, indexOf, split, ...) beside our helpers: cheaper and
// clearer than regular expressions for the case-insensitive matching rules need.
const ENV = celEnv({ funcs: [...BOUNDED_STRINGS, ...CEL_HELPERS], re2: cachedRe2 });

export type CelProgram = (vars: Record<string, CelInput>) => CelResult;

/**
 * What the compiled programs may call directly: our helpers, while the environment's overloads
 * for the name are exactly ours; and the standard functions the compiler implements itself,
 * while none of the name's overloads is one we added (it would otherwise be bypassed). Checked
 * without a second environment: making one costs the CLI's start ~20 ms.
 */
function sameOverloads(name: string, expected: readonly unknown[]): boolean {
  const actual = [...(ENV.funcs.find(name) ?? [])];
  return actual.length === expected.length && actual.every((f, i) => f === expected[i]);
}
const DIRECT = new Map(
  [...HELPER_IMPLS].filter(([name]) =>
    sameOverloads(
      name,
      CEL_HELPERS.filter((f) => f.name === name),
    ),
  ),
);
const OURS = new Set<unknown>([
  ...CEL_HELPERS,
  ...BOUNDED_STRINGS.filter((f) => !strings.includes(f)),
]);
const TRUSTED_STANDARD = new Set(
  FAST_NAMES.filter((name) => ![...(ENV.funcs.find(name) ?? [])].some((f) => OURS.has(f))),
);

export class CelCompileError extends Error {
  override name = 'CelCompileError';
}

/** Programs are pure and stateless, so identical expressions (common in packs) share one. */
const compiled = new Map<string, CelProgram>();
/**
 * Parsed syntax trees from the build (rules.compiled.json): planning one skips the slow parser.
 * They are the parser's own message objects written as JSON, with 64-bit integers (ids, int
 * literals) as {"$int": "..."}: reading JSON is much faster than decoding protobuf binary.
 */
export type SerializedExpr = unknown;
const parsedAhead = new Map<string, SerializedExpr>();

export function registerParsed(entries: Record<string, SerializedExpr>): void {
  for (const [expression, ast] of Object.entries(entries)) parsedAhead.set(expression, ast);
}

/** The parsed form of an expression, for rules.compiled.json. */
export function serializeParsed(expression: string): SerializedExpr {
  return JSON.parse(
    // Only the syntax tree: the planner needs no source positions or macro records.
    JSON.stringify(parse(expression).expr, (_key, v: unknown) => {
      if (typeof v === 'bigint') return { $int: v.toString() };
      if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
      return v;
    }),
  );
}

function reviveParsed(v: SerializedExpr): unknown {
  if (Array.isArray(v)) return v.map(reviveParsed);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o.$int === 'string') return BigInt(o.$int);
  if (typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = reviveParsed(o[k]);
  return out;
}

/** Parses and plans an expression once; throws CelCompileError with the parser's message. */
export function compileCel(expression: string): CelProgram {
  const cached = compiled.get(expression);
  if (cached) return cached;
  const { fast, library } = compileCelBoth(expression);
  const program = fast ?? library;
  compiled.set(expression, program);
  return program;
}

/**
 * Both programs for an expression: the library's plan, and the compiled closures when the
 * expression is within their subset (cel-compile.ts). Rules run the closures where there are
 * some; tests check the two agree.
 */
export function compileCelBoth(expression: string): { fast?: CelProgram; library: CelProgram } {
  const failed = (e: unknown) => new CelCompileError((e as Error).message.replace(/^<input>:/, ''));
  let ast: Expr | undefined;
  try {
    const ahead = parsedAhead.get(expression);
    ast = ahead !== undefined ? (reviveParsed(ahead) as Expr) : parse(expression).expr;
  } catch (e) {
    throw failed(e);
  }
  const tree = ast as Expr;
  // Planned only when it runs: the closures' fallback is seldom needed, and planning every
  // expression twice would slow the CLI's start.
  let planned: CelProgram | undefined;
  const library: CelProgram = (vars) => (planned ??= plan(ENV, tree) as CelProgram)(vars);
  const fast =
    ast &&
    (compileFast(ENV, ast, library as never, { direct: DIRECT, standard: TRUSTED_STANDARD }) as
      CelProgram | undefined);
  if (!fast) {
    // The library's program is the one that runs: planned now, so its errors are compile errors.
    try {
      planned = plan(ENV, tree) as CelProgram;
    } catch (e) {
      throw failed(e);
    }
  }
  return { fast, library };
}

/**
 * Converts plain data (parsed YAML/JSON) to CEL values once per evaluation: objects become
 * maps (so `has()` and missing keys behave as CEL says) and whole numbers become ints.
 */
export function toCel(value: unknown): CelInput {
  // Already CEL maps and lists: the evaluator then skips wrapping them on every access.
  if (Array.isArray(value)) return celList(value.map(toCel)) as CelInput;
  if (value !== null && typeof value === 'object') {
    const map = new Map<string, CelInput>();
    const record = value as Record<string, unknown>;
    // for-in over plain parsed data: Object.entries would allocate a pair per key, per evaluation.
    for (const k in record) {
      const v = record[k];
      if (v !== undefined && Object.hasOwn(record, k)) map.set(k, toCel(v));
    }
    return celMap(map) as CelInput;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as CelInput;
}

export { isCelError };

/** Renders a CEL result for a message: lists joined, ints as plain numbers. */
export function celToText(v: unknown): string {
  const plain = fromCel(v);
  if (Array.isArray(plain))
    return plain.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (plain !== null && typeof plain === 'object') return JSON.stringify(plain);
  return String(plain);
}
