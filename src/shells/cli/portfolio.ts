import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { notOneOf } from '../../core/suggest.js';
import { describeError, UsageError } from '../../errors.js';
import { syncDriftIssue } from '../../github/drift.js';
import { auditGitHub, auditLocal, auditRepositories } from '../../run/audit.js';
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
} from './audit.js';
import { EXIT, type Io, loadPolicy, nowOption, writeOutput } from './common.js';

/**
 * The central unit's commands: audit, merge and drift. main.ts loads this module only when one
 * of them runs, so `check` starts without the portfolio code or the GitHub client.
 */

/** `service-gate audit`: a portfolio report for organisations (through the API) or a folder. */
export async function auditCommand(args: string[], io: Io): Promise<number> {
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
      previous: { type: 'string' },
    },
  });
  const format = auditFormat(values.format!);
  const orgs = values.org ?? [];
  if (orgs.length > 0 === Boolean(values.local))
    throw new UsageError('audit needs --org ORG (one or more) or --local DIR, not both.');
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
    const loaded = loadPolicy(
      dir,
      values.config ?? '/dev/null/none',
      values.central ?? [],
      io.cwd,
      { optional: true },
    );
    policy = loaded.policy;
    results = await auditLocal(dir, { central: loaded, now, shard });
  } else {
    const github = await githubFromEnv(io, 'audit --org', 'read access to the repositories');
    const audit = await auditGitHub(github, orgs, {
      now,
      shard,
      include: { archived: values['include-archived'], forks: values['include-forks'] },
    });
    results = audit.results;
    policy = audit.policies.get(orgs[0]!)?.policy;
  }
  const previous = readPrevious(values.previous, io);
  writeOutput(
    renderAudit(results, portfolioOf(results, policy, now, previous), format),
    values.output,
    io,
  );
  return EXIT.ok;
}

/** `service-gate drift`: one issue per repository, kept in step with its findings as evidence ages. */
export async function driftCommand(args: string[], io: Io): Promise<number> {
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
  const github = await githubFromEnv(io, 'drift', 'issues: write on the repositories');
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
    } catch (e) {
      failures++;
      io.stderr(`${r.repository}: ${describeError(e)}\n`);
    }
  }
  return failures > 0 ? EXIT.gateFailed : EXIT.ok;
}

/** `service-gate merge`: combines shard reports into one portfolio. */
export function mergeCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'markdown' },
      output: { type: 'string' },
      config: { type: 'string' },
      now: { type: 'string' },
      previous: { type: 'string' },
      'allow-partial': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0)
    throw new UsageError(
      'merge needs the shard reports: service-gate merge shard-1.json shard-2.json ...',
    );
  const format = auditFormat(values.format!);
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
  const policy = values.config ? loadPolicy(io.cwd, values.config, [], io.cwd).policy : undefined;
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
