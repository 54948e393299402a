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
} from 'yaml';
import { type Diagnostic, diagnostic } from '../diagnostics.js';

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

/** Keys that would reach an object's prototype chain if a consumer copied them naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseUntrustedYaml(
  source: string,
  file: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): YamlResult {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes) {
    return fail(
      diagnostic({
        file,
        line: 1,
        column: 1,
        code: 'yaml/too-large',
        message: `${file} is ${bytes} bytes; the limit is ${limits.maxBytes}.`,
        hint: 'Keep service.yml to the facts and link to long documents (research findings, reports) instead of pasting them.',
      }),
    );
  }
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);

  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const failAt = (offset: number, code: string, message: string, hint: string): YamlResult => {
    const p = at(offset);
    return fail(diagnostic({ file, line: p.line, column: p.column, code, message, hint }));
  };

  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(source);
  if (control) {
    const before = source.slice(0, control.index).split('\n');
    const p = { line: before.length, column: before.at(-1)!.length + 1 };
    return fail(
      diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'yaml/control-character',
        message: `${file} contains a control character (code ${control[0].charCodeAt(0)}).`,
        hint: 'Save the file as plain UTF-8 text; remove the invisible character at this position.',
      }),
    );
  }

  const tab = findIndentTab(source);
  if (tab) {
    return fail(
      diagnostic({
        file,
        line: tab.line,
        column: tab.column,
        code: 'yaml/tab-indent',
        message: 'A tab is used for indentation.',
        hint: 'YAML indentation must be spaces: replace the tab with two spaces.',
      }),
    );
  }

  const shape = measureCst(source, lineCounter, limits.maxDepth);
  if (shape.documents > 1) {
    return failAt(
      shape.secondDocumentOffset,
      'yaml/multiple-documents',
      `${file} holds ${shape.documents} YAML documents; it must hold one.`,
      "Remove the '---' separator and merge the documents into one.",
    );
  }
  if (shape.maxDepth > limits.maxDepth) {
    return failAt(
      shape.deepestOffset,
      'yaml/too-deep',
      `Nesting is deeper than ${limits.maxDepth} levels.`,
      'service.yml needs only a few levels of nesting; flatten this structure.',
    );
  }
  if (shape.aliases > limits.maxAliases) {
    return failAt(
      shape.firstAliasOffset,
      'yaml/too-many-aliases',
      `${shape.aliases} aliases are used; at most ${limits.maxAliases} are allowed.`,
      'Write the values out instead of repeating them with *aliases.',
    );
  }
  if (shape.nodes > limits.maxNodes) {
    return fail(
      diagnostic({
        file,
        line: 1,
        column: 1,
        code: 'yaml/too-many-nodes',
        message: `${file} has more than ${limits.maxNodes} values.`,
        hint: 'Keep service.yml to the facts and link to long lists instead.',
      }),
    );
  }

  // Compose from the tokens measured above: the source is lexed and parsed once.
  const composer = new Composer({ uniqueKeys: true, strict: true, prettyErrors: false });
  const doc = [...composer.compose(shape.tokens, true, source.length)][0];
  if (!doc) {
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
  }
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

  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
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
  }

  const keyProblem = findForbiddenKey(doc);
  if (keyProblem) {
    const p = at(keyProblem.offset);
    return fail(
      diagnostic({
        file,
        line: p.line,
        column: p.column,
        code: 'yaml/forbidden-key',
        message: keyProblem.message,
        hint: keyProblem.hint,
      }),
    );
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliases * 4 });
  } catch (e) {
    // yaml reports some alias problems (unresolved, self-referencing, excessive) only here.
    return failAt(
      shape.firstAliasOffset,
      'yaml/bad-alias',
      `An alias cannot be resolved: ${(e as Error).message}.`,
      'Write the value out instead of using an *alias, or define the &anchor before it is used.',
    );
  }
  return {
    ok: true,
    yaml: {
      value,
      locate: (path, options) => at(offsetOf(doc, path, options?.key ?? false)),
    },
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

function fail(d: Diagnostic): YamlResult {
  return { ok: false, diagnostics: [d] };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return line.endsWith('.') ? line : `${line}.`;
}

function findIndentTab(source: string): Position | undefined {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^( *)\t/.exec(lines[i]!);
    if (m) return { line: i + 1, column: m[1]!.length + 1 };
  }
  return undefined;
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

function findForbiddenKey(
  doc: Document,
): { offset: number; message: string; hint: string } | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || (key.value !== null && typeof key.value === 'object')) {
          return {
            offset: (key as YamlNode | null)?.range?.[0] ?? 0,
            message: 'A mapping key must be a plain value.',
            hint: "Use a simple word as the key, e.g. 'name:'.",
          };
        }
        if (FORBIDDEN_KEYS.has(String(key.value))) {
          return {
            offset: key.range?.[0] ?? 0,
            message: `The key '${String(key.value)}' is not allowed.`,
            hint: 'Remove this key; it has no meaning in Service Gate files.',
          };
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

function offsetOf(doc: Document, path: YamlPath, wantKey: boolean): number {
  let node: unknown = doc.contents;
  let best = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
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
