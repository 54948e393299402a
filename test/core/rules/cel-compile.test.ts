import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isCelError,
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
  type CelInput,
} from '@bufbuild/cel';
import { describe, expect, it } from 'vitest';
import { celView, evidenceView, policyView } from '../../../src/core/evaluate.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { effectivePolicies } from '../../../src/core/policy/effective.js';
import { compileCelBoth, toCel } from '../../../src/core/rules/cel.js';
import { bundledPacks } from '../../../src/run/bundled-packs.js';
import { readEvidence } from '../../../src/run/gather.js';
import { LocalScm } from '../../../src/scm/local.js';
import { TODAY } from '../../helpers/evaluate.js';

/**
 * The compiled closures (cel-compile.ts) against the library's own evaluator: every expression
 * of every bundled pack, over the views of every example and of broken variants of them
 * (keys missing, values of the wrong type, empty lists), must give the same value or an error
 * with the same message.
 */

type Vars = Record<string, CelInput>;

/** A comparable form: CEL types tagged, maps' entries in order, errors by message. */
function canonical(v: unknown): unknown {
  if (isCelError(v)) return { error: v.message };
  if (typeof v === 'bigint') return { int: String(v) };
  if (typeof v === 'number') return { double: Object.is(v, -0) ? '-0' : String(v) };
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (isCelUint(v)) return { uint: String(v.value) };
  if (isCelList(v)) return [...v].map(canonical);
  if (isCelMap(v)) return { map: [...v.entries()].map(([k, x]) => [canonical(k), canonical(x)]) };
  if (isCelType(v)) return { type: String(v) };
  return v;
}

const EXAMPLES = join(import.meta.dirname, '../../../examples');
const HOSTILE = join(import.meta.dirname, '../../fixtures/hostile');

async function exampleInputs(): Promise<{ name: string; service: object; repo: object }[]> {
  const out = [];
  for (const dir of readdirSync(EXAMPLES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const root = join(EXAMPLES, dir.name);
    const m = parseManifest(readFileSync(join(root, 'service.yml'), 'utf8'));
    if (!m.ok) continue;
    const evidence = await readEvidence(new LocalScm(root));
    out.push({ name: dir.name, service: celView(m.manifest), repo: evidenceView(evidence) });
  }
  for (const file of readdirSync(HOSTILE).filter((f) => f.endsWith('.yml'))) {
    const m = parseManifest(readFileSync(join(HOSTILE, file), 'utf8'));
    if (m.ok) out.push({ name: file, service: celView(m.manifest), repo: out[0]!.repo });
  }
  return out;
}

const WRONG: unknown[] = ['x', 42, 1.5, true, [], {}, [1, 'a'], null];

/** The view with one key (at the top or one level down) removed or given another type. */
function* variants(view: object): Generator<object> {
  const record = view as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const { [key]: _removed, ...rest } = record;
    yield rest;
    for (const wrong of WRONG) yield { ...record, [key]: wrong };
    const inner = record[key];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner))
      for (const k of Object.keys(inner)) {
        const { [k]: _gone, ...innerRest } = inner as Record<string, unknown>;
        yield { ...record, [key]: innerRest };
        yield { ...record, [key]: { ...innerRest, [k]: 'x' } };
        yield { ...record, [key]: { ...innerRest, [k]: [] } };
      }
  }
}

/** Every expression of every bundled rule, by rule, with its for_each when it has one. */
function bundledExpressions(): { forEach?: string; all: string[] }[] {
  const placeholders = (t: string | undefined) =>
    [...(t ?? '').matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1]!.trim());
  return bundledPacks().flatMap((p) =>
    p.rules.map((r) => {
      const s = r.source;
      const all = [s.when, s.for_each, s.require].filter((x): x is string => x !== undefined);
      all.push(...placeholders(s.message), ...placeholders(s.fix), ...placeholders(s.at));
      return { forEach: s.for_each, all };
    }),
  );
}

/** Evaluates with both programs; a difference is reported with the expression. */
function differences(expressions: readonly string[], scopes: readonly Vars[]): string[] {
  const out: string[] = [];
  for (const e of expressions) {
    const { fast, library } = compileCelBoth(e);
    if (!fast) continue;
    for (const vars of scopes) {
      const a = JSON.stringify(canonical(fast(vars)));
      const b = JSON.stringify(canonical(library(vars)));
      if (a !== b) out.push(`${e}\n  fast:    ${a}\n  library: ${b}`);
    }
  }
  return out;
}

const policy = policyView(effectivePolicies()());

function scopesOf(services: object[], repos: object[], bases: object[]): Vars[] {
  const out: Vars[] = [];
  for (const service of services)
    for (const repo of repos)
      for (const base of bases)
        out.push({
          service: toCel(service),
          repo: toCel(repo),
          policy,
          base: toCel(base),
          now: TODAY,
        });
  return out;
}

describe('compiled CEL', () => {
  it('compiles every expression of the bundled packs (none falls back)', () => {
    const all = [...new Set(bundledExpressions().flatMap((r) => r.all))];
    const fallBack = all.filter((e) => !compileCelBoth(e).fast);
    expect(fallBack).toEqual([]);
    expect(all.length).toBeGreaterThan(150);
  });

  it('gives the library’s results for every bundled expression over the examples and broken variants of them', async () => {
    const inputs = await exampleInputs();
    const rules = bundledExpressions();
    const bases = [{}, ...inputs.slice(0, 2).map((i) => i.service)];
    let compared = 0;
    const problems: string[] = [];
    const check = (scopes: Vars[]) => {
      for (const rule of rules) {
        problems.push(...differences(rule.all, scopes));
        compared += rule.all.length * scopes.length;
        // The for_each items, as runRule scopes them.
        if (!rule.forEach) continue;
        const list = compileCelBoth(rule.forEach).library;
        for (const vars of scopes) {
          const items = list(vars);
          if (!isCelList(items)) continue;
          const itemScopes = [...items]
            .slice(0, 4)
            .map((item, i) => ({ ...vars, item, index: BigInt(i) }) as Vars);
          problems.push(...differences(rule.all, itemScopes));
          compared += rule.all.length * itemScopes.length;
        }
      }
    };
    check(
      scopesOf(
        inputs.map((i) => i.service),
        inputs.slice(0, 3).map((i) => i.repo),
        bases,
      ),
    );
    for (const input of inputs.slice(0, 6)) {
      check(scopesOf([...variants(input.service)], [input.repo], [{}]));
      check(scopesOf([input.service], [...variants(input.repo)], [{}]));
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
  });

  it('gives the library’s results and errors on edge cases', async () => {
    const [example] = await exampleInputs();
    const scopes = [
      ...scopesOf([example!.service], [example!.repo], [{}]),
      { service: toCel({ a: [1, 'x'], m: { k: null } }), now: TODAY } as Vars,
      {} as Vars,
    ];
    const edge = [
      'missing.x && false',
      'false && missing.x',
      'missing.x || true',
      'true || missing',
      '1 && true',
      "'a' || false",
      "missing.x && 'a'",
      'missing.y || service.nope',
      '[1, 2].all(x, x / 0 > 1)',
      '[0, 1].exists(x, 1 / x == 1)',
      '[0, 1].exists_one(x, 1 / x == 1)',
      '[1, 2].map(x, x * 2)',
      '[1, 2, 3].filter(x, x > 1)',
      "{'a': 1, 'b': 2}.map(k, k)",
      "{'a': 1}.all(k, k == 'a')",
      '1.all(x, x)',
      'has(nope.x)',
      'has(service.nope)',
      'has(service.owner.nope)',
      'has(service.a)',
      'has(service.m.k)',
      'has(service.kind.x)',
      "{'a': 1}.b",
      "{'a': 1}['b']",
      "{'a': 1}[true]",
      '[1][5]',
      '[1][-1]',
      '[1][1.5]',
      '[1][0u]',
      '[1][null]',
      "[1]['a']",
      "'abc'.x",
      "'abc'[0]",
      'service.nope',
      'service.a[1]',
      'service.a[2]',
      'service.m.k',
      'service.m.k.z',
      'size(1)',
      "size('héllo')",
      'size(service.a)',
      "size({'a': 1})",
      'string([1])',
      'string(1.5)',
      'string(true)',
      'string(2)',
      "'AbC'.lowerAscii()",
      '1.lowerAscii()',
      "'abc'.startsWith(1)",
      "'abc'.contains('b')",
      "'abc'.endsWith('c')",
      "'abc'.matches('^a')",
      'type(1) == int',
      'int',
      'map',
      'type(service) == map',
      'type([]) == list',
      'type(1) != type(1u)',
      'type(null) == null_type',
      'null != 1',
      'service.m.k == null',
      "1 + 'a'",
      '9223372036854775807 + 1',
      "'a' + 'b'",
      '[1] + [2]',
      'service.kind == 1',
      '1 == 1.0',
      '1u == 1',
      "[1, 'a'] == [1, 'a']",
      "{'a': 1} == {'a': 1}",
      'null == null',
      "null == 'a'",
      "'a' < 'b'",
      '1 < 2',
      '1 < 2.0',
      "1 < 'a'",
      'true < false',
      "'a' in {'a': 1}",
      "'b' in ['a', 'b']",
      '1 in [1.0]',
      "1 in {'a': 1}",
      "'a' in 5",
      '!1',
      '!true',
      "true ? 1 : 'a'",
      "1 ? 'a' : 'b'",
      'missing ? 1 : 2',
      "(true ? {'a': 1} : {})['a']",
      "(false ? missing : {'a': 1})[service.kind]",
      "days_between('bad', now)",
      'days_between(now, now)',
      'phase_index(1)',
      "phase_index('alpha')",
      "assessment_status(service.assessments, 'alpha', now, 'x')",
      "assessment_status([], 'alpha', now, 3)",
      'shared_platform(service.platforms)',
      "shared_platform('x')",
      "semver_lt('1.0.0', '2.0.0')",
      'unknown_function(1)',
      "'a'.replace('a', 'b')",
      'now.size()',
      "service.a.exists(x, x == 'x')",
      '[[1], [2]].exists(l, l.exists(x, x == 2))',
      "timestamp('2020-01-01T00:00:00Z') < timestamp('2021-01-01T00:00:00Z')",
      "duration('1s') == duration('1000ms')",
    ];
    const problems = differences(edge, scopes);
    expect(problems).toEqual([]);
    const fellBack = edge.filter((e) => {
      try {
        return !compileCelBoth(e).fast;
      } catch {
        return true;
      }
    });
    // Refused: a field by name of a conditional (the library spreads the name into its
    // branches), and a function the environment lacks.
    expect(fellBack).toEqual(["(true ? {'a': 1} : {})['a']", 'unknown_function(1)']);
  });
});
