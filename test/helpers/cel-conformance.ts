import { Buffer } from 'node:buffer';
import type { SerializedIncrementalTestSuite } from '@bufbuild/cel-spec/testdata/tests.js';

/**
 * Runs the official cel-spec conformance data (as shipped in @bufbuild/cel-spec) through a CEL
 * engine, for the sections rules rely on: literals, comparisons, conversions, map fields, maths,
 * lists, logic, macros, parsing, strings and the strings extension, and timestamps. Tests that
 * need protobuf message types, containers or a type checker are skipped: rules use none.
 */

export const SECTIONS = [
  'basic',
  'comparisons',
  'conversions',
  'fields',
  'fp_math',
  'integer_math',
  'lists',
  'logic',
  'macros',
  'parse',
  'plumbing',
  'string',
  'string_ext',
  'timestamps',
];

/** A protobuf-JSON cel.expr.Value, as the conformance data writes expected values and bindings. */
export type ExprValue = Record<string, unknown>;

export interface Engine {
  /** Evaluates; throws on a CEL error. Bindings are already converted with `input`. */
  evaluate(expression: string, bindings: Record<string, unknown>): unknown;
  input(value: ExprValue): unknown;
  /** The result in the canonical form below. */
  canonical(result: unknown): unknown;
}

interface SimpleTest {
  name: string;
  expr: string;
  value?: ExprValue;
  evalError?: unknown;
  bindings?: Record<string, { value: ExprValue }>;
  container?: string;
  typeEnv?: unknown;
  checkOnly?: boolean;
  typedResult?: unknown;
}
/** Expected values in one comparable form: ints and uints tagged, bytes as hex, maps as pairs. */
export function canonicalExpected(v: ExprValue): unknown {
  if ('boolValue' in v) return v.boolValue;
  if ('int64Value' in v) return { int: String(v.int64Value) };
  if ('uint64Value' in v) return { uint: String(v.uint64Value) };
  if ('doubleValue' in v) return { double: Number(v.doubleValue) };
  if ('stringValue' in v) return v.stringValue;
  if ('bytesValue' in v)
    return { bytes: Buffer.from(String(v.bytesValue), 'base64').toString('hex') };
  if ('nullValue' in v) return null;
  if ('listValue' in v)
    return ((v.listValue as { values?: ExprValue[] }).values ?? []).map(canonicalExpected);
  if ('mapValue' in v)
    return {
      map: ((v.mapValue as { entries?: { key: ExprValue; value: ExprValue }[] }).entries ?? []).map(
        (e) => [canonicalExpected(e.key), canonicalExpected(e.value)],
      ),
    };
  if ('typeValue' in v) return { type: v.typeValue };
  throw new Error(`unsupported value ${Object.keys(v).join()}`);
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if ('double' in x && 'double' in y)
      return Object.is(x.double, y.double) || x.double === y.double;
    if (!Array.isArray(x) && 'map' in x && 'map' in y) {
      const [p, q] = [x.map as [unknown, unknown][], y.map as [unknown, unknown][]];
      return (
        p.length === q.length &&
        p.every(([k, v]) => q.some(([k2, v2]) => sameValue(k, k2) && sameValue(v, v2)))
      );
    }
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => sameValue(x[k], y[k]));
  }
  return a === b;
}

export interface ConformanceResult {
  run: number;
  passed: number;
  failed: string[];
}

export function runConformance(
  root: SerializedIncrementalTestSuite,
  engine: Engine,
): ConformanceResult {
  const result: ConformanceResult = { run: 0, passed: 0, failed: [] };
  const walk = (suite: SerializedIncrementalTestSuite, path: string) => {
    for (const test of suite.tests ?? []) {
      const t = test.original as SimpleTest;
      const needsProto = /conformance|TestAllTypes|google\.protobuf/.test(t.expr);
      const expectsObject =
        t.value !== undefined && ('objectValue' in t.value || 'enumValue' in t.value);
      if (needsProto || expectsObject || t.container || t.typeEnv || t.checkOnly) continue;
      if (t.typedResult || (t.value === undefined && t.evalError === undefined)) continue;
      result.run++;
      let ok: boolean;
      try {
        const bindings = Object.fromEntries(
          Object.entries(t.bindings ?? {}).map(([k, b]) => [k, engine.input(b.value)]),
        );
        const got = engine.canonical(engine.evaluate(t.expr, bindings));
        ok = t.value !== undefined && sameValue(got, canonicalExpected(t.value));
      } catch {
        ok = t.evalError !== undefined;
      }
      if (ok) result.passed++;
      else result.failed.push(`${path}/${t.name}`);
    }
    for (const s of suite.suites ?? []) walk(s, `${path}/${s.name}`);
  };
  for (const s of root.suites ?? []) if (SECTIONS.includes(s.name)) walk(s, s.name);
  return result;
}
