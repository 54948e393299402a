import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Diagnostic } from '../../core/diagnostics.js';
import { manifestJsonSchema } from '../../core/manifest/schema.js';
import { parsePolicy } from '../../core/policy/load.js';
import {
  explainPolicy,
  mergePolicies,
  type MergedPolicy,
  type PolicyLayer,
} from '../../core/policy/merge.js';
import type { Policy } from '../../core/policy/schema.js';
import { renderJson } from '../../core/render/json.js';
import { renderMarkdown } from '../../core/render/markdown.js';
import { renderSarif } from '../../core/render/sarif.js';
import { renderText } from '../../core/render/text.js';
import type { Report } from '../../core/report.js';
import type { Pack } from '../../core/rules/pack.js';
import { didYouMean } from '../../core/suggest.js';
import { bundledPacks, loadPackFiles } from '../../run/bundled-packs.js';
import { readEvidence, runCheck } from '../../run/check.js';
import { LocalScm } from '../../scm/local.js';
import { starterManifest } from './init.js';
import {
  AUDIT_FORMATS,
  type AuditFormat,
  parseShard,
  portfolioOf,
  readAuditFiles,
  renderAudit,
} from './audit.js';
import { auditGitHub, auditLocal, auditRepositories } from '../../run/audit.js';
import { syncDriftIssue } from '../../github/drift.js';
import { describeError } from '../../github/client.js';
import { createGitHub } from '../../github/octokit.js';
import { explainRule } from './explain.js';
import { VERSION } from '../../version.js';

/** Where output goes; injected so tests can run the CLI in-process. */
export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  cwd: string;
  today: () => string;
}

export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const;

class UsageError extends Error {}

const USAGE = `Usage: service-gate <command> [options]

Commands:
  check [DIR]          Judge DIR's service.yml and evidence against the rule packs
  audit                Portfolio report: --org ORG (repeatable, needs GITHUB_TOKEN) or --local DIR
                       [--format json|csv|markdown|html] [--output FILE] [--shard I/N]
  merge FILE...        Combine shard reports from audit --format json
  drift                Keep one issue per repository up to date with its findings
                       --org ORG | --repo OWNER/NAME [--interval-hours N] [--dry-run]
  explain RULE         Say what a rule checks, why, and how to fix it
  policy --explain     Show every effective policy setting and the file that set it
  init [DIR]           Write a starter service.yml from the repository's evidence
  schema               Print the JSON Schema of service.yml

check options:
  --base-ref REF       Judge the change from service.yml at git REF (phase gates)
  --base FILE          Judge the change from this base service.yml
  --config FILE        Repository policy file (default: DIR/.github/service-gate.yml if present)
  --central FILE       A central policy file, most general first (repeatable)
  --manifest PATH      service.yml path inside DIR (default: service.yml)
  --format FORMAT      text | markdown | json | sarif (default: text)
  --output FILE        Write the report to FILE instead of stdout
  --now YYYY-MM-DD     Evaluate as of this date (default: today)

Exit codes: 0 no failing finding, 1 the gate fails, 2 usage error.
Docs: https://github.com/service-gate/service-gate#readme`;

const FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'explain':
        return explain(rest, io);
      case 'init':
        return await init(rest, io);
      case 'policy':
        return policyCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case 'merge':
        return mergeCommand(rest, io);
      case 'drift':
        return await driftCommand(rest, io);
      case 'schema':
        io.stdout(`${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
        return EXIT.ok;
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
      default:
        throw new UsageError(
          `Unknown command '${command}'. ${didYouMean(command, ['check', 'explain', 'init', 'policy', 'schema', 'audit', 'merge', 'drift'])}`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`service-gate: ${(e as Error).message}\nRun 'service-gate --help' for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

async function check(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'base-ref': { type: 'string' },
      base: { type: 'string' },
      config: { type: 'string' },
      central: { type: 'string', multiple: true, default: [] },
      manifest: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      now: { type: 'string' },
    },
  });
  if (positionals.length > 1)
    throw new UsageError(`check takes one directory, not ${positionals.length}.`);
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format))
    throw new UsageError(
      `--format must be one of ${FORMATS.join(', ')}. ${didYouMean(values.format!, FORMATS)}`,
    );
  if (values['base-ref'] && values.base)
    throw new UsageError('Give --base-ref or --base, not both.');
  const now = values.now ?? io.today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(now))
    throw new UsageError('--now must be a date written YYYY-MM-DD.');

  const dir = resolve(io.cwd, positionals[0] ?? '.');
  if (!existsSync(dir)) throw new UsageError(`The directory ${dir} does not exist.`);
  const { policy, customPacks, diagnostics } = loadPolicy(
    dir,
    values.config,
    values.central ?? [],
    io.cwd,
  );
  let base: { ref: string } | { text: string; file: string } | undefined;
  if (values['base-ref']) base = { ref: values['base-ref'] };
  if (values.base) {
    const file = resolve(io.cwd, values.base);
    if (!existsSync(file)) throw new UsageError(`The base file ${values.base} does not exist.`);
    base = { text: readFileSync(file, 'utf8'), file: values.base };
  }

  const report = await runCheck({
    scm: new LocalScm(dir),
    manifestPath: values.manifest,
    base,
    policy,
    customPacks,
    setupDiagnostics: diagnostics,
    now,
  });
  const rendered = render(report, format, io.isTty && !values.output);
  if (values.output) writeFileSync(resolve(io.cwd, values.output), rendered);
  else io.stdout(rendered);
  return report.conclusion === 'failure' ? EXIT.gateFailed : EXIT.ok;
}

export function render(report: Report, format: (typeof FORMATS)[number], color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'sarif':
      return renderSarif(report, VERSION);
    default:
      return renderText(report, { color });
  }
}

interface LocalPolicy {
  policy?: Policy;
  merged?: MergedPolicy;
  customPacks: Pack[];
  diagnostics: Diagnostic[];
}

/**
 * Local policy: --central files (most general first), then the repository's own file
 * (--config, default DIR/.github/service-gate.yml). Without --central, the repository's file
 * stands alone and is treated as central, so its locks and waivers apply.
 */
function loadPolicy(
  dir: string,
  configFlag: string | undefined,
  centralFlags: readonly string[],
  cwd: string,
  options: { optional?: boolean } = {},
): LocalPolicy {
  const ownFile = configFlag ? resolve(cwd, configFlag) : join(dir, '.github', 'service-gate.yml');
  if (configFlag && !existsSync(ownFile) && !options.optional)
    throw new UsageError(`The policy file ${configFlag} does not exist.`);
  const files = [
    ...centralFlags.map((f) => ({ path: resolve(cwd, f), display: f, central: true })),
    ...(existsSync(ownFile)
      ? [
          {
            path: ownFile,
            display: configFlag ?? '.github/service-gate.yml',
            central: centralFlags.length === 0,
          },
        ]
      : []),
  ];
  const layers: PolicyLayer[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    if (!existsSync(f.path)) throw new UsageError(`The policy file ${f.display} does not exist.`);
    const parsed = parsePolicy(readFileSync(f.path, 'utf8'), f.display);
    if (parsed.ok) layers.push(parsed.layer(f.central));
    else diagnostics.push(...parsed.diagnostics);
  }
  if (layers.length === 0) return { customPacks: [], diagnostics };
  const merged = mergePolicies(layers);
  const packPaths = files.flatMap((f, i) =>
    (layers[i]?.policy.packs?.paths ?? []).map((p) => resolve(dirname(f.path), p)),
  );
  const missing = packPaths.filter((p) => !existsSync(p));
  if (missing.length)
    throw new UsageError(`Rule pack path ${missing[0]} (from packs.paths) does not exist.`);
  const loaded = loadPackFiles(packPaths);
  return {
    policy: merged.policy,
    merged,
    customPacks: loaded.packs,
    diagnostics: [...diagnostics, ...merged.diagnostics, ...loaded.diagnostics],
  };
}

/** `service-gate audit`: a portfolio report for organisations (through the API) or a folder. */
async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string', multiple: true, default: [] },
      local: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      output: { type: 'string' },
      shard: { type: 'string' },
      config: { type: 'string' },
      central: { type: 'string', multiple: true, default: [] },
      now: { type: 'string' },
      'include-archived': { type: 'boolean', default: false },
      'include-forks': { type: 'boolean', default: false },
    },
  });
  const format = auditFormat(values.format!);
  const orgs = values.org ?? [];
  if (orgs.length > 0 === Boolean(values.local))
    throw new UsageError('audit needs --org ORG (one or more) or --local DIR, not both.');
  const now = values.now ?? io.today();
  let shard;
  try {
    shard = parseShard(values.shard);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let results;
  let policy;
  if (values.local) {
    const dir = resolve(io.cwd, values.local);
    if (!existsSync(dir)) throw new UsageError(`The directory ${values.local} does not exist.`);
    const loaded = loadPolicy(
      dir,
      values.config ?? '/dev/null/none',
      values.central ?? [],
      io.cwd,
      { optional: true },
    );
    policy = loaded.policy;
    results = await auditLocal(dir, { policy, customPacks: loaded.customPacks, now, shard });
  } else {
    const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
    if (!token)
      throw new UsageError(
        'audit --org needs a token in GITHUB_TOKEN (read access to the repositories).',
      );
    const github = createGitHub(
      token,
      io.env.GITHUB_API_URL ?? 'https://api.github.com',
      `service-gate-cli/${VERSION}`,
    );
    const audit = await auditGitHub(github, orgs, {
      now,
      shard,
      include: { archived: values['include-archived'], forks: values['include-forks'] },
    });
    results = audit.results;
    policy = audit.policies.get(orgs[0]!)?.policy;
  }
  writeChunks(renderAudit(results, portfolioOf(results, policy, now), format), values.output, io);
  return EXIT.ok;
}

/** `service-gate drift`: one issue per repository, kept in step with its findings as evidence ages. */
async function driftCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string', multiple: true, default: [] },
      repo: { type: 'string', multiple: true, default: [] },
      'interval-hours': { type: 'string', default: '24' },
      'bot-login': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      now: { type: 'string' },
    },
  });
  const orgs = values.org ?? [];
  const repos = values.repo ?? [];
  if (orgs.length === 0 && repos.length === 0)
    throw new UsageError('drift needs --org ORG or --repo OWNER/NAME (repeatable).');
  const bad = repos.find((r) => !/^[^/\s]+\/[^/\s]+$/.test(r));
  if (bad) throw new UsageError(`--repo must be OWNER/NAME, not '${bad}'.`);
  const interval = Number(values['interval-hours']);
  if (!Number.isFinite(interval) || interval < 0)
    throw new UsageError('--interval-hours must be a number of hours, e.g. 24.');
  const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
  if (!token)
    throw new UsageError(
      'drift needs a token in GITHUB_TOKEN (issues: write on the repositories).',
    );
  const github = createGitHub(
    token,
    io.env.GITHUB_API_URL ?? 'https://api.github.com',
    `service-gate-cli/${VERSION}`,
  );
  const now = values.now ? `${values.now}T00:00:00Z` : new Date().toISOString();
  const day = now.slice(0, 10);
  const judged = [
    ...(orgs.length
      ? (await auditGitHub(github, orgs, { now: day, keepEvaluations: true })).results.repositories
      : []),
    ...(await auditRepositories(github, repos, day)),
  ];
  let failures = 0;
  for (const r of judged) {
    if (r.status === 'no-manifest' || !r.evaluation) continue;
    const [owner, repo] = r.repository.split('/') as [string, string];
    try {
      const outcome = await syncDriftIssue(
        github,
        { owner, repo, botLogin: values['bot-login'] },
        r.evaluation,
        { now, intervalHours: interval, dryRun: values['dry-run'] },
      );
      io.stdout(`${r.repository}: ${outcome}${values['dry-run'] ? ' (dry run)' : ''}\n`);
    } catch (e) {
      failures++;
      io.stderr(`${r.repository}: ${describeError(e)}\n`);
    }
  }
  return failures > 0 ? EXIT.gateFailed : EXIT.ok;
}

/** `service-gate merge`: combines shard reports into one portfolio. */
function mergeCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'markdown' },
      output: { type: 'string' },
      config: { type: 'string' },
      now: { type: 'string' },
    },
  });
  if (positionals.length === 0)
    throw new UsageError(
      'merge needs the shard reports: service-gate merge shard-1.json shard-2.json ...',
    );
  const format = auditFormat(values.format!);
  let results;
  try {
    results = readAuditFiles(positionals.map((p) => resolve(io.cwd, p)));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const policy = values.config ? loadPolicy(io.cwd, values.config, [], io.cwd).policy : undefined;
  writeChunks(
    renderAudit(results, portfolioOf(results, policy, values.now ?? io.today()), format),
    values.output,
    io,
  );
  return EXIT.ok;
}

function writeChunks(chunks: Iterable<string>, output: string | undefined, io: Io): void {
  if (!output) {
    for (const c of chunks) io.stdout(c);
    return;
  }
  const fd = openSync(resolve(io.cwd, output), 'w');
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
}

function auditFormat(value: string): AuditFormat {
  if (!(AUDIT_FORMATS as readonly string[]).includes(value))
    throw new UsageError(
      `--format must be one of ${AUDIT_FORMATS.join(', ')}. ${didYouMean(value, AUDIT_FORMATS)}`,
    );
  return value as AuditFormat;
}

/** `service-gate policy --explain`: every effective setting, its value, and which file set it. */
function policyCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      explain: { type: 'boolean', default: false },
      config: { type: 'string' },
      central: { type: 'string', multiple: true, default: [] },
      format: { type: 'string', default: 'text' },
    },
  });
  if (!values.explain)
    throw new UsageError('policy needs --explain (the only policy command so far).');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const loaded = loadPolicy(dir, values.config, values.central ?? [], io.cwd);
  const rows = explainPolicy(loaded.merged ?? mergePolicies([]));
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify({ settings: rows, problems: loaded.diagnostics }, null, 2)}\n`);
  } else {
    const width = Math.max(...rows.map((r) => r.setting.length));
    for (const r of rows)
      io.stdout(
        `${r.setting.padEnd(width)}  ${JSON.stringify(r.value)}  ← ${r.source}${r.locked ? ' (locked)' : ''}\n`,
      );
    for (const d of loaded.diagnostics)
      io.stdout(`\nproblem: ${d.file}:${d.line}:${d.column} ${d.message} ${d.hint}`);
    if (loaded.diagnostics.length) io.stdout('\n');
  }
  return loaded.diagnostics.length ? EXIT.gateFailed : EXIT.ok;
}

function explain(args: string[], io: Io): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const id = positionals[0];
  if (!id)
    throw new UsageError(
      'explain needs a rule id, e.g. service-gate explain gds.1.research-recent',
    );
  const rules = bundledPacks().flatMap((p) => p.rules);
  const rule = rules.find((r) => r.id === id);
  if (!rule)
    throw new UsageError(
      `There is no rule '${id}'. ${didYouMean(
        id,
        rules.map((r) => r.id),
      )}`,
    );
  io.stdout(explainRule(rule));
  return EXIT.ok;
}

async function init(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const target = join(dir, 'service.yml');
  if (existsSync(target)) {
    io.stderr(
      `service-gate: ${target} already exists; init never overwrites it. Run 'service-gate check' to judge it.\n`,
    );
    return EXIT.gateFailed;
  }
  const evidence = await readEvidence(new LocalScm(dir));
  const text = starterManifest(dir, evidence, readPackageName(dir));
  writeFileSync(target, text, { flag: 'wx' });
  io.stdout(
    `Wrote ${target} from the repository's evidence. Fill in the TODOs, then run: npx service-gate check\n`,
  );
  return EXIT.ok;
}

function readPackageName(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof pkg.name === 'string' ? pkg.name : undefined;
  } catch {
    return undefined;
  }
}
