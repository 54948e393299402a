import picomatch from 'picomatch';
import semver from 'semver';
import {
  DESIGN_SYSTEMS,
  type Ecosystem,
  OWN_BUILD_SIGNALS,
  PLATFORMS,
  type PlatformCategory,
} from '../domain/catalogue.js';
import { detectPractices, type Practice } from './evidence-files.js';
import { normalisePypiName, type PackageRef, parserFor } from './packages.js';

/** What a repository shows, as opposed to what its service.yml claims. */
export interface Evidence {
  design_systems: DesignSystemEvidence[];
  platforms: PlatformEvidence[];
  own_builds: OwnBuildEvidence[];
  practices: Record<Practice, boolean>;
  /** Files that were read for evidence, so reports can say what was looked at. */
  files_read: string[];
}

export interface DesignSystemEvidence {
  id: string;
  package: string;
  /** null when only a wrapper package was found, or no version could be read. */
  version: string | null;
  major: number | null;
  resolved: boolean;
  unmaintained: boolean;
  source: string;
}

export interface PlatformEvidence {
  id: string;
  category: PlatformCategory;
  signal: string;
  source: string;
}

export interface OwnBuildEvidence {
  category: PlatformCategory;
  package: string;
  source: string;
}

export interface RepositorySnapshot {
  /** Every path in the repository (from a tree listing or a directory walk). */
  paths: readonly string[];
  /** The contents of the evidence files that were read (see selectEvidenceFiles). */
  files: ReadonlyMap<string, string>;
}

export const NO_EVIDENCE: Evidence = {
  design_systems: [],
  platforms: [],
  own_builds: [],
  practices: detectPractices([]),
  files_read: [],
};

/** Package-name globs (`@hmcts/*`) come from a fixed catalogue: compile each once per process. */
const globMatchers = new Map<string, picomatch.Matcher>();
function globMatcher(glob: string): picomatch.Matcher {
  let matcher = globMatchers.get(glob);
  if (!matcher) globMatchers.set(glob, (matcher = picomatch(glob)));
  return matcher;
}

type PackageIndex = (ecosystem: Ecosystem, names: readonly string[]) => PackageRef[];

function indexPackages(refs: readonly PackageRef[]): PackageIndex {
  return (ecosystem, names) => {
    const wanted = names.map((n) => (ecosystem === 'pypi' ? normalisePypiName(n) : n));
    const matchers = wanted.map((n) => (n.includes('*') ? globMatcher(n) : (x: string) => x === n));
    return refs.filter((r) => r.ecosystem === ecosystem && matchers.some((m) => m(r.name)));
  };
}

/** Pure: from a repository snapshot to evidence. The same input gives the same output in every shell. */
export function detectEvidence(snapshot: RepositorySnapshot): Evidence {
  const refs: PackageRef[] = [];
  const configTexts: [string, string][] = [];
  for (const [path, text] of snapshot.files) {
    const parse = parserFor(path);
    if (parse) refs.push(...parse(text, path));
    else configTexts.push([path, text]);
  }
  // A lockfile's resolved version beats the range in the manifest next to it.
  refs.sort((a, b) => Number(b.resolved) - Number(a.resolved));
  const find = indexPackages(refs);

  return {
    design_systems: detectDesignSystems(find),
    platforms: detectPlatforms(find, configTexts),
    own_builds: detectOwnBuilds(find),
    practices: detectPractices(snapshot.paths),
    files_read: [...snapshot.files.keys()].sort(),
  };
}

function detectDesignSystems(find: PackageIndex): DesignSystemEvidence[] {
  const out: DesignSystemEvidence[] = [];
  const seen = new Set<string>();
  const add = (e: DesignSystemEvidence) => {
    const key = `${e.id}|${e.package}|${e.version}`;
    if (
      seen.has(key) ||
      out.some((o) => o.id === e.id && o.package === e.package && !e.resolved && o.resolved)
    )
      return;
    seen.add(key);
    out.push(e);
  };
  for (const ds of DESIGN_SYSTEMS) {
    for (const [ecosystem, names] of Object.entries(ds.packages) as [Ecosystem, string[]][]) {
      for (const r of find(ecosystem, names)) add(withVersion(ds.id, r, false));
    }
    for (const [ecosystem, names] of Object.entries(ds.unmaintained ?? {}) as [
      Ecosystem,
      string[],
    ][]) {
      for (const r of find(ecosystem, names)) add(withVersion(ds.id, r, true));
    }
    for (const [ecosystem, names] of Object.entries(ds.wrappers ?? {}) as [Ecosystem, string[]][]) {
      for (const r of find(ecosystem, names)) {
        add({
          id: ds.id,
          package: r.name,
          version: null,
          major: null,
          resolved: false,
          unmaintained: false,
          source: r.source,
        });
      }
    }
  }
  return out;
}

function withVersion(id: string, r: PackageRef, unmaintained: boolean): DesignSystemEvidence {
  const parsed = r.version ? semver.coerce(r.version) : null;
  return {
    id,
    package: r.name,
    version: parsed?.version ?? null,
    major: parsed?.major ?? null,
    resolved: r.resolved,
    unmaintained,
    source: r.source,
  };
}

function detectPlatforms(
  find: PackageIndex,
  configTexts: readonly [string, string][],
): PlatformEvidence[] {
  const out: PlatformEvidence[] = [];
  for (const p of PLATFORMS) {
    for (const [path, text] of configTexts) {
      const host = p.hosts?.find((h) => text.includes(h));
      if (host) out.push({ id: p.id, category: p.category, signal: `host ${host}`, source: path });
      const env = p.env?.find((e) => new RegExp(`(^|[^A-Z0-9_])${e}([^A-Z0-9_]|$)`).test(text));
      if (env && !host)
        out.push({ id: p.id, category: p.category, signal: `env ${env}`, source: path });
    }
    for (const [ecosystem, names] of Object.entries(p.packages ?? {}) as [Ecosystem, string[]][]) {
      for (const r of find(ecosystem, names)) {
        out.push({ id: p.id, category: p.category, signal: `package ${r.name}`, source: r.source });
      }
    }
  }
  // GC Notify uses GOV.UK Notify's client libraries: where its host is configured, the client is GC Notify's.
  const gcNotify = out.some((e) => e.id === 'gc-notify');
  const deduped = new Map<string, PlatformEvidence>();
  for (const e of out) {
    if (gcNotify && e.id === 'govuk-notify' && e.signal.startsWith('package ')) continue;
    const key = `${e.id}|${e.source}`;
    if (!deduped.has(key)) deduped.set(key, e);
  }
  return [...deduped.values()];
}

function detectOwnBuilds(find: PackageIndex): OwnBuildEvidence[] {
  const out = new Map<string, OwnBuildEvidence>();
  for (const signal of OWN_BUILD_SIGNALS) {
    for (const [ecosystem, names] of Object.entries(signal.packages) as [Ecosystem, string[]][]) {
      for (const r of find(ecosystem, names)) {
        const key = `${signal.category}|${r.name}`;
        if (!out.has(key))
          out.set(key, { category: signal.category, package: r.name, source: r.source });
      }
    }
  }
  return [...out.values()];
}
