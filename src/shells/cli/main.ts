import { existsSync, lstatSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, MANIFEST_NAMES } from '../../core/manifest/load.js';
import { couldNotEvaluate, errorReason } from '../../core/could-not-evaluate.js';
import { explainPolicy } from '../../core/policy/merge.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../core/render/renderers.js';
import type { Policy } from '../../core/policy/schema.js';
import type { Report } from '../../core/report.js';
import { isRepositoryPath } from '../../core/repository-path.js';
import { didYouMean, notOneOf } from '../../core/suggest.js';
import { describeError, UsageError } from '../../errors.js';
import { CORE_PACKS } from '../../core/select-packs.js';
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
import { repositoryOfCheckout } from '../../scm/git-remote.js';
import { VERSION } from '../../version.js';
import { commandHelp, isCommand, overviewHelp, parseCommand } from './commands.js';
import { existingDir, EXIT, type Io, nowOption, writeOutput } from './common.js';
import { explainDiagnostic, explainRule, listRules } from './explain.js';
import { loadPolicy } from './local-policy.js';
import { starterManifest, suggestStandards } from './init.js';

export { EXIT, type Io };

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (isCommand(command) && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'explain':
        return explain(rest, io);
      case 'rules':
        return rulesCommand(rest, io);
      case 'init':
        return await init(rest, io);
      case 'policy':
        return policyCommand(rest, io);
      case 'audit':
        return await (await import('./audit-commands.js')).auditCommand(rest, io);
      case 'merge':
        return (await import('./audit-commands.js')).mergeCommand(rest, io);
      case 'drift':
        return await (await import('./audit-commands.js')).driftCommand(rest, io);
      case 'schema':
        return await schemaCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return EXIT.ok;
      case 'help':
        io.stdout(`${isCommand(rest[0]) ? commandHelp(rest[0]) : overviewHelp()}\n`);
        return EXIT.ok;
      case undefined:
      case '--help':
      case '-h':
        io.stdout(`${overviewHelp()}\n`);
        return EXIT.ok;
      default:
        throw new UsageError(
          `Unknown command '${command}'. ${didYouMean(command, ['check', 'explain', 'rules', 'init', 'policy', 'schema', 'audit', 'merge', 'drift'])}`,
        );
    }
  } catch (e) {
    const command = isCommand(argv[0]) ? argv[0] : undefined;
    if (e instanceof UsageError) {
      const help = command ? `service-gate ${command} --help` : 'service-gate --help';
      io.stderr(`service-gate: ${e.message}\nRun '${help}' for usage.\n`);
      return EXIT.usage;
    }
    if (isConnectionError(e)) {
      io.stderr(
        `service-gate: could not talk to GitHub (${describeError(e)}). Check the network, GITHUB_API_URL${io.env.GITHUB_API_URL ? ` (${io.env.GITHUB_API_URL})` : ''} and the token's access, then run it again.\n`,
      );
      return EXIT.usage;
    }
    throw e;
  }
}

/** Failures of the network or of GitHub itself, after the client's retries: not a bug to report. */
function isConnectionError(e: unknown): boolean {
  const error = e as {
    name?: string;
    status?: unknown;
    code?: unknown;
    cause?: { code?: unknown };
  };
  const code = String(error?.code ?? error?.cause?.code ?? '');
  return (
    error?.name === 'HttpError' ||
    typeof error?.status === 'number' ||
    /^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR)/.test(
      code,
    ) ||
    (e instanceof TypeError && e.message === 'fetch failed')
  );
}

async function check(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('check', args);
  const format = (values.format ?? 'text') as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(notOneOf('--format', format, REPORT_FORMATS));
  if (values['base-ref'] && values.base)
    throw new UsageError('Give --base-ref or --base, not both.');
  const now = nowOption(values.now, io);
  const { dir, manifest } = checkTarget(io.cwd, positionals[0], values.manifest);
  if (manifest !== undefined && !isRepositoryPath(manifest))
    throw new UsageError(
      `--manifest is a path inside the directory checked, like services/api/service.yml; got '${manifest}'.`,
    );
  const repo = values.repo;
  if (repo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(repo))
    throw new UsageError(`--repo is OWNER/NAME, like my-department/renew-passport; got '${repo}'.`);
  const report = await judgeDirectory(dir, { ...values, manifest }, now, io).catch(
    (error: unknown) => {
      if (error instanceof UsageError) throw error;
      // Whatever the repository holds, the answer is a report that fails, not a crash.
      return couldNotEvaluate({
        reason: errorReason(error),
        rerun:
          'Run `service-gate check` again; if it fails the same way, report it with this message.',
        now,
      });
    },
  );
  const color = io.isTty && !values.output;
  const rendered = renderReport(report, format, {
    toolVersion: VERSION,
    color,
    width: color ? process.stdout.columns : undefined,
    manifestPath: manifest,
  });
  writeOutput([rendered], values.output, io);
  return report.conclusion === 'failure' ? EXIT.failing : EXIT.ok;
}

interface CheckFlags {
  'base-ref'?: string;
  base?: string;
  config?: string;
  central?: string[];
  manifest?: string;
  repo?: string;
}

async function judgeDirectory(
  dir: string,
  values: CheckFlags,
  now: string,
  io: Io,
): Promise<Report> {
  const manifest = values.manifest;
  const scm = new LocalScm(dir);
  const policy = loadPolicy({
    dir,
    cwd: io.cwd,
    config: values.config,
    central: values.central ?? [],
  });
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
  const repo =
    values.repo ?? (needsIdentity(policy.policy) ? await repositoryOfCheckout(dir) : undefined);
  const facts = repo ? { fullName: repo } : undefined;
  return judge.evaluate(await judge.gather({ scm, base, facts }));
}

/**
 * Only waivers and packs.targets name repositories: without them the judgement is the same for
 * any OWNER/NAME, so `check` does not start git to ask the remote (a few milliseconds of start-up).
 */
function needsIdentity(policy: Policy | undefined): boolean {
  return Boolean(policy?.waivers?.length || policy?.packs?.targets?.length);
}

/**
 * What `check` was pointed at: a folder (its service.yml, else service.yaml), or the manifest
 * file itself, whose folder is then the repository judged.
 */
function checkTarget(
  cwd: string,
  given: string | undefined,
  manifestFlag: string | undefined,
): { dir: string; manifest?: string } {
  const path = resolve(cwd, given ?? '.');
  if (existsSync(path) && statSync(path).isFile()) {
    if (manifestFlag !== undefined)
      throw new UsageError(
        `Give the folder with --manifest, or the file alone; got the file ${given} and --manifest ${manifestFlag}.`,
      );
    return { dir: dirname(path), manifest: basename(path) };
  }
  const dir = existingDir(cwd, given);
  if (manifestFlag !== undefined) return { dir, manifest: manifestFlag };
  return { dir };
}

/** `service-gate schema [--draft-07]`: the JSON Schema of service.yml, as committed under schema/. */
async function schemaCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseCommand('schema', args);
  const { manifestJsonSchema } = await import('../../core/manifest/json-schema.js');
  const schema = manifestJsonSchema({
    build: values['draft-07'] ? 'draft-07' : 'draft-2020-12',
    packIds: bundledPacks()
      .map((p) => p.id)
      .filter((id) => !CORE_PACKS.includes(id)),
  });
  io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
  return EXIT.ok;
}

/** `service-gate policy --explain`: every effective setting, its value, and which file set it. */
function policyCommand(args: string[], io: Io): number {
  const { values, positionals } = parseCommand('policy', args);
  if (!values.explain)
    throw new UsageError('policy needs --explain (the only policy command so far).');
  const dir = existingDir(io.cwd, positionals[0]);
  const loaded = loadPolicy({
    dir,
    cwd: io.cwd,
    config: values.config,
    central: values.central ?? [],
  });
  const rows = explainPolicy(loaded.merged);
  const note = loaded.layers.some((l) => l.central)
    ? undefined
    : 'No central policy given (--central FILE): the repository file stands alone, so its locks and waivers do not apply. Only central files lock settings and grant waivers, as in the App.';
  if (values.format === 'json') {
    io.stdout(
      `${JSON.stringify({ files: loaded.layers.map((l) => ({ file: l.file, central: l.central })), settings: rows, problems: loaded.diagnostics, ...(note ? { note } : {}) }, null, 2)}\n`,
    );
  } else {
    const width = Math.max(...rows.map((r) => r.setting.length));
    for (const r of rows)
      io.stdout(
        `${r.setting.padEnd(width)}  ${JSON.stringify(r.value)}  ← ${r.source}${r.locked ? ' (locked)' : ''}\n`,
      );
    if (note) io.stdout(`\nnote: ${note}\n`);
    for (const d of loaded.diagnostics)
      io.stdout(`\nproblem: ${d.file}:${d.line}:${d.column} ${d.message} ${d.hint}`);
    if (loaded.diagnostics.length) io.stdout('\n');
  }
  return loaded.diagnostics.length ? EXIT.failing : EXIT.ok;
}

function explain(args: string[], io: Io): number {
  const { values, positionals } = parseCommand('explain', args);
  const id = positionals[0]!;
  const diagnostic = explainDiagnostic(id);
  if (diagnostic) {
    io.stdout(diagnostic);
    return EXIT.ok;
  }
  const rules = rulesOf(values, io);
  const rule = rules.find((r) => r.id === id);
  if (!rule)
    throw new UsageError(
      `There is no rule '${id}' in the bundled packs${values.central || values.config ? " or the policy's packs" : ' (custom packs: give --central or --config)'}. ${didYouMean(
        id,
        rules.map((r) => r.id),
      )}`,
    );
  io.stdout(explainRule(rule));
  return EXIT.ok;
}

/** The bundled rules, and the custom packs of the policy the options name, which replace packs of the same id. */
function rulesOf(values: { config?: string; central?: string[] }, io: Io) {
  const custom =
    values.config || values.central?.length
      ? loadPolicy({
          dir: io.cwd,
          cwd: io.cwd,
          config: values.config,
          central: values.central ?? [],
        }).customPacks
      : [];
  const ids = new Set(custom.map((p) => p.id));
  return [...bundledPacks().filter((p) => !ids.has(p.id)), ...custom].flatMap((p) => p.rules);
}

/** `service-gate rules`: the rules, filtered. */
function rulesCommand(args: string[], io: Io): number {
  const { values } = parseCommand('rules', args);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(notOneOf('--format', format, ['text', 'json']));
  const result = listRules(rulesOf(values, io), {
    packs: values.pack,
    phase: values.phase,
    severity: values.severity,
    gatesOnly: values.gates,
  });
  if (!result.ok) throw new UsageError(result.problem);
  io.stdout(format === 'json' ? `${JSON.stringify(result.rules, null, 2)}\n` : result.text);
  return EXIT.ok;
}

async function init(args: string[], io: Io): Promise<number> {
  const { positionals } = parseCommand('init', args);
  const dir = existingDir(io.cwd, positionals[0]);
  const existing = MANIFEST_NAMES.map((n) => join(dir, n)).find(
    (p) => pathKind(p) !== 'missing' || isLink(p),
  );
  if (existing) {
    io.stderr(
      `service-gate: ${existing} already exists; init never overwrites it. Run 'service-gate check ${positionals[0] ?? '.'}' to judge it.\n`,
    );
    return EXIT.failing;
  }
  const target = join(dir, MANIFEST_FILE);
  const evidence = await readEvidence(new LocalScm(dir));
  const standards = suggestStandards(
    evidence,
    bundledPacks().map((p) => ({ id: p.id, jurisdiction: p.jurisdiction })),
    CORE_PACKS,
  );
  const text = starterManifest(dir, evidence, { packageName: readPackageName(dir), standards });
  try {
    // Exclusive and not through a link: a link planted since the check above is refused too.
    writeRegularFile(target, text, { exclusive: true, root: dir });
  } catch (e) {
    if (!(e instanceof UnsafeWriteError)) throw e;
    io.stderr(`service-gate: init did not write ${target}: ${e.message}.\n`);
    return EXIT.failing;
  }
  io.stdout(
    `Wrote ${target} from the repository's evidence. Fill in the TODOs (check reports each one left), then run: npx service-gate check ${positionals[0] ?? '.'}\n`,
  );
  if (standards.length > 0)
    io.stdout(
      `Its standards (${standards.join(', ')}) follow from the design systems and platforms found; change them if your service answers to others.\n`,
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
