import picomatch from 'picomatch';

/**
 * Which repository files are evidence. Shells list the repository's paths, keep those that
 * match, and read only them: this bounds both disk reads (CLI) and API reads (App, audit).
 */

/** Dependency files, at the root or up to two folders down (monorepos: apps/web/package.json). */
const DEPENDENCY_FILES = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Gemfile',
  'Gemfile.lock',
  'requirements*.txt',
  'pyproject.toml',
  'poetry.lock',
  'go.mod',
];

const CONFIG_FILES = [
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.*.example',
  '*.env.example',
  'app.json',
  'manifest.yml',
  'docker-compose*.{yml,yaml}',
  'config/**/*.{yml,yaml,json,toml,rb,py,js,ts,properties,env}',
  'settings.py',
  '*/settings.py',
  '*/settings/*.py',
  'src/main/resources/application*.{yml,yaml,properties}',
];

/** Dependency files count at the root and up to two folders down. */
const MAX_DEPENDENCY_DEPTH = 3;

const IGNORED = ['**/node_modules/**', '**/vendor/**', '**/.git/**', '**/dist/**', '**/build/**'];

/**
 * Compiled on first use, and the ignore list once rather than inside every matcher: compiling
 * globs is most of the cost of matching them, and a CLI run matches each path only once.
 */
let isIgnored: picomatch.Matcher | undefined;
function ignored(path: string): boolean {
  isIgnored ??= picomatch(IGNORED, { dot: true });
  return isIgnored(path);
}

let dependencyName: picomatch.Matcher | undefined;
let configPath: picomatch.Matcher | undefined;
function isEvidence(path: string): boolean {
  dependencyName ??= picomatch(DEPENDENCY_FILES, { dot: true });
  configPath ??= picomatch(CONFIG_FILES, { dot: true });
  const segments = path.split('/');
  const dependency =
    segments.length <= MAX_DEPENDENCY_DEPTH && dependencyName(segments[segments.length - 1]!);
  return (dependency || configPath(path)) && !ignored(path);
}

/** At most this many files are read; lockfiles at the root are taken first. */
export const MAX_EVIDENCE_FILES = 60;
/** Files larger than this are skipped (a 20 MB lockfile is possible, but not worth the memory). */
export const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;

export function selectEvidenceFiles(paths: readonly string[]): string[] {
  return paths
    .filter((p) => isEvidence(p))
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))
    .slice(0, MAX_EVIDENCE_FILES);
}

function depth(path: string): number {
  return path.split('/').length;
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
