import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { couldNotEvaluate, errorReason } from '../../core/could-not-evaluate.js';
import { explainPolicy, mergePolicies } from '../../core/policy/merge.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../core/render/renderers.js';
import type { Report } from '../../core/report.js';
import { isRepositoryPath } from '../../core/repository-path.js';
import { didYouMean, notOneOf } from '../../core/suggest.js';
import { UsageError } from '../../errors.js';
import { bundledPacks } from '../../run/bundled-packs.js';
import { readEvidence } from '../../run/gather.js';
import { type BaseSource, prepare } from '../../run/judge.js';
import { LocalScm } from '../../scm/local.js';
import {
  containingRoot,
  pathKind,
  readRegularFile,
  UnsafeWriteError,
  writeRegularFile,
} from '../../scm/safe-fs.js';
import { PACKAGE_JSON_BYTES } from '../../core/limits.js';
import { DEFAULT_YAML_LIMITS } from '../../core/yaml/untrusted-yaml.js';
import { VERSION } from '../../version.js';
import { existingDir, EXIT, type Io, loadPolicy, nowOption, writeOutput } from './common.js';
import { explainRule } from './explain.js';
import { starterManifest } from './init.js';

export { EXIT, type Io };

const USAGE = `Usage: service-gate <command> [options]

Commands:
  check [DIR]          Judge DIR's service.yml and evidence against the rule packs
  audit                Portfolio report: --org ORG (repeatable, needs GITHUB_TOKEN) or --local DIR
                       [--format json|csv|markdown|html] [--output FILE] [--shard I/N]
                       [--previous REPORT.json] (what changed since that audit)
  merge FILE...        Combine shard reports from audit --format json; every shard must be
                       there unless --allow-partial [--previous REPORT.json]
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
        return await (await import('./portfolio.js')).auditCommand(rest, io);
      case 'merge':
        return (await import('./portfolio.js')).mergeCommand(rest, io);
      case 'drift':
        return await (await import('./portfolio.js')).driftCommand(rest, io);
      case 'schema':
        io.stdout(
          `${JSON.stringify((await import('../../core/manifest/json-schema.js')).manifestJsonSchema(), null, 2)}\n`,
        );
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
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(notOneOf('--format', values.format!, REPORT_FORMATS));
  if (values['base-ref'] && values.base)
    throw new UsageError('Give --base-ref or --base, not both.');
  const now = nowOption(values.now, io);
  const manifest = values.manifest;
  if (manifest !== undefined && !isRepositoryPath(manifest))
    throw new UsageError(
      `--manifest is a path inside the directory checked, like services/api/service.yml; got '${manifest}'.`,
    );

  const dir = existingDir(io.cwd, positionals[0]);
  const report = await judgeDirectory(dir, values, now, io).catch((error: unknown) => {
    if (error instanceof UsageError) throw error;
    // Whatever the repository holds, the answer is a report that fails, not a crash.
    return couldNotEvaluate({
      reason: errorReason(error),
      rerun:
        'Run `service-gate check` again; if it fails the same way, report it with this message.',
      now,
    });
  });
  const color = io.isTty && !values.output;
  const rendered = renderReport(report, format, {
    toolVersion: VERSION,
    color,
    width: color ? process.stdout.columns : undefined,
    manifestPath: values.manifest,
  });
  writeOutput([rendered], values.output, io);
  return report.conclusion === 'failure' ? EXIT.gateFailed : EXIT.ok;
}

interface CheckFlags {
  'base-ref'?: string;
  base?: string;
  config?: string;
  central?: string[];
  manifest?: string;
}

async function judgeDirectory(
  dir: string,
  values: CheckFlags,
  now: string,
  io: Io,
): Promise<Report> {
  const manifest = values.manifest;
  const scm = new LocalScm(dir);
  const policy = loadPolicy(dir, values.config, values.central ?? [], io.cwd);
  let base: BaseSource | undefined;
  if (values['base-ref']) {
    // A mistyped ref would otherwise read as "no base" and skip the phase gates without a word.
    if (!(await scm.hasCommit(values['base-ref'])))
      throw new UsageError(
        `--base-ref ${values['base-ref']} is not a commit in ${dir}'s git repository. Try origin/main, or fetch the base branch first.`,
      );
    base = { ref: values['base-ref'] };
  }
  if (values.base) {
    const read = readRegularFile(resolve(io.cwd, values.base), {
      maxBytes: DEFAULT_YAML_LIMITS.maxBytes,
      root: containingRoot(dir, resolve(io.cwd, values.base)),
    });
    if (read.status === 'missing')
      throw new UsageError(`The base file ${values.base} does not exist.`);
    // Like a missing base: the head is judged alone (an unreadable base cannot say where it came from).
    if (read.status === 'ok') base = { text: read.text, file: values.base };
  }

  const judge = prepare(policy, { now, manifestPath: manifest });
  return judge.evaluate(await judge.gather({ scm, base }));
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
  const dir = existingDir(io.cwd, positionals[0]);
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
  const dir = existingDir(io.cwd, positionals[0]);
  const target = join(dir, 'service.yml');
  if (pathKind(target) !== 'missing' || isLink(target)) {
    io.stderr(
      `service-gate: ${target} already exists; init never overwrites it. Run 'service-gate check' to judge it.\n`,
    );
    return EXIT.gateFailed;
  }
  const evidence = await readEvidence(new LocalScm(dir));
  const text = starterManifest(dir, evidence, readPackageName(dir));
  try {
    // Exclusive and not through a link: a link planted since the check above is refused too.
    writeRegularFile(target, text, { exclusive: true, root: dir });
  } catch (e) {
    if (!(e instanceof UnsafeWriteError)) throw e;
    io.stderr(`service-gate: init did not write ${target}: ${e.message}.\n`);
    return EXIT.gateFailed;
  }
  io.stdout(
    `Wrote ${target} from the repository's evidence. Fill in the TODOs, then run: npx service-gate check\n`,
  );
  return EXIT.ok;
}

function readPackageName(dir: string): string | undefined {
  const read = readRegularFile(join(dir, 'package.json'), {
    maxBytes: PACKAGE_JSON_BYTES,
    root: dir,
  });
  if (read.status !== 'ok') return undefined;
  try {
    const pkg = JSON.parse(read.text) as { name?: unknown };
    return typeof pkg.name === 'string' ? pkg.name : undefined;
  } catch {
    return undefined;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
