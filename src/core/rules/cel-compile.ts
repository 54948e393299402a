import {
  type CelEnv,
  type CelType,
  CelScalar,
  celError,
  celList,
  celListConcat,
  celMap,
  celType,
  celUint,
  isCelError,
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
  parse,
  plan,
} from '@bufbuild/cel';
import type { Constant, Expr, Expr_Call } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/**
 * Compiles a parsed CEL expression into plain JavaScript closures, for speed: @bufbuild/cel's
 * evaluator resolves every identifier through candidate names and the type registry, and
 * dispatches every call through overload matching, on every evaluation; rules are evaluated
 * thousands of times a second. The closures follow the library's evaluator (planner.js,
 * access.js) step by step, so results, `has()`, missing keys and errors' messages are the
 * library's; values stay the library's CEL values (celMap, celList, bigint ints).
 *
 * The subset: literals, identifiers, select, has(), index, list and map literals, && || !
 * ?: and @not_strictly_false, comprehensions (the macros), and calls of functions the
 * environment has. Hot calls (comparisons, `in`, `+`, size, string, the string methods rules
 * use, and the environment's own helpers) run directly; any other call, or a hot one with
 * operand types it does not handle, goes through the environment's own overload dispatch.
 * Anything else (optional access, messages, two-variable comprehensions, qualified function
 * names, a function the environment lacks) is `undefined`: the caller uses the library's plan.
 */

/** The variables an evaluation sees, and the comprehension variables (by slot). */
type Vars = Record<string, unknown>;
type Frame = unknown[];
/** A compiled node: a CEL value or CelError; `undefined` only from an unbound identifier chain. */
type Fn = (v: Vars, f: Frame) => unknown;

/** A helper's implementation, called directly when its arguments have the declared types. */
export interface DirectOverload {
  args: readonly CelType[];
  impl: (...args: never[]) => unknown;
}

export type Program = (vars: Vars) => unknown;

class Unsupported extends Error {}

/** What compiling one expression needs: the environment and the comprehension slots in use. */
interface Ctx {
  env: CelEnv;
  /** Helpers to call directly, by name. */
  direct: ReadonlyMap<string, readonly DirectOverload[]>;
  /** Names of FAST the environment defines as the standard library does. */
  standard: ReadonlySet<string>;
  /** Comprehension variable → frame slot, innermost binding last set. */
  scope: ReadonlyMap<string, number>;
  slots: { count: number };
}

/**
 * The fast program for `expr`, or undefined when it uses CEL outside the subset. `slow` is the
 * library's program for the same expression: it runs when the variables are not what the
 * closures assume (see plainVars).
 */
export function compileFast(
  env: CelEnv,
  expr: Expr,
  slow: Program,
  calls: Pick<Ctx, 'direct' | 'standard'>,
): Program | undefined {
  const ctx: Ctx = { env, ...calls, scope: new Map(), slots: { count: 0 } };
  let root: Fn;
  try {
    root = compile(expr, ctx);
  } catch {
    // Outside the subset (Unsupported), or a tree the compiler does not expect: the library's.
    return undefined;
  }
  const slots = ctx.slots.count;
  return (vars) => {
    if (!plainVars(vars)) return slow(vars);
    try {
      return root(vars, slots > 0 ? new Array<unknown>(slots) : NO_FRAME);
    } catch (e) {
      // As the library's plan does: an exception inside evaluation is the expression's error.
      return celError(e);
    }
  };
}

const NO_FRAME: Frame = [];

let lastVars: unknown;
let lastPlain = false;

/**
 * The closures read variables directly, as the library's activation would after converting
 * them: true when every value is already a CEL value (toCel would return it unchanged) and no
 * name has a dot (the library would try `a.b` as one variable before `a` then `.b`). Checked
 * once per variables object: runRule evaluates many expressions over the same one.
 */
function plainVars(vars: Vars | undefined): boolean {
  if (vars === lastVars) return lastPlain;
  let plain = vars !== null && typeof vars === 'object';
  if (plain)
    for (const k in vars) {
      if (k.includes('.') || !isCelValue(vars![k])) {
        plain = false;
        break;
      }
    }
  lastVars = vars;
  lastPlain = plain;
  return plain;
}

function isCelValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'bigint':
    case 'boolean':
    case 'number':
    case 'undefined':
      return true;
    case 'object':
      return (
        v === null ||
        isCelMap(v) ||
        isCelList(v) ||
        isCelUint(v) ||
        isCelType(v) ||
        isCelError(v) ||
        v instanceof Uint8Array
      );
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Nodes

function compile(e: Expr, ctx: Ctx): Fn {
  const node = e.exprKind;
  switch (node.case) {
    case 'constExpr': {
      const value = constant(node.value);
      return () => value;
    }
    case 'identExpr':
      return evaluated(ident(node.value.name, ctx, true));
    case 'selectExpr':
      if (node.value.testOnly) return has(e, ctx);
      return fieldChain(e, ctx, true) ?? evaluated(attr(e, ctx, true));
    case 'callExpr':
      return call(e, node.value, ctx);
    case 'listExpr':
      return list(node.value.elements, (node.value.optionalIndices?.length ?? 0) > 0, ctx);
    case 'structExpr':
      return mapLiteral(node.value, ctx);
    case 'comprehensionExpr':
      return comprehension(node.value, ctx);
    default:
      throw new Unsupported();
  }
}

/** An attribute evaluated: unresolved is the library's "unresolved attribute" error. */
function evaluated(resolve: Fn): Fn {
  return (v, f) => {
    const x = resolve(v, f);
    return x === undefined ? celError('unresolved attribute') : x;
  };
}

function constant(c: Constant): unknown {
  const k = c.constantKind;
  switch (k.case) {
    case 'stringValue':
    case 'boolValue':
    case 'int64Value':
    case 'doubleValue':
    case 'bytesValue':
      return k.value;
    case 'uint64Value':
      return celUint(k.value);
    case 'nullValue':
      return null;
    default:
      throw new Unsupported();
  }
}

/**
 * An identifier, a select or an index chain, resolved as the library's attributes are:
 * `undefined` when the root identifier is bound to nothing. `bare` is true when nothing is
 * selected from the result: only then may an unbound name be a type (`map`, `int`).
 */
function attr(e: Expr, ctx: Ctx, bare: boolean): Fn {
  const node = e.exprKind;
  if (node.case === 'identExpr') return ident(node.value.name, ctx, bare);
  const fused = fieldChain(e, ctx, false);
  if (fused) return fused;
  if (node.case === 'selectExpr' && !node.value.testOnly) {
    refuseTypeName(e, ctx);
    const field = node.value.field;
    const operand = node.value.operand!;
    const base = operandAttr(operand, true, ctx);
    return (v, f) => {
      const x = base(v, f);
      if (x === undefined || isCelError(x)) return x;
      return selectField(x, field, ctx.env);
    };
  }
  if (node.case === 'callExpr' && node.value.function === '_[_]' && !node.value.target) {
    const [operand, key] = node.value.args as [Expr, Expr];
    const stringKey =
      key.exprKind.case === 'constExpr' && key.exprKind.value.constantKind.case === 'stringValue';
    if (stringKey) refuseTypeName(e, ctx);
    const base = operandAttr(operand, stringKey, ctx);
    const k = compile(key, ctx);
    return (v, f) => {
      const x = base(v, f);
      if (x === undefined || isCelError(x)) return x;
      const kv = k(v, f);
      if (isCelError(kv)) return kv;
      return indexBy(x, kv, ctx.env);
    };
  }
  return compile(e, ctx);
}

/**
 * `a.b.c` (or `a['b'].c`) as one loop over the field names rather than a closure per step:
 * the commonest node in rules. The same steps as selectField, undefined for an unbound root.
 */
function fieldChain(e: Expr, ctx: Ctx, evaluate: boolean): Fn | undefined {
  const fields: string[] = [];
  let node = e;
  for (;;) {
    const k = node.exprKind;
    if (k.case === 'identExpr') break;
    const step = fieldStep(node);
    if (step === undefined) return undefined;
    refuseTypeName(node, ctx);
    fields.unshift(step.field);
    node = step.operand;
  }
  const root = ident((node.exprKind.value as { name: string }).name, ctx, false);
  return (v, f) => {
    let x = root(v, f);
    if (x === undefined) return evaluate ? celError('unresolved attribute') : undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      // Maps first: nearly every step is one.
      if (isCelMap(x)) {
        const r = x.get(field);
        if (r === undefined) return fieldNotFound(field);
        x = r;
      } else if (isCelError(x)) return x;
      else x = selectField(x, field, ctx.env);
    }
    return x;
  };
}

/** A select, or an index by a constant string, as the field and what it is taken from. */
function fieldStep(e: Expr): { field: string; operand: Expr } | undefined {
  const k = e.exprKind;
  if (k.case === 'selectExpr' && !k.value.testOnly)
    return { field: k.value.field, operand: k.value.operand! };
  if (k.case !== 'callExpr' || k.value.function !== '_[_]' || k.value.target) return undefined;
  const [operand, key] = k.value.args as [Expr, Expr];
  const c = key.exprKind;
  if (c.case !== 'constExpr' || c.value.constantKind.case !== 'stringValue') return undefined;
  return { field: c.value.constantKind.value, operand };
}

/**
 * A field name selected from an identifier chain makes the library also try the dotted name as
 * one variable or type (`a.b`): variables never have dots (plainVars), and a chain that names a
 * message or enum type is refused.
 */
function refuseTypeName(e: Expr, ctx: Ctx): void {
  const name = chainName(e);
  if (name === undefined) return;
  const registry = ctx.env.registry;
  const dot = name.lastIndexOf('.');
  if (registry.getMessage(name) || (dot > 1 && registry.getEnum(name.slice(0, dot))))
    throw new Unsupported();
}

/**
 * The operand of a select or index. Selecting a field from a conditional spreads the dotted
 * names above into its branches: refused (no rule does it).
 */
function operandAttr(operand: Expr, byName: boolean, ctx: Ctx): Fn {
  if (byName && conditionalBase(operand)) throw new Unsupported();
  return attr(operand, ctx, false);
}

/** `a.b.c` for an identifier chain (with constant string indexes as fields), else undefined. */
function chainName(e: Expr): string | undefined {
  const node = e.exprKind;
  if (node.case === 'identExpr') return node.value.name;
  if (node.case === 'selectExpr' && !node.value.testOnly) {
    const base = chainName(node.value.operand!);
    return base === undefined ? undefined : `${base}.${node.value.field}`;
  }
  if (node.case === 'callExpr' && node.value.function === '_[_]') {
    const [operand, key] = node.value.args as [Expr, Expr];
    const k = key.exprKind;
    if (k.case !== 'constExpr' || k.value.constantKind.case !== 'stringValue') return undefined;
    const base = chainName(operand);
    return base === undefined ? undefined : `${base}.${k.value.constantKind.value}`;
  }
  return undefined;
}

function conditionalBase(e: Expr): boolean {
  const node = e.exprKind;
  if (node.case === 'selectExpr' && !node.value.testOnly)
    return conditionalBase(node.value.operand!);
  if (node.case !== 'callExpr') return false;
  if (node.value.function === '_?_:_') return true;
  return node.value.function === '_[_]' && conditionalBase(node.value.args[0]!);
}

/** What the library makes of a lone name bound to no variable: a type (`map`), else undefined. */
const typeNames = new WeakMap<CelEnv, Map<string, unknown>>();
function typeNamed(env: CelEnv, name: string): unknown {
  let names = typeNames.get(env);
  if (names === undefined) typeNames.set(env, (names = new Map()));
  if (!names.has(name)) {
    const r = plan(env, identTree(name, 1))({});
    names.set(name, isCelError(r) ? undefined : r);
  }
  return names.get(name);
}

/** The syntax tree of one identifier, as the parser writes it. */
function identTree(name: string, id: number): Expr {
  return { id: BigInt(id), exprKind: { case: 'identExpr', value: { name } } } as unknown as Expr;
}

function ident(name: string, ctx: Ctx, bare: boolean): Fn {
  const slot = ctx.scope.get(name);
  if (slot !== undefined) return (_v, f) => f[slot];
  const type = bare ? typeNamed(ctx.env, name) : undefined;
  if (type === undefined) return (v) => v[name];
  return (v) => {
    const x = v[name];
    return x === undefined ? type : x;
  };
}

function fieldNotFound(name: unknown): unknown {
  return celError(`field not found: ${String(name)}`);
}

/** `x.name`, or `x['name']`: a map's entry; anything else but a message has no fields. */
function selectField(x: unknown, name: string, env: CelEnv): unknown {
  if (isCelMap(x)) {
    const r = x.get(name);
    return r === undefined ? fieldNotFound(name) : r;
  }
  if (isMessage(x)) return viaLibrary(env, 'x[k]', { x, k: name });
  return fieldNotFound(name);
}

/** An object that is no CEL value of ours: a protobuf message, for the library to read. */
function isMessage(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !isCelValue(x);
}

function byIndex(x: unknown, key: unknown): unknown {
  if (isCelMap(x)) return x.get(key as never);
  if (isCelList(x)) return x.get(Number(key));
  return undefined;
}

/** `x[key]`: how the library's accesses read each type of key. */
function indexBy(x: unknown, key: unknown, env: CelEnv): unknown {
  switch (typeof key) {
    case 'string':
      return selectField(x, key, env);
    case 'bigint': {
      const r = byIndex(x, key);
      return r === undefined ? outOfBounds(Number(key)) : r;
    }
    case 'number': {
      const r = byIndex(x, key);
      return r === undefined ? outOfBounds(key) : r;
    }
    case 'boolean': {
      const r = byIndex(x, key);
      return r === undefined ? fieldNotFound(key) : r;
    }
    case 'object':
      if (isCelUint(key)) {
        const r = byIndex(x, key.value);
        return r === undefined ? outOfBounds(Number(key.value)) : r;
      }
  }
  return celError('unsupported key type');
}

function outOfBounds(index: number): unknown {
  return celError(`index ${index} out of bounds [0, -1)`);
}

/** has(x.f): false when x's root is unbound; a map's key present and not null. */
function has(e: Expr, ctx: Ctx): Fn {
  const node = e.exprKind.value as { operand: Expr; field: string };
  const field = node.field;
  if (conditionalBase(node.operand)) throw new Unsupported();
  const operand = attr(node.operand, ctx, true);
  return (v, f) => {
    const x = operand(v, f);
    if (x === undefined) return false;
    if (isCelError(x)) return x;
    if (isCelMap(x)) return x.has(field);
    if (isMessage(x)) return viaLibrary(ctx.env, `has(x.${field})`, { x });
    return false;
  };
}

function list(elements: Expr[], optional: boolean, ctx: Ctx): Fn {
  if (optional) throw new Unsupported();
  const items = elements.map((x) => compile(x, ctx));
  const constants = elements.every((x) => x.exprKind.case === 'constExpr');
  if (constants) {
    // Values are immutable: one list serves every evaluation.
    const fixed = celList(items.map((x) => x({}, NO_FRAME)) as never);
    return () => fixed;
  }
  return (v, f) => {
    const out: unknown[] = [];
    for (const item of items) {
      const x = item(v, f);
      if (isCelError(x)) return x;
      out.push(x);
    }
    return celList(out as never);
  };
}

/** A map literal with distinct constant string keys (others, and messages, are the library's). */
function mapLiteral(
  node: Extract<Expr['exprKind'], { case: 'structExpr' }>['value'],
  ctx: Ctx,
): Fn {
  if (node.messageName !== '') throw new Unsupported();
  const keys: string[] = [];
  const values: Fn[] = [];
  for (const entry of node.entries) {
    const k = entry.keyKind;
    if (entry.optionalEntry || k.case !== 'mapKey') throw new Unsupported();
    const key = k.value.exprKind;
    if (key.case !== 'constExpr' || key.value.constantKind.case !== 'stringValue')
      throw new Unsupported();
    const name = key.value.constantKind.value;
    if (keys.includes(name)) throw new Unsupported();
    keys.push(name);
    values.push(compile(entry.value!, ctx));
  }
  const build = (v: Vars, f: Frame): unknown => {
    const entries = new Map<string, unknown>();
    for (let i = 0; i < keys.length; i++) {
      const x = values[i]!(v, f);
      if (isCelError(x)) return x;
      entries.set(keys[i]!, x);
    }
    return celMap(entries as never);
  };
  if (node.entries.every((x) => x.value!.exprKind.case === 'constExpr')) {
    const fixed = build({}, NO_FRAME);
    return () => fixed;
  }
  return build;
}

const BREAK = Symbol('break');

/** The macros' expansion, run as the library's fold: accumulator, range, condition, step. */
function comprehension(
  node: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value'],
  ctx: Ctx,
): Fn {
  if ((node.iterVar2 ?? '') !== '') throw new Unsupported();
  const iterSlot = ctx.slots.count++;
  const accuSlot = ctx.slots.count++;
  const init = compile(node.accuInit!, ctx);
  const range = compile(node.iterRange!, ctx);
  const withAccu = new Map(ctx.scope).set(node.accuVar, accuSlot);
  const inLoop = { ...ctx, scope: new Map(withAccu).set(node.iterVar, iterSlot) };
  const cond = compile(node.loopCondition!, inLoop);
  const step = compile(node.loopStep!, inLoop);
  const result = compile(node.result!, { ...ctx, scope: withAccu });
  /** One item: undefined to go on, BREAK when the condition is no longer true, or an error. */
  const loop = (item: unknown, v: Vars, f: Frame): unknown => {
    if (isCelError(item)) return item;
    f[iterSlot] = item;
    const c = cond(v, f);
    if (isCelError(c)) return c;
    if (c !== true) return BREAK;
    f[accuSlot] = step(v, f);
    return undefined;
  };
  return (v, f) => {
    const accu = init(v, f);
    if (isCelError(accu)) return accu;
    const r = range(v, f);
    if (isCelError(r)) return r;
    f[accuSlot] = accu;
    if (isCelList(r)) {
      // By index rather than Array.from(list), as the library does: the same items (lists
      // do not change), without a generator.
      for (let i = 0, n = r.size; i < n; i++) {
        const stop = loop(r.get(i), v, f);
        if (stop === BREAK) break;
        if (stop !== undefined) return stop;
      }
    } else if (isCelMap(r)) {
      for (const key of Array.from(r.keys())) {
        const stop = loop(key, v, f);
        if (stop === BREAK) break;
        if (stop !== undefined) return stop;
      }
    } else return celError(`type mismatch: iterable vs ${celType(r as never)}`);
    return result(v, f);
  };
}

// ---------------------------------------------------------------------------------------------
// Calls

function call(e: Expr, node: Expr_Call, ctx: Ctx): Fn {
  const name = node.function;
  switch (name) {
    case '_[_]':
      return evaluated(attr(e, ctx, true));
    case '_&&_':
      return logic(node.args, false, ctx);
    case '_||_':
      return logic(node.args, true, ctx);
    case '@not_strictly_false':
    case '__not_strictly_false__': {
      const arg = compile(node.args[0]!, ctx);
      return (v, f) => arg(v, f) !== false;
    }
    case '_?_:_':
      return conditional(node.args as [Expr, Expr, Expr], ctx);
    case '_[?_]':
    case '_?._':
      throw new Unsupported();
  }
  return functionCall(Number(e.id), node, ctx);
}

/**
 * && and ||, commutative over errors as CEL says: the deciding value wins wherever it is;
 * otherwise the first error (the library merges the rest into its cause; the message is the
 * first's).
 */
function logic(args: Expr[], decides: boolean, ctx: Ctx): Fn {
  const parts = args.map((x) => compile(x, ctx));
  return (v, f) => {
    let error: unknown;
    for (const part of parts) {
      const x = part(v, f);
      if (x === decides) return decides;
      if (typeof x === 'boolean') continue;
      error ??= isCelError(x)
        ? x
        : celError(`type mismatch: expected bool, got ${celType(x as never)}`);
    }
    return error ?? !decides;
  };
}

function conditional([c, t, e]: [Expr, Expr, Expr], ctx: Ctx): Fn {
  const cond = compile(c, ctx);
  const then = compile(t, ctx);
  const otherwise = compile(e, ctx);
  return (v, f) => {
    const x = cond(v, f);
    if (x === true) return then(v, f);
    if (x === false) return otherwise(v, f);
    if (isCelError(x)) return x;
    return celError(
      `found no matching overload for _?_:_ applied to '(${celType(x as never).name})'`,
    );
  };
}

/** Sentinel: the fast implementation does not handle these operand types. */
const PASS = Symbol('pass');
/** A fast implementation: the target (methods) and up to two arguments. */
type Fast = (target: unknown, a: unknown, b: unknown) => unknown;

function functionCall(id: number, node: Expr_Call, ctx: Ctx): Fn {
  const name = node.function;
  const method = node.target !== undefined;
  // `a.b.f(x)` may name a function `a.b.f` (the library checks that first): refused.
  const qualified = node.target && chainName(node.target);
  if (qualified !== undefined && ctx.env.funcs.find(`${qualified}.${name}`))
    throw new Unsupported();
  if (ctx.env.funcs.find(name) === undefined) throw new Unsupported();
  const target = node.target ? compile(node.target, ctx) : undefined;
  const args = node.args.map((x) => compile(x, ctx));
  const dispatch = libraryCall(ctx.env, id, name, method, args.length);
  const direct = method ? undefined : ctx.direct.get(name);
  const fast = direct === undefined ? standardFor(name, method, args.length, ctx) : undefined;
  if (fast) return fastCall(fast, target, args, dispatch);
  const viaArray = direct && helper(direct);
  // Target first, then the arguments in order; the first error is the call's.
  return (v, f) => {
    let t: unknown;
    if (target) {
      t = target(v, f);
      if (isCelError(t)) return t;
    }
    const vals: unknown[] = [];
    for (const arg of args) {
      const x = arg(v, f);
      if (isCelError(x)) return x;
      vals.push(x);
    }
    if (viaArray) {
      const r = viaArray(vals);
      if (r !== PASS) return r;
    }
    return dispatch(t, vals);
  };
}

/** A call with a standard fast implementation: up to two operands, passed as they are. */
function fastCall(
  fast: Fast,
  target: Fn | undefined,
  args: Fn[],
  dispatch: (t: unknown, vals: unknown[]) => unknown,
): Fn {
  const [first, second] = args as [Fn | undefined, Fn | undefined];
  if (target && first === undefined)
    return (v, f) => {
      const t = target(v, f);
      if (isCelError(t)) return t;
      const r = fast(t, undefined, undefined);
      return r !== PASS ? r : dispatch(t, []);
    };
  if (target)
    return (v, f) => {
      const t = target(v, f);
      if (isCelError(t)) return t;
      const a = first!(v, f);
      if (isCelError(a)) return a;
      const r = fast(t, a, undefined);
      return r !== PASS ? r : dispatch(t, [a]);
    };
  if (second === undefined)
    return (v, f) => {
      const a = first!(v, f);
      if (isCelError(a)) return a;
      const r = fast(undefined, a, undefined);
      return r !== PASS ? r : dispatch(undefined, [a]);
    };
  return (v, f) => {
    const a = first!(v, f);
    if (isCelError(a)) return a;
    const b = second(v, f);
    if (isCelError(b)) return b;
    const r = fast(undefined, a, b);
    return r !== PASS ? r : dispatch(undefined, [a, b]);
  };
}

/**
 * Direct implementations of the calls rules make most, for the operand types they see; PASS
 * for anything else. They are the standard library's (std/logic.js, std/cast.js, the strings
 * extension), used only while the environment defines the name as the standard library does.
 */
function standardFor(name: string, method: boolean, arity: number, ctx: Ctx): Fast | undefined {
  if (!ctx.standard.has(name)) return undefined;
  return FAST[`${method ? 'method' : 'func'} ${name}/${arity}`];
}

const FAST: Record<string, Fast> = {
  'func _==_/2': (_t, a, b) => {
    const same = equalsFast(a, b);
    return same === PASS ? PASS : same;
  },
  'func _!=_/2': (_t, a, b) => {
    const same = equalsFast(a, b);
    return same === PASS ? PASS : !same;
  },
  'func _<_/2': (_t, a, b) => (ordered(a, b) ? (a as string) < (b as string) : PASS),
  'func _<=_/2': (_t, a, b) => (ordered(a, b) ? (a as string) <= (b as string) : PASS),
  'func _>_/2': (_t, a, b) => (ordered(a, b) ? (a as string) > (b as string) : PASS),
  'func _>=_/2': (_t, a, b) => (ordered(a, b) ? (a as string) >= (b as string) : PASS),
  'func @in/2': (_t, a, b) => {
    // A string equals only the same string, so list membership is ===.
    if (typeof a !== 'string') return PASS;
    if (isCelMap(b)) return b.has(a);
    if (!isCelList(b)) return PASS;
    for (let i = 0, n = b.size; i < n; i++) if (b.get(i) === a) return true;
    return false;
  },
  'func _+_/2': (_t, a, b) => {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (isCelList(a) && isCelList(b)) return celListConcat(a, b);
    return PASS;
  },
  'func !_/1': (_t, a) => (typeof a === 'boolean' ? !a : PASS),
  'func size/1': (_t, a) => size(a),
  'method size/0': (t) => size(t),
  'func string/1': (_t, a) =>
    typeof a === 'string' ? a : typeof a === 'bigint' ? a.toString() : PASS,
  'method startsWith/1': (t, a) =>
    typeof t === 'string' && typeof a === 'string' ? t.startsWith(a) : PASS,
  'method endsWith/1': (t, a) =>
    typeof t === 'string' && typeof a === 'string' ? t.endsWith(a) : PASS,
  'method contains/1': (t, a) =>
    typeof t === 'string' && typeof a === 'string' ? t.includes(a) : PASS,
  // The library's toType, for values that are no protobuf message.
  'func type/1': (_t, a) => (isCelValue(a) ? celType(a as never) : PASS),
  'method lowerAscii/0': (t) => (typeof t === 'string' ? lowerAscii(t) : PASS),
};

/** The strings extension's lowerAscii: only A-Z change. */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Names the fast table implements: cel.ts checks the environment defines them as std does. */
export const FAST_NAMES = [
  ...new Set(Object.keys(FAST).map((k) => k.split(' ')[1]!.split('/')[0]!)),
];

/**
 * The library's equals (equals.js) where it is plain: two strings, ints or bools; null, which
 * equals only null; two types, equal by kind and name. PASS for the rest (numbers across
 * types, lists, maps).
 */
function equalsFast(a: unknown, b: unknown): boolean | typeof PASS {
  const t = typeof a;
  if (t === typeof b && (t === 'string' || t === 'bigint' || t === 'boolean')) return a === b;
  if (a === null || b === null) return a === b;
  if (isCelType(a) && isCelType(b)) return a.kind === b.kind && a.name === b.name;
  return PASS;
}

function ordered(a: unknown, b: unknown): boolean {
  const t = typeof a;
  return t === typeof b && (t === 'string' || t === 'bigint');
}

function size(a: unknown): unknown {
  if (typeof a === 'string') return BigInt([...a].length);
  if (isCelList(a) || isCelMap(a)) return BigInt(a.size);
  return PASS;
}

/** The environment's own helpers, called directly for the first overload whose types fit. */
function helper(overloads: readonly DirectOverload[]): (args: unknown[]) => unknown {
  const checks = overloads.map((o) => ({
    impl: o.impl as (...a: unknown[]) => unknown,
    fits: o.args.map(accepts),
  }));
  return (args) => {
    for (const { impl, fits } of checks) {
      if (!fitsAll(fits, args)) continue;
      try {
        return impl(...args);
      } catch (e) {
        // As the library's Callable.call: a throwing helper is the call's error.
        return celError(e);
      }
    }
    return PASS;
  };
}

function fitsAll(fits: ((v: unknown) => boolean)[], args: unknown[]): boolean {
  if (fits.length !== args.length) return false;
  for (let i = 0; i < fits.length; i++) if (!fits[i]!(args[i])) return false;
  return true;
}

/** Whether a value has a declared argument type, as the library's isSubtypeOf decides. */
function accepts(type: CelType): (v: unknown) => boolean {
  if (type === CelScalar.DYN) return () => true;
  if (type === CelScalar.STRING) return (v) => typeof v === 'string';
  if (type === CelScalar.INT) return (v) => typeof v === 'bigint';
  if (type === CelScalar.BOOL) return (v) => typeof v === 'boolean';
  return (v) => {
    const t = celType(v as never);
    return t.kind === type.kind && t.name === type.name;
  };
}

/**
 * The library's own evaluation of the call over values already computed (`t.f(a0, a1)` with
 * those as variables): its overload dispatch and its error when none fits. Through a program,
 * not FuncGroup.call, because timestamps and durations need the evaluation context a program
 * sets up.
 */
function libraryCall(
  env: CelEnv,
  id: number,
  name: string,
  method: boolean,
  arity: number,
): (t: unknown, vals: unknown[]) => unknown {
  const names = Array.from({ length: arity }, (_, i) => `a${i}`);
  const variable = identTree;
  const tree = {
    id: BigInt(id),
    exprKind: {
      case: 'callExpr',
      value: {
        function: name,
        target: method ? variable('t', id + 1) : undefined,
        args: names.map((n, i) => variable(n, id + 2 + i)),
      },
    },
  };
  let program: ((vars: Vars) => unknown) | undefined;
  return (t, vals) => {
    program ??= plan(env, tree as unknown as Expr) as (vars: Vars) => unknown;
    const vars: Vars = { t };
    for (let i = 0; i < vals.length; i++) vars[names[i]!] = vals[i];
    return program(vars);
  };
}

// ---------------------------------------------------------------------------------------------

/** The library's evaluation of a small expression over `x`: for values the closures do not read. */
const viaLibraryPrograms = new WeakMap<CelEnv, Map<string, (vars: Vars) => unknown>>();
function viaLibrary(env: CelEnv, source: string, vars: Vars): unknown {
  let programs = viaLibraryPrograms.get(env);
  if (programs === undefined) viaLibraryPrograms.set(env, (programs = new Map()));
  let p = programs.get(source);
  if (p === undefined) {
    p = plan(env, parse(source)) as (vars: Vars) => unknown;
    programs.set(source, p);
  }
  return p(vars);
}
