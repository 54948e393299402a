import picomatch from 'picomatch';
import semver from 'semver';
import {
  DESIGN_SYSTEMS,
  type DesignSystemSignals,
  type Ecosystem,
  type Jurisdiction,
  OWN_BUILD_SIGNALS,
  type Packages,
  PLATFORMS,
  type PlatformSignals,
  type SignalCategory,
} from '../domain/signals.js';
import {
  detectPractices,
  MAX_EVIDENCE_FILES,
  type Practice,
  projectPaths,
  selectEvidence,
} from './evidence-files.js';
import { lineOf } from './readers/common.js';
import { configMatcher } from './readers/config.js';
import { type PackageRef, readerFor } from './readers/index.js';
import { normalisePypiName } from './readers/python.js';

/** What a repository shows, as opposed to what its service.yml claims. */
export interface Evidence {
  design_systems: DesignSystemEvidence[];
  platforms: PlatformEvidence[];
  own_builds: OwnBuildEvidence[];
  practices: Record<Practice, boolean>;
  /** Files that were read for evidence, so reports can say what was looked at. */
  files_read: string[];
  /**
   * Dependency files the repository has that were not read, and why (no reader for the format,
   * too large, malformed, over the file limit). While any is listed, "declared but not found"
   * is "not verified": the declaration may be in one of them.
   */
  files_unread: UnreadFile[];
}

export interface UnreadFile {
  file: string;
  /** A dependency file can hold a design system or platform client; configuration, a platform's host or key. */
  kind: 'dependency' | 'config';
  reason: string;
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
  line: number;
  /** What matched: `npm package govuk-frontend`. */
  signal: string;
  /** Design systems this one builds on (HMRC Frontend on GOV.UK Frontend). */
  extends: string[];
  /** Design systems a declaration of which is consistent with this evidence (either direction). */
  related: string[];
}

export interface PlatformEvidence {
  id: string;
  category: SignalCategory;
  signal: string;
  source: string;
  line: number;
  unmaintained: boolean;
}

export interface OwnBuildEvidence {
  category: SignalCategory;
  package: string;
  source: string;
  line: number;
}

export interface RepositorySnapshot {
  /** Every path in the repository (from a tree listing or a directory walk). */
  paths: readonly string[];
  /** The contents of the evidence files that were read (see selectEvidence). */
  files: ReadonlyMap<string, string>;
  /** Selected files a shell could not read, and why (too large, say). */
  unread?: ReadonlyMap<string, string>;
}

export const NO_EVIDENCE: Evidence = {
  design_systems: [],
  platforms: [],
  own_builds: [],
  practices: detectPractices([]),
  files_read: [],
  files_unread: [],
};

/** Package-name globs (`@x-govuk/*`) come from a fixed catalogue: compile each once per process. */
const globMatchers = new Map<string, (name: string) => boolean>();
function globMatcher(glob: string): (name: string) => boolean {
  let matcher = globMatchers.get(glob);
  if (!matcher) {
    // Most are a prefix (`@x-govuk/*`): a string comparison, ten times faster than a glob.
    const star = glob.indexOf('*');
    const prefix = glob.slice(0, -1);
    matcher =
      star === glob.length - 1 && !/[?[\]{}()!+@]/.test(prefix.replace(/^@/, ''))
        ? (name: string) => name.startsWith(prefix) && !name.includes('/', prefix.length)
        : picomatch(glob);
    globMatchers.set(glob, matcher);
  }
  return matcher;
}

/** How names compare in each registry: NuGet and Composer ignore case, PyPI normalises. */
function comparable(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === 'pypi') return normalisePypiName(name);
  if (ecosystem === 'nuget' || ecosystem === 'composer') return name.toLowerCase();
  return name;
}

/**
 * Packages found, indexed by ecosystem and name: a lookup per catalogue name, and one pass over
 * the distinct names per glob, so a 30,000-entry lockfile costs no more than reading it.
 */
class PackageIndex {
  #byName = new Map<string, PackageRef[]>();
  #names = new Map<Ecosystem, Set<string>>();

  constructor(refs: readonly PackageRef[]) {
    for (const r of refs) {
      const name = comparable(r.ecosystem, r.name);
      const key = `${r.ecosystem}:${name}`;
      let list = this.#byName.get(key);
      if (!list) {
        this.#byName.set(key, (list = []));
        let names = this.#names.get(r.ecosystem);
        if (!names) this.#names.set(r.ecosystem, (names = new Set()));
        names.add(name);
      }
      list.push(r);
    }
  }

  /** Every reference to any of the packages, lockfile (resolved) references first. */
  find(packages: Packages | undefined): PackageRef[] {
    const out: PackageRef[] = [];
    for (const [ecosystem, names] of Object.entries(packages ?? {}) as [Ecosystem, string[]][]) {
      for (const wanted of names) {
        const name = comparable(ecosystem, wanted);
        if (name.includes('*')) {
          const matches = globMatcher(name);
          for (const n of this.#names.get(ecosystem) ?? [])
            if (matches(n)) for (const r of this.#byName.get(`${ecosystem}:${n}`)!) out.push(r);
        } else for (const r of this.#byName.get(`${ecosystem}:${name}`) ?? []) out.push(r);
      }
    }
    return out.sort((a, b) => Number(b.resolved) - Number(a.resolved));
  }
}

let matchConfig: ReturnType<typeof configMatcher> | undefined;

/**
 * Pure: from a repository snapshot to evidence. The same input gives the same output in every
 * shell, and a file that cannot be read is named in files_unread, never an exception.
 */
export function detectEvidence(snapshot: RepositorySnapshot): Evidence {
  const paths = projectPaths(snapshot.paths);
  const selection = selectEvidence(paths);
  const unread = new Map<string, string>();
  for (const f of selection.unsupported)
    unread.set(f, 'Service Gate has no reader for this kind of dependency file');
  for (const f of selection.skipped)
    unread.set(
      f,
      `the repository has more evidence files than the ${MAX_EVIDENCE_FILES} Service Gate reads`,
    );
  for (const [f, reason] of snapshot.unread ?? []) unread.set(f, reason);

  const refs: PackageRef[] = [];
  const selfNames = new Set<string>();
  const texts = new Map<string, string>();
  const platformHits: PlatformEvidence[] = [];
  const read: string[] = [];
  matchConfig ??= configMatcher(PLATFORMS);
  for (const [path, text] of snapshot.files) {
    read.push(path);
    texts.set(path, text);
    const reader = readerFor(path);
    if (!reader) {
      for (const hit of matchConfig(text))
        platformHits.push({
          id: hit.platform.id,
          category: hit.platform.category,
          signal: `${hit.kind === 'env' ? 'key' : hit.kind} ${hit.value}`,
          source: path,
          line: hit.line,
          unmaintained: hit.platform.unmaintained === true,
        });
      continue;
    }
    let result;
    try {
      result = reader(text, path);
    } catch (e) {
      // Readers return problems rather than throw; this is the net under them.
      result = { ok: false as const, problem: `reading it failed (${(e as Error).message})` };
    }
    if (!result.ok) unread.set(path, `it could not be read: ${result.problem}`);
    else {
      for (const r of result.packages) refs.push(r);
      if (result.self) selfNames.add(result.self.toLowerCase());
    }
  }
  const index = new PackageIndex(refs);
  const lineFor = (r: PackageRef) =>
    r.line ?? (r.needle ? lineOf(texts.get(r.file) ?? '', r.needle) : undefined) ?? 1;

  const designSystems = detectDesignSystems(index, lineFor);
  const governments = new Set(
    designSystems
      .map((d) => DESIGN_SYSTEMS.find((x) => x.id === d.id)?.jurisdiction)
      .filter((j): j is Jurisdiction => j !== undefined && j !== 'any'),
  );
  return {
    design_systems: designSystems,
    platforms: detectPlatforms(index, platformHits, lineFor, governments).filter(
      (p) => !isOwnCode(p.id, selfNames),
    ),
    own_builds: detectOwnBuilds(index, lineFor),
    practices: detectPractices(paths),
    files_read: read.sort(),
    files_unread: [...unread]
      .map(([file, reason]): UnreadFile => ({
        file,
        kind: readerFor(file) || selection.unsupported.includes(file) ? 'dependency' : 'config',
        reason,
      }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  };
}

type LineFor = (r: PackageRef) => number;

/** Design systems that build on each one (GOV.UK Frontend: HMRC Frontend, MOJ Frontend). */
const extendedBy = (id: string) =>
  DESIGN_SYSTEMS.filter((d) => d.extends?.includes(id)).map((d) => d.id);

function detectDesignSystems(index: PackageIndex, lineFor: LineFor): DesignSystemEvidence[] {
  // One item per design system, package and version: a lockfile's resolved entry wins over the
  // manifest's range for the same package.
  const out = new Map<string, DesignSystemEvidence>();
  const resolvedPackages = new Set<string>();
  const add = (ds: DesignSystemSignals, r: PackageRef, kind: 'package' | 'wrapper' | 'old') => {
    // Only the design system's own package says its version: a wrapper's or a retired
    // toolkit's version number is another thing, and must never meet a version floor.
    const wrapper = kind === 'wrapper';
    const parsed = kind === 'package' && r.version ? semver.coerce(r.version) : null;
    const version = parsed?.version ?? null;
    const pkg = `${ds.id}|${r.ecosystem}|${r.name}`;
    if (!r.resolved && resolvedPackages.has(pkg)) return;
    if (r.resolved) resolvedPackages.add(pkg);
    const key = `${pkg}|${version}`;
    if (out.has(key)) return;
    out.set(key, {
      id: ds.id,
      package: r.name,
      version,
      major: parsed?.major ?? null,
      resolved: kind === 'package' && r.resolved,
      unmaintained: kind === 'old',
      source: r.file,
      line: lineFor(r),
      signal: `${r.ecosystem} package ${r.name}${wrapper ? ` (bundles ${ds.title})` : ''}`,
      extends: [...(ds.extends ?? [])],
      related: [...new Set([...(ds.extends ?? []), ...extendedBy(ds.id)])],
    });
  };
  for (const ds of DESIGN_SYSTEMS) {
    for (const r of index.find(ds.packages)) add(ds, r, 'package');
    for (const r of index.find(ds.unmaintained)) add(ds, r, 'old');
    // A wrapper says only that the design system is there: its own package, where found, says more.
    if (![...out.values()].some((d) => d.id === ds.id))
      for (const r of index.find(ds.wrappers)) {
        const older = bundledBefore(r);
        if (older) add(older, r, 'old');
        else add(ds, r, 'wrapper');
      }
  }
  // A design system that builds on another shows that one too: HMRC Frontend ships GOV.UK
  // Frontend, VA's design system ships USWDS. Its version is the base's business, so none.
  const found = [...out.values()];
  for (const d of found)
    for (const baseId of d.extends) {
      const base = DESIGN_SYSTEMS.find((x) => x.id === baseId);
      if (!base || [...out.values()].some((x) => x.id === baseId)) continue;
      out.set(`${baseId}|built-on|${d.package}`, {
        ...d,
        id: baseId,
        version: null,
        major: null,
        resolved: false,
        unmaintained: false,
        signal: `${d.signal} (builds on ${base.title})`,
        extends: [...(base.extends ?? [])],
        related: [...new Set([...(base.extends ?? []), ...extendedBy(baseId)])],
      });
    }
  return [...out.values()];
}

/** The design system an old major of a wrapper bundled instead (hof 12: GOV.UK Template). */
function bundledBefore(r: PackageRef): DesignSystemSignals | undefined {
  const major = r.version ? semver.coerce(r.version)?.major : undefined;
  if (major === undefined) return undefined;
  return DESIGN_SYSTEMS.find((d) =>
    d.bundledBy?.some(
      (b) => b.ecosystem === r.ecosystem && b.name === r.name && major < b.belowMajor,
    ),
  );
}

function detectPlatforms(
  index: PackageIndex,
  configHits: readonly PlatformEvidence[],
  lineFor: LineFor,
  governments: ReadonlySet<Jurisdiction>,
): PlatformEvidence[] {
  const out: PlatformEvidence[] = [...configHits];
  for (const p of PLATFORMS)
    for (const r of index.find(p.packages))
      out.push({
        id: p.id,
        category: p.category,
        signal: `${r.ecosystem} package ${r.name}`,
        source: r.file,
        line: lineFor(r),
        unmaintained: p.unmaintained === true,
      });
  // A platform run on another's code (GC Notify on GOV.UK Notify's clients): where its own host
  // is configured, the shared clients and key names are its, not the other platform's.
  // Such platforms have no packages of their own: any signal of theirs is configuration.
  const hosted = new Set(out.map((e) => e.id));
  const movedTo = new Map<string, PlatformSignals>();
  for (const p of PLATFORMS)
    if (p.sharesClientsOf && hosted.has(p.id)) movedTo.set(p.sharesClientsOf, p);
  const deduped = new Map<string, PlatformEvidence>();
  for (const e of out) {
    const owner = movedTo.get(e.id);
    const shared = owner && !e.signal.startsWith('host ');
    const item = shared
      ? { ...e, id: owner.id, category: owner.category, unmaintained: owner.unmaintained === true }
      : e;
    const key = `${item.id}|${item.source}|${item.signal}`;
    if (!deduped.has(key)) deduped.set(key, item);
  }
  // A client library or key name several governments' platforms share says which platform only
  // with a host or the platform's name beside it. Without them, in a service whose design
  // systems are all another government's (a Canadian service on GOV.UK Notify's Node client),
  // it is credited to no platform rather than to the wrong one.
  const shared = new Set(PLATFORMS.flatMap((p) => (p.sharesClientsOf ? [p.sharesClientsOf] : [])));
  const elsewhere = (id: string) => {
    const j = PLATFORMS.find((p) => p.id === id)?.jurisdiction;
    return governments.size > 0 && j !== undefined && j !== 'any' && !governments.has(j);
  };
  const credited = [...deduped.values()].filter(
    (e) =>
      !(
        shared.has(e.id) &&
        elsewhere(e.id) &&
        !e.signal.startsWith('host ') &&
        !e.signal.startsWith('text ')
      ),
  );
  return credited.sort(
    (a, b) =>
      cmp(a.id, b.id) || cmp(a.source, b.source) || a.line - b.line || cmp(a.signal, b.signal),
  );
}

/**
 * Whether the repository is the platform's own code (Notify.gov's API depends on GOV.UK Notify's
 * client, but does not use Notify): then neither it nor a platform sharing its clients counts.
 */
function isOwnCode(id: string, selfNames: ReadonlySet<string>): boolean {
  if (selfNames.size === 0) return false;
  const p = PLATFORMS.find((x) => x.id === id);
  const family = p?.sharesClientsOf ? PLATFORMS.find((x) => x.id === p.sharesClientsOf) : p;
  return [p, family].some((x) => x?.ownCode?.some((n) => selfNames.has(n)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function detectOwnBuilds(index: PackageIndex, lineFor: LineFor): OwnBuildEvidence[] {
  const out = new Map<string, OwnBuildEvidence>();
  for (const signal of OWN_BUILD_SIGNALS) {
    for (const r of index.find(signal.packages)) {
      const key = `${signal.category}|${r.name}`;
      if (!out.has(key))
        out.set(key, {
          category: signal.category,
          package: r.name,
          source: r.file,
          line: lineFor(r),
        });
    }
  }
  return [...out.values()];
}
