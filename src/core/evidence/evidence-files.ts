import picomatch from 'picomatch';
import { readerFor } from './readers/index.js';

/**
 * Which repository files are evidence: ONE list, used by every shell (CLI, App, Action, audit,
 * drift). Shells list the repository's paths, keep those this module selects, and read only
 * them: this bounds both disk reads (CLI) and API reads (App, audit).
 */

/**
 * Evidence looks at paths of at most this many segments (`a/src/main/resources/application.yml`).
 * The audit lists trees to this depth through GraphQL; every shell projects its paths the same way
 * (see projectPaths), so a file deeper down counts in no shell rather than in some.
 */
export const MAX_PATH_DEPTH = 5;

/** Dependency files count at the root and up to three folders down (monorepos: apps/web/package.json). */
const MAX_DEPENDENCY_DEPTH = 4;

/** Configuration that can name a platform's host or key. */
const CONFIG_FILES = [
  '**/.env',
  '**/.env.*',
  '**/*.env',
  '**/*.env.{example,sample,template,dist}',
  '**/{example,sample}.env',
  '**/app.json',
  '**/manifest*.{yml,yaml}',
  '**/docker-compose*.{yml,yaml}',
  // Rails config/** and initializers, Node config/*.js|json, any other config folder.
  '**/config/**/*.{yml,yaml,json,toml,rb,py,js,cjs,mjs,ts,properties,env,erb,exs,php,xml,ini,conf}{,.example,.sample,.template,.dist}',
  // Django and Flask settings.
  '**/settings.py',
  '**/settings/*.py',
  '**/{config,local_settings,settings_local}.py',
  '**/{.flaskenv,instance/config.py}',
  // Spring, in any module.
  '**/application*.{yml,yaml,properties}{,.example,.sample,.template}',
  '**/bootstrap*.{yml,yaml,properties}',
  // .NET
  '**/appsettings*.json',
  '**/web.config',
  // Terraform variables, Helm values
  '**/*.tfvars',
  '**/*.tfvars.json',
  '**/{helm,charts}/**/values*.{yml,yaml}',
];

/**
 * Dependency files Service Gate has no reader for. When a repository has one, "declared but not
 * found" cannot be a failure: the declaration may be in it (see the README's "not verified").
 */
const UNSUPPORTED_BUILD_FILES = [
  'setup.py',
  'setup.cfg',
  'environment.yml',
  'conda.yml',
  'Cargo.toml',
  'mix.exs',
  'build.xml',
  'ivy.xml',
  'project.clj',
  'deps.edn',
  'Package.swift',
  'Podfile',
  'pubspec.yaml',
  'paket.dependencies',
  'Cartfile',
  'stack.yaml',
  'cabal.project',
  'DESCRIPTION',
  'renv.lock',
];

const IGNORED = [
  '**/node_modules/**',
  '**/vendor/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/target/**',
  '**/.venv/**',
  '**/venv/**',
  '**/locales/**',
  '**/locale/**',
  '**/i18n/**',
  '**/{test,tests,spec,__tests__}/fixtures/**',
  '**/credentials*',
];

/**
 * Compiled on first use, and the ignore list once rather than inside every matcher: compiling
 * globs is most of the cost of matching them, and a CLI run matches each path only once.
 */
let isIgnored: picomatch.Matcher | undefined;
function ignored(path: string): boolean {
  isIgnored ??= picomatch(IGNORED, { dot: true });
  return isIgnored(path);
}

let configPath: picomatch.Matcher | undefined;
const unsupportedNames = new Set(UNSUPPORTED_BUILD_FILES);

export type EvidenceKind = 'dependency' | 'config' | 'unsupported';

/** What kind of evidence a path is, or undefined when it is none. */
export function evidenceKind(path: string): EvidenceKind | undefined {
  const segments = path.split('/');
  if (segments.length > MAX_PATH_DEPTH || ignored(path)) return undefined;
  if (segments.length <= MAX_DEPENDENCY_DEPTH) {
    if (readerFor(path)) return 'dependency';
    if (unsupportedNames.has(segments[segments.length - 1]!)) return 'unsupported';
  }
  configPath ??= picomatch(CONFIG_FILES, { dot: true });
  return configPath(path) ? 'config' : undefined;
}

/** At most this many files are read; the rest are named as not read. */
export const MAX_EVIDENCE_FILES = 100;
/** Files larger than this are not read (a 20 MB lockfile is possible, but not worth the memory). */
export const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;

/** Why a selected file was not read, in the words every shell uses. */
export function tooLargeReason(bytes: number): string {
  return `it is ${bytes} bytes, over the ${MAX_EVIDENCE_BYTES} Service Gate reads`;
}

/** Lockfiles first (they resolve versions), then manifests, then configuration; shallow first. */
function rank(path: string, kind: EvidenceKind): number {
  if (kind === 'config') return 2;
  return /(\.lock|-lock\.(json|yaml)|shrinkwrap\.json|\.locked)$/.test(path) ? 0 : 1;
}

export interface EvidenceSelection {
  /** Files to read, in order of importance. */
  read: string[];
  /** Evidence files over MAX_EVIDENCE_FILES: not read, and named as such. */
  skipped: string[];
  /** Build files with no reader. */
  unsupported: string[];
}

export function selectEvidence(paths: readonly string[]): EvidenceSelection {
  const chosen: [string, number][] = [];
  const unsupported: string[] = [];
  for (const p of paths) {
    const kind = evidenceKind(p);
    if (kind === 'unsupported') unsupported.push(p);
    else if (kind) chosen.push([p, rank(p, kind)]);
  }
  chosen.sort(([a, ra], [b, rb]) => ra - rb || depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  const ordered = chosen.map(([p]) => p);
  return {
    read: ordered.slice(0, MAX_EVIDENCE_FILES),
    skipped: ordered.slice(MAX_EVIDENCE_FILES),
    unsupported: unsupported.sort(),
  };
}

/** The files to read for evidence (see selectEvidence for what is left out and why). */
export function selectEvidenceFiles(paths: readonly string[]): string[] {
  return selectEvidence(paths).read;
}

function depth(path: string): number {
  let n = 1;
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) n++;
  return n;
}

/**
 * Paths as evidence sees them: those deeper than MAX_PATH_DEPTH become a placeholder for their
 * folder at that depth (`src/main/java/uk/gov/.keep`), which is what the audit's depth-limited
 * tree listing shows. Idempotent, so a listing already projected is unchanged.
 */
export function projectPaths(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    let cut = -1;
    for (let i = 0, seen = 0; i < p.length; i++)
      if (p.charCodeAt(i) === 47 && ++seen === MAX_PATH_DEPTH) {
        cut = i;
        break;
      }
    out.add(cut === -1 ? p : `${p.slice(0, cut)}/.keep`);
  }
  return [...out];
}

/** Repository practices visible from file names alone. */
export const PRACTICE_GLOBS = {
  licence: ['{LICENSE,LICENCE,COPYING}{,.md,.txt}'],
  readme: ['README{,.md,.rst,.txt}'],
  ci: [
    '.github/workflows/*.{yml,yaml}',
    '.gitlab-ci.yml',
    '.circleci/config.yml',
    'Jenkinsfile',
    '.travis.yml',
    'azure-pipelines.yml',
    'buildspec.yml',
    '.drone.yml',
  ],
  tests: [
    '**/{test,tests,spec,specs,__tests__,features}/**',
    '**/*.{test,spec}.{js,jsx,ts,tsx,mjs,cjs}',
    '**/*_test.go',
    '**/test_*.py',
    '**/*_spec.rb',
  ],
  dependency_updates: [
    '.github/dependabot.{yml,yaml}',
    'renovate.json',
    '.renovaterc{,.json}',
    '.github/renovate.json{,5}',
  ],
  security_policy: ['SECURITY.md', '.github/SECURITY.md', '**/.well-known/security.txt'],
  codeowners: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS'],
  accessibility_statement: ['**/*accessibility*'],
  privacy_notice: ['**/*privacy*'],
  contributing: ['CONTRIBUTING{,.md}', '.github/CONTRIBUTING.md'],
  deployment: [
    'Dockerfile',
    '**/Dockerfile',
    'Procfile',
    'manifest.yml',
    '**/*.tf',
    'helm/**',
    'charts/**',
    'k8s/**',
    'kubernetes/**',
  ],
  // Service Standard point 14 (operate a reliable service): what a repository can show of it.
  monitoring: [
    '**/{prometheus,alertmanager,alerts,alerting}{,.*}.{yml,yaml}',
    '**/{prometheus,alerts,alerting,grafana,dashboards}/**',
    '**/sentry.*.{js,ts,mjs,cjs}',
    '**/.sentryclirc',
    '**/{datadog,newrelic}.{yml,yaml,js,cjs}',
  ],
  health_check: ['**/*health{check,_check,-check,z,}.*', '**/*health{check,_check,-check,}/**'],
  // Only a pipeline named for deploying: a CI file alone does not show that anything ships.
  continuous_deployment: ['.github/workflows/*{deploy,release,publish,cd}*.{yml,yaml}'],
} as const;

export type Practice = keyof typeof PRACTICE_GLOBS;

let practiceMatchers: (readonly [Practice, picomatch.Matcher])[] | undefined;

export function detectPractices(paths: readonly string[]): Record<Practice, boolean> {
  practiceMatchers ??= Object.entries(PRACTICE_GLOBS).map(
    ([name, globs]) =>
      [name as Practice, picomatch([...globs], { dot: true, nocase: true })] as const,
  );
  const found = Object.fromEntries(practiceMatchers.map(([name]) => [name, false])) as Record<
    Practice,
    boolean
  >;
  for (const path of paths) {
    if (ignored(path)) continue;
    for (const [name, matches] of practiceMatchers)
      if (!found[name] && matches(path)) found[name] = true;
  }
  return found;
}
