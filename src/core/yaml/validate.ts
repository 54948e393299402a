import type { z } from 'zod';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import { excerpt } from '../excerpt.js';
import { didYouMean } from '../suggest.js';
import type { ParsedYaml, YamlPath } from './untrusted-yaml.js';

/**
 * Validates parsed YAML against a zod schema and turns every issue into a Diagnostic with the
 * file, line and column of the offending key or value, and a hint (with "did you mean").
 */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  yaml: ParsedYaml,
  file: string,
): { ok: true; value: z.infer<S> } | { ok: false; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(yaml.value);
  if (result.success) return { ok: true, value: result.data };
  const diagnostics = result.error.issues.flatMap((issue) =>
    describeIssue(schema, yaml, file, issue),
  );
  return { ok: false, diagnostics: dedupe(diagnostics) };
}

type Issue = z.core.$ZodIssue;

function describeIssue(
  schema: z.ZodType,
  yaml: ParsedYaml,
  file: string,
  issue: Issue,
): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const where = path.length ? `'${dotted(path)}'` : 'the top level';
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(schema, path);
    return issue.keys.map((key) => {
      const p = yaml.locate([...path, key], { key: true });
      return diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'schema/unknown-key',
        message: `Unknown key '${key}' in ${where}.`,
        hint: allowed.length ? didYouMean(key, allowed) : 'Remove this key.',
      });
    });
  }
  const p = yaml.locate(path);
  const actual = valueAt(yaml.value, path);
  if (
    (issue.code === 'invalid_type' ||
      issue.code === 'invalid_value' ||
      issue.code === 'invalid_union') &&
    actual === undefined
  ) {
    const key = path[path.length - 1];
    const parentPos = yaml.locate(path.slice(0, -1));
    return [
      diagnostic({
        file,
        line: parentPos.line,
        column: parentPos.column,
        code: 'schema/missing-key',
        message: `The required key '${dotted(path)}' is missing.`,
        hint: `Add '${String(key)}:' here${'expected' in issue ? ` (expected ${String(issue.expected)})` : ''}.`,
      }),
    ];
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    const values = issue.values.map(String);
    return [
      diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'schema/invalid-value',
        message: `${excerpt(actual)} is not a valid value for ${where}.`,
        hint:
          typeof actual === 'string'
            ? didYouMean(actual, values)
            : `Allowed: ${values.join(', ')}.`,
      }),
    ];
  }
  if (issue.code === 'invalid_type') {
    return [
      diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'schema/wrong-type',
        message: `${where} must be ${article(issue.expected)}, not ${describe(actual)}.`,
        hint: hintForType(issue.expected),
      }),
    ];
  }
  if (issue.code === 'invalid_union') {
    // A mapping that has the shape of exactly one of the union's forms (its keys fit, only a
    // value is wrong): report that form's own problems, e.g. an unknown platform id under `id`.
    const fitting = issue.errors.filter((branch) => branch.every((i) => i.path.length > 0));
    if (actual !== null && typeof actual === 'object' && fitting.length === 1)
      return fitting[0]!.flatMap((i) =>
        describeIssue(schema, yaml, file, { ...i, path: [...issue.path, ...i.path] } as Issue),
      );
    const options = unionChoices(schema, path);
    return [
      diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'schema/invalid-value',
        message: `${excerpt(actual)} is not valid for ${where}.`,
        hint:
          typeof actual === 'string' && options.length
            ? didYouMean(actual, options) + (options.length ? ' Or use {own: <reason>}.' : '')
            : 'See the schema: service-gate schema.',
      }),
    ];
  }
  return [
    diagnostic({
      file,
      line: p.line,
      column: p.column,
      code: 'schema/invalid',
      message: `${where} ${issue.message}.`,
      hint: 'See the schema: service-gate schema.',
    }),
  ];
}

function dotted(path: YamlPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${excerpt(v)}`;
}

function hintForType(expected: string): string {
  switch (expected) {
    case 'array':
      return 'Write a list, one item per line starting with "- ".';
    case 'object':
      return 'Write a mapping of keys, indented under this one.';
    case 'number':
      return 'Write a plain number, without quotes, currency signs or commas.';
    case 'boolean':
      return 'Write true or false, without quotes.';
    case 'string':
      return 'Write text; quote it if it looks like a number or date.';
    default:
      return 'See the schema: service-gate schema.';
  }
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let v = value;
  for (const segment of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.prototype.hasOwnProperty.call(v, segment)
      ? (v as Record<string | number, unknown>)[segment]
      : undefined;
  }
  return v;
}

/* Introspection of zod's public definition objects, to list allowed keys and values at a path. */
type Def = {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  options?: unknown[];
  in?: unknown;
  entries?: Record<string, unknown>;
};
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

function unwrap(s: unknown): unknown {
  let current = s;
  for (let i = 0; i < 10; i++) {
    const d = defOf(current);
    if (d.innerType) current = d.innerType;
    else if (d.type === 'pipe' && d.in) current = d.in;
    else return current;
  }
  return current;
}

function schemaAt(schema: unknown, path: YamlPath): unknown {
  let s = unwrap(schema);
  for (const segment of path) {
    const d = defOf(s);
    if (d.type === 'object' && typeof segment === 'string' && d.shape?.[segment])
      s = unwrap(d.shape[segment]);
    else if (d.type === 'array' && typeof segment === 'number' && d.element) s = unwrap(d.element);
    else if (d.type === 'record' && typeof segment === 'string')
      s = unwrap((d as { valueType?: unknown }).valueType);
    else if (d.type === 'union' && d.options) {
      // The form that has this key (platforms: {own} or {id, integrated_in}).
      const objects = d.options.map(unwrap).filter((o) => defOf(o).type === 'object');
      const object =
        objects.find((o) => typeof segment === 'string' && defOf(o).shape?.[segment]) ?? objects[0];
      if (!object) return undefined;
      s = schemaAt(object, [segment]);
    } else return undefined;
  }
  return s;
}

function keysAt(schema: unknown, path: YamlPath): string[] {
  const s = schemaAt(schema, path);
  if (!s) return [];
  const d = defOf(s);
  if (d.type === 'object' && d.shape) return Object.keys(d.shape);
  if (d.type === 'union' && d.options) {
    return d.options
      .map(unwrap)
      .flatMap((o) => (defOf(o).shape ? Object.keys(defOf(o).shape!) : []));
  }
  return [];
}

function unionChoices(schema: unknown, path: YamlPath): string[] {
  const s = schemaAt(schema, path);
  if (!s) return [];
  const d = defOf(s);
  const options = d.type === 'union' && d.options ? d.options.map(unwrap) : [s];
  return options.flatMap((o) => {
    const od = defOf(o);
    return od.type === 'enum' && od.entries ? Object.keys(od.entries) : [];
  });
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
