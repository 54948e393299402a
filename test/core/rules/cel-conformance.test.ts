import { Buffer } from 'node:buffer';
import {
  celList,
  celMap,
  celUint,
  isCelError,
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
} from '@bufbuild/cel';
import { tests } from '@bufbuild/cel-spec/testdata/conformance.js';
import { describe, expect, it } from 'vitest';
import { compileCel, compileCelBoth } from '../../../src/core/rules/cel.js';
import { type Engine, type ExprValue, runConformance } from '../../helpers/cel-conformance.js';

/** Rules run in our CEL environment (cel.ts): check that it keeps the spec's semantics. */
const ours: Engine = {
  evaluate(expression, bindings) {
    const result = compileCel(expression)(bindings as never);
    if (isCelError(result)) throw result;
    return result;
  },
  input(v: ExprValue): unknown {
    if ('int64Value' in v) return BigInt(String(v.int64Value));
    if ('uint64Value' in v) return celUint(BigInt(String(v.uint64Value)));
    if ('doubleValue' in v) return Number(v.doubleValue);
    if ('bytesValue' in v) return new Uint8Array(Buffer.from(String(v.bytesValue), 'base64'));
    if ('nullValue' in v) return null;
    if ('listValue' in v)
      return ((v.listValue as { values?: ExprValue[] }).values ?? []).map((x) => ours.input(x));
    if ('mapValue' in v)
      return new Map(
        ((v.mapValue as { entries?: { key: ExprValue; value: ExprValue }[] }).entries ?? []).map(
          (e) => [ours.input(e.key), ours.input(e.value)],
        ),
      );
    return v.boolValue ?? v.stringValue;
  },
  canonical(r: unknown): unknown {
    if (typeof r === 'bigint') return { int: String(r) };
    if (typeof r === 'number') return { double: r };
    if (r instanceof Uint8Array) return { bytes: Buffer.from(r).toString('hex') };
    if (isCelUint(r)) return { uint: String(r.value) };
    if (isCelList(r)) return [...r].map((x) => ours.canonical(x));
    if (isCelMap(r))
      return { map: [...r.entries()].map(([k, x]) => [ours.canonical(k), ours.canonical(x)]) };
    if (isCelType(r)) return { type: r.name };
    return r;
  },
};

describe('CEL conformance', () => {
  it('passes the cel-spec conformance tests for the parts of CEL rules use', () => {
    const result = runConformance(tests, ours);
    // Fails only on backquoted field names (`a.`b-c``, newer than @bufbuild/cel 0.6) and on a
    // map literal with keys equal across numeric types. An upgrade that breaks more shows here.
    expect(result.failed.sort()).toEqual([
      'fields/qualified_identifier_resolution/map_value_repeat_key_heterogeneous',
      'fields/quoted_map_fields/field_access_dash',
      'fields/quoted_map_fields/field_access_dot',
      'fields/quoted_map_fields/field_access_slash',
      'fields/quoted_map_fields/has_field_dash',
      'fields/quoted_map_fields/has_field_dot',
      'fields/quoted_map_fields/has_field_slash',
    ]);
    expect(result.run).toBeGreaterThan(1100);
  });
});

/**
 * The compiled closures (cel-compile.ts) through the same tests: bindings as rules get them
 * (CEL lists and maps, which the closures read directly), each expression by its closures when
 * it compiles, else by the library. Every test must come out as it does for the library.
 */
const counts = { compiled: 0, fellBack: 0, dottedBindings: 0 };
const compiled: Engine = {
  evaluate(expression, bindings) {
    const { fast, library } = compileCelBoth(expression);
    if (fast) counts.compiled++;
    else counts.fellBack++;
    // Dotted names (`a.b` bound as one variable) make the closures hand over to the library.
    if (fast && Object.keys(bindings).some((k) => k.includes('.'))) counts.dottedBindings++;
    const result = (fast ?? library)(bindings as never);
    if (isCelError(result)) throw result;
    return result;
  },
  input(v: ExprValue): unknown {
    const x = ours.input(v);
    if (Array.isArray(x)) return celList(x);
    if (x instanceof Map) return celMap(x);
    return x;
  },
  canonical: (r) => ours.canonical(r),
};

/** The library's own evaluator alone: what the closures are held to. */
const libraryOnly: Engine = {
  ...ours,
  evaluate(expression, bindings) {
    const result = compileCelBoth(expression).library(bindings as never);
    if (isCelError(result)) throw result;
    return result;
  },
};

describe('CEL conformance of the compiled closures', () => {
  it('passes exactly the conformance tests the library passes', () => {
    const library = runConformance(tests, libraryOnly);
    const result = runConformance(tests, compiled);
    expect(result.failed.sort()).toEqual(library.failed.sort());
    expect(result.run).toBe(library.run);
    // Most of the tests' expressions compile; the rest use the library.
    expect(counts.compiled).toBeGreaterThan(1000);
    console.log(
      `conformance: ${result.run} run, ${result.passed} passed; ${counts.compiled} by the closures ` +
        `(${counts.dottedBindings} of them handed over for dotted bindings), ${counts.fellBack} fell back`,
    );
  });
});
