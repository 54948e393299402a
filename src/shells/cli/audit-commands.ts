import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { notOneOf } from '../../core/suggest.js';
import { describeError, UsageError } from '../../errors.js';
import { driftFingerprint, driftIssueContent, syncDriftIssue } from '../../github/drift.js';
import type { Report } from '../../core/report.js';
import { auditGitHub, auditLocal, auditRepositories } from '../../run/audit.js';
import { AuditWorkerError } from '../../run/audit-workers.js';
import type { AuditResults } from '../../core/audit/portfolio.js';
import { VERSION } from '../../version.js';
import {
  AUDIT_FORMATS,
  type AuditFormat,
  parseShard,
  portfolioOf,
  readAuditFile,
  readAuditFiles,
  renderAudit,
} from './portfolio-report.js';
import { parseCommand } from './commands.js';
import { EXIT, type Io, nowOption, writeOutput } from './common.js';
import { loadPolicy, type LocalPolicyOptions } from './local-policy.js';

/**
 * The central unit's commands: audit, merge and drift. main.ts loads this module only when one
 * of them runs, so `check` starts without the portfolio code or the GitHub client.
 */

/** `service-gate audit`: a portfolio report for organisations (through the API) or a folder. */
export async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseCommand('audit', args);
  const format = auditFormat(values.format ?? 'markdown');
  const orgs = values.org ?? [];
  if (orgs.length > 0 === Boolean(values.local))
    throw new UsageError('audit needs --org ORG (one or more) or --local DIR, not both.');
  if (values.threads !== undefined && !values.local)
    throw new UsageError(
      '--threads is for --local audits: an audit through the API waits on GitHub, not on the CPU.',
    );
  const now = nowOption(values.now, io);
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
    refuseSingleRepository(dir, values.local);
    // An audit has no repository of its own: --config is one more central file, after --central.
    const policyFiles: LocalPolicyOptions = {
      dir,
      cwd: io.cwd,
      central: [...(values.central ?? []), ...(values.config ? [values.config] : [])],
      ownFile: false,
    };
    const loaded = loadPolicy(policyFiles);
    policy = loaded.policy;
    const threads = threadsOption(values.threads);
    try {
      results = await auditLocal(dir, {
        central: loaded,
        now,
        shard,
        ...(io.entry
          ? {
              workers: {
                entry: io.entry,
                threads,
                asked: values.threads !== undefined,
                policy: policyFiles,
              },
            }
          : {}),
      });
    } catch (e) {
      if (!(e instanceof AuditWorkerError)) throw e;
      io.stderr(
        `service-gate: ${e.message.replace(/\.?$/, '.')} No report was written. Run it again; to judge in one thread, add --threads 1.\n`,
      );
      return EXIT.usage;
    }
  } else {
    const github = await githubFromEnv(io, 'audit --org', 'read access to the repositories');
    const audit = await auditGitHub(github, orgs, {
      now,
      shard,
      include: {
        archived: values['include-archived'] ?? false,
        forks: values['include-forks'] ?? false,
      },
    });
    results = audit.results;
    policy = audit.policies.get(orgs[0]!)?.merged.policy;
  }
  const previous = readPrevious(values.previous, io);
  writeOutput(
    renderAudit(results, portfolioOf(results, policy, now, previous), format),
    values.output,
    io,
  );
  return EXIT.ok;
}

/** --threads: how many threads judge a local audit; by default one per core, at most 4. */
function threadsOption(value: string | undefined): number {
  if (value === undefined) return Math.min(4, availableParallelism());
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64)
    throw new UsageError(`--threads must be a whole number from 1 to 64; got '${value}'.`);
  return n;
}

/** `service-gate drift`: one issue per repository, kept in step with its findings as evidence ages. */
export async function driftCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseCommand('drift', args);
  const orgs = values.org ?? [];
  const repos = values.repo ?? [];
  if (values.local !== undefined) return driftLocal(values.local, values, io);
  if (orgs.length === 0 && repos.length === 0)
    throw new UsageError(
      'drift needs --org ORG or --repo OWNER/NAME (repeatable), or --local DIR --dry-run.',
    );
  const bad = repos.find((r) => !/^[^/\s]+\/[^/\s]+$/.test(r));
  if (bad) throw new UsageError(`--repo must be OWNER/NAME, not '${bad}'.`);
  const interval = Number(values['interval-hours'] ?? '24');
  if (!Number.isFinite(interval) || interval < 0)
    throw new UsageError('--interval-hours must be a number of hours, e.g. 24.');
  const github = await githubFromEnv(
    io,
    'drift',
    values['dry-run'] ? 'read access to the repositories' : 'issues: write on the repositories',
  );
  const now = values.now ? `${nowOption(values.now, io)}T00:00:00Z` : new Date().toISOString();
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
      if (values['dry-run'] && ['created', 'updated', 'reopened'].includes(outcome))
        io.stdout(dryRunIssue(r.evaluation, now));
    } catch (e) {
      failures++;
      io.stderr(`${r.repository}: ${describeError(e)}\n`);
    }
  }
  return failures > 0 ? EXIT.failing : EXIT.ok;
}

/** `service-gate merge`: combines shard reports into one portfolio. */
export function mergeCommand(args: string[], io: Io): number {
  const { values, positionals } = parseCommand('merge', args);
  const format = auditFormat(values.format ?? 'markdown');
  let results;
  try {
    results = readAuditFiles(
      positionals.map((p) => resolve(io.cwd, p)),
      { allowPartial: values['allow-partial'] },
    );
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (results.missing_shards?.length)
    io.stderr(
      `Warning: a partial report; ${results.missing_shards.length === 1 ? 'shard' : 'shards'} ${results.missing_shards.join(', ')} missing (--allow-partial).\n`,
    );
  const policy = values.config
    ? loadPolicy({ dir: io.cwd, cwd: io.cwd, central: [values.config], ownFile: false }).merged
        .policy
    : undefined;
  const previous = readPrevious(values.previous, io);
  writeOutput(
    renderAudit(results, portfolioOf(results, policy, nowOption(values.now, io), previous), format),
    values.output,
    io,
  );
  return EXIT.ok;
}

/** `--previous REPORT.json`: the last audit, to report what changed since. */
function readPrevious(path: string | undefined, io: Io): AuditResults | undefined {
  if (path === undefined) return undefined;
  try {
    return readAuditFile(resolve(io.cwd, path));
  } catch (e) {
    throw new UsageError(`--previous: ${(e as Error).message}`);
  }
}

/** What a dry run shows of an issue: its title and body, as drift would write them. */
function dryRunIssue(report: Report, now: string): string {
  const { title, body } = driftIssueContent(report, now);
  return `\n  Title: ${title}\n${body.replace(/^/gm, '  | ')}\n`;
}

/** `drift --local DIR --dry-run`: the issue each checkout would get, judged from disk. */
async function driftLocal(
  local: string,
  values: { 'dry-run'?: boolean; now?: string; org?: string[]; repo?: string[] },
  io: Io,
): Promise<number> {
  if (!values['dry-run'])
    throw new UsageError(
      'drift --local judges checkouts on disk, which have no issues to write to: add --dry-run, or use --org/--repo with a token.',
    );
  if (values.org?.length || values.repo?.length)
    throw new UsageError('Give --local or --org/--repo, not both.');
  const dir = resolve(io.cwd, local);
  if (!existsSync(dir)) throw new UsageError(`The directory ${local} does not exist.`);
  refuseSingleRepository(dir, local);
  const day = nowOption(values.now, io);
  const loaded = loadPolicy({ dir, cwd: io.cwd, central: [], ownFile: false });
  const results = await auditLocal(dir, { central: loaded, now: day, keepEvaluations: true });
  for (const r of results.repositories) {
    if (r.status === 'no-manifest' || !r.evaluation) continue;
    const { count } = driftFingerprint(r.evaluation);
    io.stdout(
      `${r.repository}: ${count === 0 ? 'nothing-to-do' : 'would have an open issue'} (dry run)\n`,
    );
    if (count > 0) io.stdout(dryRunIssue(r.evaluation, `${day}T00:00:00Z`));
  }
  return EXIT.ok;
}

/**
 * `audit --local` and `drift --local` take a folder of checkouts; pointed at one repository
 * they would judge its sub-folders (app/, config/) as repositories.
 */
function refuseSingleRepository(dir: string, given: string): void {
  const marks = ['service.yml', 'service.yaml', '.git', 'package.json'].filter((m) =>
    existsSync(join(dir, m)),
  );
  if (marks.length > 0)
    throw new UsageError(
      `${given} looks like one repository (it has ${marks.join(', ')}), not a folder of checkouts. Use 'service-gate check ${given}' for one repository, or point --local at the folder that holds the checkouts.`,
    );
}

/** The GitHub client is loaded only by the commands that talk to GitHub, to keep `check` quick to start. */
/** A GitHub client from GITHUB_TOKEN (or GH_TOKEN) and GITHUB_API_URL (GitHub Enterprise Server). */
async function githubFromEnv(io: Io, command: string, access: string) {
  const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
  if (!token) throw new UsageError(`${command} needs a token in GITHUB_TOKEN (${access}).`);
  // Loaded here so that `check` never loads Octokit.
  const { createGitHub } = await import('../../github/octokit.js');
  return createGitHub(
    token,
    io.env.GITHUB_API_URL ?? 'https://api.github.com',
    `service-gate-cli/${VERSION}`,
  );
}

function auditFormat(value: string): AuditFormat {
  if (!(AUDIT_FORMATS as readonly string[]).includes(value))
    throw new UsageError(notOneOf('--format', value, AUDIT_FORMATS));
  return value as AuditFormat;
}
