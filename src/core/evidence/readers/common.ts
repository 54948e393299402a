import semver from 'semver';
import { parse as parseToml } from 'smol-toml';
import { XMLParser } from 'fast-xml-parser';
import type { Ecosystem } from '../../domain/signals.js';

/** One package a dependency file declares or a lockfile resolves. */
export interface PackageRef {
  ecosystem: Ecosystem;
  name: string;
  /** An exact version when a lockfile resolved it; otherwise the lowest the range allows. */
  version: string | null;
  resolved: boolean;
  file: string;
  /** The line it is declared on, when the reader works line by line. */
  line?: number;
  /** Otherwise, text to find its line by (`"govuk-frontend"`): only looked up for packages that matter. */
  needle?: string;
}

/**
 * What a reader made of a file. A file it cannot parse is `ok: false` with the reason, never an
 * exception: it is someone else's repository, and "could not read" must reach the verdict.
 */
export type ReadResult =
  | {
      ok: true;
      packages: PackageRef[];
      /** The name the file publishes its own code under (package.json `name`, ...), if any. */
      self?: string;
    }
  | { ok: false; problem: string };

export type Reader = (text: string, file: string) => ReadResult;

export const read = (packages: PackageRef[], self?: unknown): ReadResult =>
  typeof self === 'string' && self ? { ok: true, packages, self } : { ok: true, packages };
export const unreadable = (problem: string): ReadResult => ({ ok: false, problem });

/**
 * Manifests written by hand (pyproject.toml, Pipfile, pom.xml, ...) are small. Above this a
 * TOML or XML parse can take gigabytes (8 MB of dotted TOML keys took 1.9 GB; 256 KiB takes about 80 MB), so larger ones
 * are reported as not read instead. Generated lockfiles are read line by line, without this limit.
 */
export const MAX_PARSED_MANIFEST_BYTES = 256 * 1024;

export function tooLargeToParse(text: string): ReadResult | undefined {
  return text.length > MAX_PARSED_MANIFEST_BYTES
    ? unreadable(
        `it is larger than ${MAX_PARSED_MANIFEST_BYTES / 1024} KiB, the most Service Gate parses for a hand-written manifest`,
      )
    : undefined;
}

export function lowestOfRange(range: unknown): string | null {
  if (typeof range !== 'string' || range.length > 256) return null;
  try {
    return semver.minVersion(range)?.version ?? semver.coerce(range)?.version ?? null;
  } catch {
    return semver.coerce(range)?.version ?? null;
  }
}

export function coerceVersion(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 256) return null;
  return semver.coerce(v)?.version ?? null;
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own enumerable entries of an object; anything else (null, arrays, strings) has none. */
export function entries(v: unknown): [string, unknown][] {
  return isObject(v) ? Object.entries(v) : [];
}

export function field(v: unknown, key: string): unknown {
  return isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function parseJson(
  text: string,
): { ok: true; value: JsonObject } | { ok: false; problem: string } {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value)
      ? { ok: true, value }
      : { ok: false, problem: 'it is not a JSON object' };
  } catch (e) {
    return { ok: false, problem: `it is not valid JSON (${(e as Error).message})` };
  }
}

export function parseTomlText(
  text: string,
): { ok: true; value: JsonObject } | { ok: false; problem: string } {
  const big = tooLargeToParse(text);
  if (big && !big.ok) return big;
  try {
    return { ok: true, value: parseToml(text) as JsonObject };
  } catch (e) {
    return { ok: false, problem: `it is not valid TOML (${firstLine((e as Error).message)})` };
  }
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Entities are never expanded: a hostile file cannot grow in memory.
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

export function parseXml(
  text: string,
): { ok: true; value: JsonObject } | { ok: false; problem: string } {
  const big = tooLargeToParse(text);
  if (big && !big.ok) return big;
  try {
    const value: unknown = xml.parse(text, true);
    return isObject(value) ? { ok: true, value } : { ok: false, problem: 'it is not XML' };
  } catch (e) {
    return { ok: false, problem: `it is not valid XML (${firstLine((e as Error).message)})` };
  }
}

/** XML elements that may appear once or many times, as a list. */
export function many(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? s;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Calls `each(line, number)` for every line, without building an array of lines first. */
export function forEachLine(text: string, each: (line: string, lineNumber: number) => void): void {
  let start = 0;
  let n = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line =
      text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    each(line, n++);
    start = end + 1;
  }
}

/** The 1-based line of the first occurrence of `needle`, or undefined. */
export function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at === -1) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
