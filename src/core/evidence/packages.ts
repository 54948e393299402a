import semver from 'semver';
import { parse as parseToml } from 'smol-toml';
import type { Ecosystem } from '../domain/catalogue.js';

/**
 * Dependency declarations and lockfiles, parsed leniently: a malformed file yields no packages,
 * never an exception, because it is someone else's repository we are reading.
 */

export interface PackageRef {
  ecosystem: Ecosystem;
  name: string;
  /** An exact version when a lockfile resolved it; otherwise the lowest the range allows. */
  version: string | null;
  resolved: boolean;
  source: string;
}

type Parser = (text: string, source: string) => PackageRef[];

const ref = (
  ecosystem: Ecosystem,
  name: string,
  version: string | null,
  resolved: boolean,
  source: string,
): PackageRef => ({
  ecosystem,
  name,
  version,
  resolved,
  source,
});

function lowestOfRange(range: string | undefined): string | null {
  if (!range) return null;
  try {
    return semver.minVersion(range)?.version ?? semver.coerce(range)?.version ?? null;
  } catch {
    return semver.coerce(range)?.version ?? null;
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function entries(v: unknown): [string, unknown][] {
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : [];
}

export const parsePackageJson: Parser = (text, source) => {
  const json = safeJson(text);
  if (!json) return [];
  return ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((field) =>
    entries(json[field]).map(([name, range]) =>
      ref('npm', name, lowestOfRange(typeof range === 'string' ? range : undefined), false, source),
    ),
  );
};

export const parsePackageLock: Parser = (text, source) => {
  const json = safeJson(text);
  if (!json) return [];
  const out: PackageRef[] = [];
  // lockfileVersion 2 and 3: "packages" keyed by install path; only top-level installs count.
  for (const [path, info] of entries(json.packages)) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
    const version = (info as { version?: unknown }).version;
    if (m && typeof version === 'string') out.push(ref('npm', m[1]!, version, true, source));
  }
  if (out.length > 0) return out;
  // lockfileVersion 1: "dependencies" keyed by name.
  for (const [name, info] of entries(json.dependencies)) {
    const version = (info as { version?: unknown }).version;
    if (typeof version === 'string') out.push(ref('npm', name, version, true, source));
  }
  return out;
};

/** yarn.lock, classic (v1) and Berry (v2+): a header of descriptors, then a version line. */
export const parseYarnLock: Parser = (text, source) => {
  const out: PackageRef[] = [];
  let names: string[] = [];
  for (const line of text.split('\n')) {
    if (line && !line.startsWith(' ') && !line.startsWith('#') && line.trimEnd().endsWith(':')) {
      names = line
        .trimEnd()
        .slice(0, -1)
        .split(',')
        .map((d) => d.trim().replace(/^"|"$/g, ''))
        .map((d) => d.slice(0, d.indexOf('@', 1)))
        .filter((n) => n.length > 0);
      continue;
    }
    const m = /^ {2}version:? "?([^"\s]+)"?/.exec(line);
    if (m && names.length) {
      for (const name of new Set(names)) out.push(ref('npm', name, m[1]!, true, source));
      names = [];
    }
  }
  return out;
};

/** pnpm-lock.yaml v5 (/name/1.0.0), v6 (/name@1.0.0) and v9 (name@1.0.0) package keys. */
export const parsePnpmLock: Parser = (text, source) => {
  const out: PackageRef[] = [];
  const key = /^ {2}['"]?\/?((?:@[^/@\s'"]+\/)?[^/@\s'"]+)[@/](\d+\.\d+\.\d+[^:'"\s(]*)/;
  for (const line of text.split('\n')) {
    const m = key.exec(line);
    if (m) out.push(ref('npm', m[1]!, m[2]!, true, source));
  }
  return out;
};

export const parseGemfile: Parser = (text, source) => {
  const out: PackageRef[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*gem\s+['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?/.exec(line);
    if (m)
      out.push(
        ref('rubygems', m[1]!, m[2] ? (semver.coerce(m[2])?.version ?? null) : null, false, source),
      );
  }
  return out;
};

export const parseGemfileLock: Parser = (text, source) => {
  const out: PackageRef[] = [];
  for (const line of text.split('\n')) {
    const m = /^ {4}([A-Za-z0-9_.-]+) \(([^)\s]+)\)\s*$/.exec(line);
    if (m) out.push(ref('rubygems', m[1]!, m[2]!, true, source));
  }
  return out;
};

/** PEP 503 normalised name, so `govuk_frontend_jinja` and `GOVUK-Frontend-Jinja` match. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function pep508(spec: string, source: string): PackageRef | undefined {
  const m =
    /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:\(?\s*(===?|~=|>=|>|<=|<|!=)\s*([^\s,;)]+))?/.exec(
      spec,
    );
  if (!m) return undefined;
  const exact = m[2] === '==' || m[2] === '===';
  const version =
    m[3] && m[2] !== '<' && m[2] !== '<=' && m[2] !== '!='
      ? (semver.coerce(m[3])?.version ?? null)
      : null;
  return ref('pypi', normalisePypiName(m[1]!), version, exact, source);
}

export const parseRequirementsTxt: Parser = (text, source) =>
  text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l && !l.startsWith('-') && !/^(git\+|https?:)/.test(l))
    .map((l) => pep508(l, source))
    .filter((r): r is PackageRef => r !== undefined);

function safeToml(text: string): Record<string, unknown> | undefined {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export const parsePyproject: Parser = (text, source) => {
  const toml = safeToml(text);
  if (!toml) return [];
  const out: PackageRef[] = [];
  const project = toml.project as { dependencies?: unknown } | undefined;
  if (Array.isArray(project?.dependencies)) {
    for (const spec of project.dependencies)
      if (typeof spec === 'string') {
        const r = pep508(spec, source);
        if (r) out.push(r);
      }
  }
  const poetry = (toml.tool as { poetry?: Record<string, unknown> } | undefined)?.poetry;
  const tables = [
    poetry?.dependencies,
    poetry?.['dev-dependencies'],
    ...entries(poetry?.group).map(([, g]) => (g as { dependencies?: unknown }).dependencies),
  ];
  for (const table of tables) {
    for (const [name, spec] of entries(table)) {
      if (name.toLowerCase() === 'python') continue;
      const range = typeof spec === 'string' ? spec : (spec as { version?: unknown })?.version;
      const version = typeof range === 'string' ? (semver.coerce(range)?.version ?? null) : null;
      out.push(ref('pypi', normalisePypiName(name), version, false, source));
    }
  }
  return out;
};

export const parsePoetryLock: Parser = (text, source) => {
  const toml = safeToml(text);
  const packages = toml?.package;
  if (!Array.isArray(packages)) return [];
  return packages
    .filter(
      (p): p is { name: string; version: string } =>
        typeof p?.name === 'string' && typeof p?.version === 'string',
    )
    .map((p) => ref('pypi', normalisePypiName(p.name), p.version, true, source));
};

export const parseGoMod: Parser = (text, source) => {
  const out: PackageRef[] = [];
  let inBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*/, '').trim();
    if (/^require\s*\($/.test(line)) inBlock = true;
    else if (inBlock && line === ')') inBlock = false;
    else {
      const m = (inBlock ? /^(\S+)\s+v(\S+)/ : /^require\s+(\S+)\s+v(\S+)/).exec(line);
      if (m) out.push(ref('go', m[1]!, m[2]!, true, source));
    }
  }
  return out;
};

/** Which parser reads a file, by its base name. */
export function parserFor(path: string): Parser | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'package.json') return parsePackageJson;
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return parsePackageLock;
  if (base === 'yarn.lock') return parseYarnLock;
  if (base === 'pnpm-lock.yaml') return parsePnpmLock;
  if (base === 'Gemfile') return parseGemfile;
  if (base === 'Gemfile.lock') return parseGemfileLock;
  if (/^requirements.*\.txt$/.test(base)) return parseRequirementsTxt;
  if (base === 'pyproject.toml') return parsePyproject;
  if (base === 'poetry.lock') return parsePoetryLock;
  if (base === 'go.mod') return parseGoMod;
  return undefined;
}
