import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Composer,
  Parser,
  type Node as YamlNode,
  type CST,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import { excerpt } from '../excerpt.js';
import { isForbiddenKey } from '../forbidden-keys.js';

/**
 * Parses YAML that comes from people we do not trust (a pull request's service.yml, a
 * repository's policy file). Everything is bounded before the recursive part of parsing runs,
 * so no input can exhaust the stack, memory or time.
 */

export interface YamlLimits {
  maxBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxNodes: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: 128 * 1024,
  maxDepth: 32,
  maxAliases: 16,
  maxNodes: 20_000,
};

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface ParsedYaml {
  value: unknown;
  /** Where a path points in the source: the value, or with `key`, the mapping key. */
  locate(path: YamlPath, options?: { key?: boolean }): Position;
}

export type YamlResult = { ok: true; yaml: ParsedYaml } | { ok: false; diagnostics: Diagnostic[] };

/** The YAML 1.2 core schema's own tags: writing them out changes nothing, so they are allowed. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Control characters that would reach a terminal or a log raw: C0 except tab, line feed and
 * carriage return (line ends), DEL, and C1. Written raw or as escapes ("\e", "\x9b").
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** In a parsed value only tab and line feed may remain: a carriage return can overwrite a line. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const VALUE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

type Locate = (offset: number) => Position;

/**
 * Each step either finds the first problem (a located diagnostic) or hands on what it built;
 * the limits are all checked before the recursive composer sees the input.
 */
export function parseUntrustedYaml(
  source: string,
  file: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): YamlResult {
  const tooLarge = checkSize(source, file, limits);
  if (tooLarge) return fail(tooLarge);
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const rawProblem = findRawControl(text, file) ?? findIndentTab(text, file);
  if (rawProblem) return fail(rawProblem);

  const lineCounter = new LineCounter();
  const at: Locate = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const shape = measureCst(text, lineCounter, limits.maxDepth);
  const shapeProblem = checkShape(shape, file, limits, at);
  if (shapeProblem) return fail(shapeProblem);

  const composed = compose(shape, text, file, at);
  if (!composed.ok) return composed;
  const nodeProblem = findNodeProblem(composed.doc, file, at);
  if (nodeProblem) return fail(nodeProblem);
  return toValue(composed.doc, shape, file, limits, at);
}

function checkSize(source: string, file: string, limits: YamlLimits): Diagnostic | undefined {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes <= limits.maxBytes) return undefined;
  return diagnostic({
    file,
    line: 1,
    column: 1,
    code: 'yaml/too-large',
    message: `${file} is ${bytes} bytes; the limit is ${limits.maxBytes}.`,
    hint: 'Keep service.yml to the facts and link to long documents (research findings, reports) instead of pasting them.',
  });
}

function findRawControl(text: string, file: string): Diagnostic | undefined {
  const control = RAW_CONTROL.exec(text);
  if (!control) return undefined;
  const before = text.slice(0, control.index).split('\n');
  return diagnostic({
    file,
    line: before.length,
    column: before.at(-1)!.length + 1,
    code: 'yaml/control-character',
    message: `${file} contains a control character (code ${control[0].charCodeAt(0)}).`,
    hint: 'Save the file as plain UTF-8 text; remove the invisible character at this position.',
  });
}

function findIndentTab(text: string, file: string): Diagnostic | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^( *)\t/.exec(lines[i]!);
    if (m)
      return diagnostic({
        file,
        line: i + 1,
        column: m[1]!.length + 1,
        code: 'yaml/tab-indent',
        message: 'A tab is used for indentation.',
        hint: 'YAML indentation must be spaces: replace the tab with two spaces.',
      });
  }
  return undefined;
}

function checkShape(
  shape: CstShape,
  file: string,
  limits: YamlLimits,
  at: Locate,
): Diagnostic | undefined {
  const located = (offset: number, code: string, message: string, hint: string) => {
    const p = at(offset);
    return diagnostic({ file, line: p.line, column: p.column, code, message, hint });
  };
  if (shape.documents > 1)
    return located(
      shape.secondDocumentOffset,
      'yaml/multiple-documents',
      `${file} holds ${shape.documents} YAML documents; it must hold one.`,
      "Remove the '---' separator and merge the documents into one.",
    );
  if (shape.maxDepth > limits.maxDepth)
    return located(
      shape.deepestOffset,
      'yaml/too-deep',
      `Nesting is deeper than ${limits.maxDepth} levels.`,
      'service.yml needs only a few levels of nesting; flatten this structure.',
    );
  if (shape.aliases > limits.maxAliases)
    return located(
      shape.firstAliasOffset,
      'yaml/too-many-aliases',
      `${shape.aliases} aliases are used; at most ${limits.maxAliases} are allowed.`,
      'Write the values out instead of repeating them with *aliases.',
    );
  if (shape.nodes > limits.maxNodes)
    return diagnostic({
      file,
      line: 1,
      column: 1,
      code: 'yaml/too-many-nodes',
      message: `${file} has more than ${limits.maxNodes} values.`,
      hint: 'Keep service.yml to the facts and link to long lists instead.',
    });
  return undefined;
}

/** Composes the document from the tokens measured: the source is lexed and parsed once. */
function compose(
  shape: CstShape,
  text: string,
  file: string,
  at: Locate,
): { ok: true; doc: Document } | { ok: false; diagnostics: Diagnostic[] } {
  const composer = new Composer({ uniqueKeys: true, strict: true, prettyErrors: false });
  const doc = [...composer.compose(shape.tokens, true, text.length)][0];
  if (!doc)
    return fail(
      diagnostic({
        file,
        line: 1,
        column: 1,
        code: 'yaml/empty',
        message: `${file} is empty.`,
        hint: 'Run `service-gate init` to write a starter file.',
      }),
    );
  const errors = doc.errors.map((e) => {
    const p = at(e.pos[0]);
    return diagnostic({
      file,
      line: p.line,
      column: p.column,
      code: `yaml/${e.code.toLowerCase().replace(/_/g, '-')}`,
      message: firstLine(e.message),
      hint: YAML_HINTS[e.code] ?? 'Fix the YAML syntax at this position.',
    });
  });
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2')
    return fail(
      diagnostic({
        file,
        line: 1,
        column: 1,
        code: 'yaml/version',
        message: `${file} declares YAML ${doc.directives.yaml.version}; only YAML 1.2 is read.`,
        hint: 'Remove the %YAML line. In YAML 1.2 write true/false, not yes/no.',
      }),
    );
  return { ok: true, doc };
}

function toValue(
  doc: Document,
  shape: CstShape,
  file: string,
  limits: YamlLimits,
  at: Locate,
): YamlResult {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliases * 4 });
  } catch (e) {
    // yaml reports some alias problems (unresolved, self-referencing, excessive) only here.
    const p = at(shape.firstAliasOffset);
    return fail(
      diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'yaml/bad-alias',
        message: `An alias cannot be resolved: ${(e as Error).message}.`,
        hint: 'Write the value out instead of using an *alias, or define the &anchor before it is used.',
      }),
    );
  }
  return {
    ok: true,
    yaml: { value, locate: (path, options) => at(offsetOf(doc, path, options?.key ?? false)) },
  };
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'Each key may appear once in a mapping: remove or rename the repeated key.',
  TAB_AS_INDENT: 'YAML indentation must be spaces: replace the tab with two spaces.',
  BAD_INDENT: 'Line the key up with its siblings, using spaces.',
  MISSING_CHAR: 'A closing quote or bracket is missing.',
  MULTILINE_IMPLICIT_KEY:
    "A key must fit on one line: check for a missing ':' or quote on the line before.",
  BLOCK_AS_IMPLICIT_KEY: "Check for a missing ':' after the key, or a value indented too far.",
  UNEXPECTED_TOKEN: 'Check for a stray character; quote values that contain : or #.',
  BAD_ALIAS: 'An alias (*name) must refer to an anchor (&name) defined earlier.',
};

function fail(d: Diagnostic): { ok: false; diagnostics: Diagnostic[] } {
  return { ok: false, diagnostics: [d] };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return line.endsWith('.') ? line : `${line}.`;
}

type Token = CST.Token;

interface CstShape {
  tokens: Token[];
  documents: number;
  secondDocumentOffset: number;
  maxDepth: number;
  deepestOffset: number;
  aliases: number;
  firstAliasOffset: number;
  nodes: number;
}

/**
 * Walks yaml's concrete syntax tree (built without recursion) with an explicit stack, so depth
 * and alias counts are known before the recursive composer ever sees the input.
 */
function measureCst(source: string, lineCounter: LineCounter, depthLimit: number): CstShape {
  const shape: CstShape = {
    tokens: [],
    documents: 0,
    secondDocumentOffset: 0,
    maxDepth: 0,
    deepestOffset: 0,
    aliases: 0,
    firstAliasOffset: 0,
    nodes: 0,
  };
  type CstLike = {
    type?: string;
    offset?: number;
    value?: unknown;
    key?: unknown;
    items?: unknown[];
    start?: unknown;
    sep?: unknown;
  };
  const stack: { token: CstLike; depth: number }[] = [];
  for (const token of new Parser(lineCounter.addNewLine).parse(source)) {
    shape.tokens.push(token);
    if (token.type === 'document') {
      shape.documents++;
      if (shape.documents === 2) shape.secondDocumentOffset = token.offset;
      stack.push({ token: token as CstLike, depth: 0 });
    }
    while (stack.length > 0) {
      const { token: t, depth } = stack.pop()!;
      shape.nodes++;
      if (depth > shape.maxDepth) {
        shape.maxDepth = depth;
        if (depth === depthLimit + 1) shape.deepestOffset = t.offset ?? 0;
      }
      if (t.type === 'alias') {
        if (shape.aliases === 0) shape.firstAliasOffset = t.offset ?? 0;
        shape.aliases++;
      }
      const children: unknown[] = [];
      if (t.value && typeof t.value === 'object') children.push(t.value);
      if (t.key && typeof t.key === 'object') children.push(t.key);
      const collection = Array.isArray(t.items);
      if (collection) {
        for (const item of t.items as CstLike[]) {
          if (item.key && typeof item.key === 'object') children.push(item.key);
          if (item.value && typeof item.value === 'object') children.push(item.value);
        }
      }
      const childDepth = collection ? depth + 1 : depth;
      for (const c of children) stack.push({ token: c as CstLike, depth: childDepth });
    }
  }
  return shape;
}

/**
 * One walk over the composed nodes (iterative: depth is bounded, but no recursion is needed) for
 * what the parser accepts and Service Gate does not: keys that are not plain values, keys that
 * reach a prototype, tags outside the core schema, and control characters in values.
 */
function findNodeProblem(doc: Document, file: string, at: Locate): Diagnostic | undefined {
  const located = (node: unknown, code: string, message: string, hint: string) => {
    const p = at((node as YamlNode | null)?.range?.[0] ?? 0);
    return diagnostic({ file, line: p.line, column: p.column, code, message, hint });
  };
  const unresolved = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unresolved) {
    const p = at(unresolved.pos[0]);
    const tag = /Unresolved tag: (\S+)/.exec(unresolved.message)?.[1] ?? 'here';
    return diagnostic({
      file,
      line: p.line,
      column: p.column,
      code: 'yaml/custom-tag',
      message: `The tag ${short(tag)} is not allowed.`,
      hint: TAG_HINT,
    });
  }
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag !== undefined && !CORE_TAGS.has(tag))
      return located(node, 'yaml/custom-tag', `The tag ${short(tag)} is not allowed.`, TAG_HINT);
    if (isScalar(node) && typeof node.value === 'string' && VALUE_CONTROL.test(node.value)) {
      const code = VALUE_CONTROL.exec(node.value)![0].charCodeAt(0);
      return located(
        node,
        'yaml/control-character',
        `This value contains a control character (code ${code}), written as an escape.`,
        'Remove the escape (such as \\e, \\a, \\0 or \\x1b): values are plain text.',
      );
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || (key.value !== null && typeof key.value === 'object'))
          return located(
            key,
            'yaml/forbidden-key',
            'A mapping key must be a plain value.',
            "Use a simple word as the key, e.g. 'name:'.",
          );
        if (isForbiddenKey(String(key.value)))
          return located(
            key,
            'yaml/forbidden-key',
            `The key ${excerpt(String(key.value))} is not allowed: no part of a key may be __proto__, constructor or prototype.`,
            'Remove this key; it has no meaning in Service Gate files.',
          );
        stack.push(key, pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

const TAG_HINT =
  'Remove the tag (such as !!js/function or !!python/object): Service Gate files hold plain values only.';

/** A tag as written, cut short: it is shown to people and comes from the file. */
function short(tag: string): string {
  const plain = tag.replace(/^tag:yaml\.org,2002:/, '!!');
  return JSON.stringify(plain.length > 40 ? `${plain.slice(0, 40)}…` : plain);
}

/**
 * Each mapping's pairs by key, built on first use: locating every one of thousands of unknown
 * keys would otherwise search the mapping once per key, quadratic in the file's size.
 */
const PAIRS_BY_KEY = new WeakMap<object, Map<unknown, Pair>>();

function pairFor(node: YAMLMap, segment: unknown): Pair | undefined {
  let index = PAIRS_BY_KEY.get(node);
  if (!index) {
    index = new Map();
    for (const p of node.items)
      if (isPair(p) && isScalar(p.key) && !index.has(p.key.value)) index.set(p.key.value, p);
    PAIRS_BY_KEY.set(node, index);
  }
  return index.get(segment);
}

function offsetOf(doc: Document, path: YamlPath, wantKey: boolean): number {
  let node: unknown = doc.contents;
  let best = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = pairFor(node, segment);
      if (!pair) break;
      const isLast = i === path.length - 1;
      const keyStart = (pair.key as YamlNode).range?.[0];
      if (isLast && wantKey && keyStart !== undefined) return keyStart;
      if (keyStart !== undefined) best = keyStart;
      node = pair.value;
      const valueStart = (node as YamlNode | null)?.range?.[0];
      if (isLast && valueStart !== undefined) best = valueStart;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      node = item;
      if (item.range) best = item.range[0];
    } else {
      break;
    }
  }
  return best;
}
