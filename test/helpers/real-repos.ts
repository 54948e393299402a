/**
 * The real-repository corpus (test/fixtures/real-repos): loading it, checking that it is well formed,
 * and scoring a detector against its hand-made labels.
 *
 * Only node: built-ins are imported at run time, so `npm run bench` can transpile this file and
 * score the built detector (lib/) with exactly the arithmetic the tests use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Evidence, RepositorySnapshot } from '../../src/core/evidence/detect.js';

export const CORPUS_ROOT = 'test/fixtures/real-repos';

/** Every ecosystem issue 11 lists; each must be present in the corpus. */
export const CORPUS_ECOSYSTEMS = [
  'javascript',
  'ruby',
  'python',
  'jvm-maven',
  'jvm-gradle',
  'scala',
  'dotnet',
  'php',
  'go',
  'config',
] as const;
export type CorpusEcosystem = (typeof CORPUS_ECOSYSTEMS)[number];

/** File kinds the issue names; each must appear in at least one repository of the corpus. */
export const REQUIRED_FILE_KINDS: Record<string, (path: string) => boolean> = {
  'nested package.json (workspaces)': (p) => p.endsWith('/package.json'),
  Gemfile: (p) => base(p) === 'Gemfile',
  'Gemfile.lock': (p) => base(p) === 'Gemfile.lock',
  'requirements*.txt': (p) => /requirements[^/]*\.txt$/.test(p),
  'requirements*.in': (p) => /requirements[^/]*\.in$/.test(p),
  Pipfile: (p) => base(p) === 'Pipfile',
  'uv.lock': (p) => base(p) === 'uv.lock',
  'pyproject.toml': (p) => base(p) === 'pyproject.toml',
  'poetry.lock': (p) => base(p) === 'poetry.lock',
  'pom.xml': (p) => base(p) === 'pom.xml',
  'build.gradle': (p) => base(p) === 'build.gradle',
  'build.gradle.kts (Kotlin)': (p) => base(p) === 'build.gradle.kts',
  'gradle/libs.versions.toml': (p) => p.endsWith('gradle/libs.versions.toml'),
  'build.sbt or project/*.scala': (p) =>
    base(p) === 'build.sbt' || /(^|\/)project\/[^/]+\.scala$/.test(p),
  '*.csproj': (p) => p.endsWith('.csproj'),
  'composer.json': (p) => base(p) === 'composer.json',
  'go.mod': (p) => base(p) === 'go.mod',
  'configuration (.env*, config/**, application*.yml, appsettings*.json, *.tfvars, settings.py)': (
    p,
  ) =>
    /(^|\/)\.env[^/]*$/.test(p) ||
    /(^|\/)config\//.test(p) ||
    /(^|\/)application[^/]*\.(ya?ml|properties)$/.test(p) ||
    /(^|\/)appsettings[^/]*\.json$/.test(p) ||
    p.endsWith('.tfvars') ||
    base(p) === 'settings.py',
};

export const COUNTRIES = ['UK', 'US', 'CA', 'AU'] as const;

/** Licences that allow these excerpts to be redistributed in this repository's tests. */
export const REDISTRIBUTABLE_LICENCES = [
  'MIT',
  'ISC',
  'Apache-2.0',
  'BSD-3-Clause',
  'CC0-1.0',
  'OGL-UK-3.0',
  'GPL-2.0',
  'GPL-3.0',
  'MPL-2.0',
] as const;

export interface EvidenceLine {
  id: string;
  file: string;
  /** 1-based line number in the stored file. */
  line: number;
  /** Text that line contains, proving the label. */
  signal: string;
}

export interface CorpusRepository {
  repo: string;
  commit: string;
  /** Files read at another commit than `commit` (the index stores files one version at a time). */
  file_commits?: Record<string, string>;
  /** Lockfiles stored as a prefix (how much was kept, and why the labels do not depend on the rest). */
  truncated?: Record<string, string>;
  organisation: string;
  country: (typeof COUNTRIES)[number];
  ecosystems: CorpusEcosystem[];
  licence: string;
  licence_source: string;
  files: string[];
  labels: { design_systems: string[]; platforms: string[] };
  evidence: EvidenceLine[];
  notes: string;
}

export interface CorpusManifest {
  description: string;
  /** Ids the labels use that the catalogue may not have yet. */
  invented_ids: { design_systems: Record<string, string>; platforms: Record<string, string> };
  repositories: CorpusRepository[];
}

export interface LoadedRepository extends CorpusRepository {
  snapshot: RepositorySnapshot;
}

export interface Corpus {
  manifest: CorpusManifest;
  repositories: LoadedRepository[];
  /** Every file under the corpus folder, relative to it, except the manifest and README. */
  storedFiles: string[];
}

function base(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

export function loadCorpus(root: string = CORPUS_ROOT): Corpus {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as CorpusManifest;
  const repositories = manifest.repositories.map((r) => {
    const files = new Map<string, string>();
    for (const path of r.files) {
      const full = join(root, r.repo, path);
      files.set(
        path,
        statSync(full, { throwIfNoEntry: false })?.isFile() ? readFileSync(full, 'utf8') : '',
      );
    }
    return { ...r, snapshot: { paths: [...r.files], files } };
  });
  const storedFiles = walk(root)
    .map((f) => relative(root, f).split(sep).join('/'))
    .filter((f) => f !== 'manifest.json' && f !== 'README.md')
    .sort();
  return { manifest, repositories, storedFiles };
}

/** Shapes of real credentials; a corpus file matching any of them must not be stored. */
export const SECRET_PATTERNS: [string, RegExp][] = [
  ['private key block', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['AWS access key id', /\bA(KIA|SIA)[0-9A-Z]{16}\b/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  [
    'GOV.UK Notify API key (service id and secret)',
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/,
  ],
  [
    'long secret value assigned to a secret-named key',
    /(secret|password|passwd|token|api[_-]?key|private[_-]?key)["']?\s*[:=]\s*["']?(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{24,}/i,
  ],
  [
    'password in a URL to a non-local host',
    /[a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:[^\s@/"']+@(?!localhost\b|127\.0\.0\.1\b|0\.0\.0\.0\b)[^\s/"']+/i,
  ],
];

/** Problems that make the corpus unusable as ground truth; an empty list means it is well formed. */
export function corpusProblems(
  corpus: Corpus,
  knownIds: { design_systems: string[]; platforms: string[] },
): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  const seenRepos = new Set<string>();
  const invented = corpus.manifest.invented_ids;
  const allowed = {
    design_systems: new Set([...knownIds.design_systems, ...Object.keys(invented.design_systems)]),
    platforms: new Set([...knownIds.platforms, ...Object.keys(invented.platforms)]),
  };
  for (const r of corpus.repositories) {
    const where = r.repo;
    if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(r.repo))
      problems.push(`${where}: repo is not owner/name`);
    if (seenRepos.has(r.repo)) problems.push(`${where}: listed twice`);
    seenRepos.add(r.repo);
    if (!/^[0-9a-f]{40}$/.test(r.commit)) problems.push(`${where}: commit is not a 40-hex sha`);
    for (const [path, sha] of Object.entries(r.file_commits ?? {})) {
      if (!r.files.includes(path)) problems.push(`${where}: file_commits names unlisted ${path}`);
      if (!/^[0-9a-f]{40}$/.test(sha))
        problems.push(`${where}: file_commits[${path}] is not a sha`);
    }
    for (const path of Object.keys(r.truncated ?? {}))
      if (!r.files.includes(path) || !/(\.lock|lock\.json)$/.test(path))
        problems.push(`${where}: only a listed lockfile may be truncated, not ${path}`);
    if (!COUNTRIES.includes(r.country))
      problems.push(`${where}: country ${r.country} is not one of ${COUNTRIES.join(', ')}`);
    if (!r.organisation) problems.push(`${where}: no organisation`);
    if (r.ecosystems.length === 0) problems.push(`${where}: no ecosystem`);
    for (const e of r.ecosystems)
      if (!(CORPUS_ECOSYSTEMS as readonly string[]).includes(e))
        problems.push(`${where}: unknown ecosystem ${e}`);
    if (!(REDISTRIBUTABLE_LICENCES as readonly string[]).includes(r.licence))
      problems.push(`${where}: licence ${r.licence} is not one that permits redistribution`);
    if (!r.licence_source) problems.push(`${where}: licence_source missing`);
    if (r.files.length === 0) problems.push(`${where}: no files`);
    for (const path of r.files) {
      const key = `${r.repo}/${path}`;
      listed.add(key);
      if (!corpus.storedFiles.includes(key))
        problems.push(`${where}: listed file ${path} is not stored`);
      const text = r.snapshot.files.get(path) ?? '';
      for (const [name, pattern] of SECRET_PATTERNS)
        if (pattern.test(text))
          problems.push(`${where}: ${path} contains what looks like a ${name}`);
    }
    for (const kind of ['design_systems', 'platforms'] as const) {
      const ids = r.labels[kind];
      if (new Set(ids).size !== ids.length) problems.push(`${where}: duplicate ${kind} label`);
      for (const id of ids) {
        if (!allowed[kind].has(id))
          problems.push(
            `${where}: ${kind} label ${id} is neither a catalogue id nor listed in invented_ids`,
          );
        if (!r.evidence.some((e) => e.id === id))
          problems.push(`${where}: label ${id} has no evidence line`);
      }
    }
    for (const e of r.evidence) {
      if (!r.labels.design_systems.includes(e.id) && !r.labels.platforms.includes(e.id))
        problems.push(`${where}: evidence for ${e.id}, which is not a label`);
      const text = r.snapshot.files.get(e.file);
      if (text === undefined) {
        problems.push(`${where}: evidence file ${e.file} is not listed`);
        continue;
      }
      const line = text.split(/\r?\n/)[e.line - 1];
      if (!Number.isInteger(e.line) || e.line < 1 || line === undefined)
        problems.push(`${where}: ${e.file} has no line ${e.line}`);
      else if (!e.signal || !line.includes(e.signal))
        problems.push(`${where}: ${e.file}:${e.line} does not contain ${JSON.stringify(e.signal)}`);
    }
  }
  for (const f of corpus.storedFiles)
    if (!listed.has(f)) problems.push(`${f}: stored but not listed in the manifest`);
  return problems;
}

/** The ids a detector reports for one repository. */
export interface DetectedIds {
  design_systems: string[];
  platforms: string[];
}

/** A design system found also stands for the ones it builds on (HMRC Frontend for GOV.UK Frontend). */
export function idsFromEvidence(
  evidence: Pick<Evidence, 'design_systems' | 'platforms'>,
): DetectedIds {
  return {
    design_systems: [
      ...new Set(evidence.design_systems.flatMap((d) => [d.id, ...(d.extends ?? [])])),
    ],
    platforms: [...new Set(evidence.platforms.map((p) => p.id))],
  };
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Mismatch {
  repo: string;
  kind: 'design_systems' | 'platforms';
  id: string;
}

export interface CorpusScore {
  /** Per ecosystem (a repository counts in each of its ecosystems), then 'overall'. */
  rows: { scope: string; repositories: number; design_systems: Counts; platforms: Counts }[];
  falsePositives: Mismatch[];
  falseNegatives: Mismatch[];
}

const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

/** Micro-averaged over (repository, id) pairs: every label and every detection counts once. */
export function scoreCorpus(
  corpus: Corpus,
  detect: (snapshot: RepositorySnapshot) => DetectedIds,
): CorpusScore {
  const scopes = new Map<
    string,
    { repositories: number; design_systems: Counts; platforms: Counts }
  >();
  const row = (scope: string) => {
    let r = scopes.get(scope);
    if (!r) scopes.set(scope, (r = { repositories: 0, design_systems: zero(), platforms: zero() }));
    return r;
  };
  for (const e of CORPUS_ECOSYSTEMS) row(e);
  const falsePositives: Mismatch[] = [];
  const falseNegatives: Mismatch[] = [];
  for (const r of corpus.repositories) {
    const found = detect(r.snapshot);
    const targets = [...r.ecosystems.map(row), row('overall')];
    for (const t of targets) t.repositories++;
    for (const kind of ['design_systems', 'platforms'] as const) {
      const truth = new Set(r.labels[kind]);
      const got = new Set(found[kind]);
      for (const id of got) {
        const hit = truth.has(id);
        for (const t of targets) t[kind][hit ? 'tp' : 'fp']++;
        if (!hit) falsePositives.push({ repo: r.repo, kind, id });
      }
      for (const id of truth) {
        if (got.has(id)) continue;
        for (const t of targets) t[kind].fn++;
        falseNegatives.push({ repo: r.repo, kind, id });
      }
    }
  }
  const overall = row('overall');
  scopes.delete('overall');
  return {
    rows: [...[...scopes].map(([scope, r]) => ({ scope, ...r })), { scope: 'overall', ...overall }],
    falsePositives,
    falseNegatives,
  };
}

/** null when there is nothing to divide (no detections, or no labels). */
export const precision = (c: Counts): number | null =>
  c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp);
export const recall = (c: Counts): number | null =>
  c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn);

const ratio = (x: number | null) => (x === null ? '—' : x.toFixed(2));

export function formatScore(score: CorpusScore): string {
  const header = [
    'ecosystem',
    'repos',
    'DS precision',
    'DS recall',
    'platform precision',
    'platform recall',
  ];
  const cells = score.rows.map((r) => [
    r.scope,
    String(r.repositories),
    `${ratio(precision(r.design_systems))} (${r.design_systems.tp}/${r.design_systems.tp + r.design_systems.fp})`,
    `${ratio(recall(r.design_systems))} (${r.design_systems.tp}/${r.design_systems.tp + r.design_systems.fn})`,
    `${ratio(precision(r.platforms))} (${r.platforms.tp}/${r.platforms.tp + r.platforms.fp})`,
    `${ratio(recall(r.platforms))} (${r.platforms.tp}/${r.platforms.tp + r.platforms.fn})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const list = (title: string, ms: Mismatch[]) =>
    ms.length === 0
      ? `${title}: none`
      : `${title} (${ms.length}):\n${ms.map((m) => `  ${m.repo}  ${m.kind === 'design_systems' ? 'design system' : 'platform'} ${m.id}`).join('\n')}`;
  return [
    line(header),
    ...cells.map(line),
    '',
    list('False positives', score.falsePositives),
    list('False negatives', score.falseNegatives),
  ].join('\n');
}
