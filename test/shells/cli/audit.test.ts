import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { node24 } from '../../helpers/node24.js';
import { BUILT_CLI, dyingWorker, portfolio } from '../../helpers/portfolio.js';

describe('service-gate audit --local, merge and policy --explain', () => {
  it('writes markdown, CSV, HTML and JSON portfolio reports for a folder of repositories', async () => {
    const md = await cli(['audit', '--local', 'examples']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## Maturity');
    expect(md.stdout).toContain('| discovery | 1 |');
    const csv = (await cli(['audit', '--local', 'examples', '--format', 'csv'])).stdout.split(
      '\r\n',
    );
    expect(csv[0]).toBe(
      'repository,organisation,team,status,service,phase,conclusion,failures,warnings,design_system,design_system_version,identity,payments,notifications,forms,verdict',
    );
    expect(csv.find((l) => l.startsWith('failing-claim-support,'))).toMatch(
      /,public-beta,failure,6,\d+,govuk-frontend,4\.8\.0,govuk-one-login,,govuk-notify,/,
    );
    expect((await cli(['audit', '--local', 'examples', '--format', 'html'])).stdout).toMatch(
      /^<!doctype html>/,
    );
    const json = JSON.parse(
      (await cli(['audit', '--local', 'examples', '--format', 'json'])).stdout,
    );
    expect(json.portfolio.totals.services).toBe(6);
    expect(json.results.repositories[0]).not.toHaveProperty('evaluation');
  });

  it('merges shard reports into the report a single run gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-shards-'));
    const files = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const file = join(dir, `shard-${shard[0]}.json`);
      expect(
        (
          await cli([
            'audit',
            '--local',
            'examples',
            '--shard',
            shard,
            '--format',
            'json',
            '--output',
            file,
          ])
        ).code,
      ).toBe(0);
      files.push(file);
    }
    const merged = await cli(['merge', ...files, '--format', 'markdown']);
    const whole = await cli(['audit', '--local', 'examples', '--format', 'markdown']);
    expect(merged.stdout).toBe(whole.stdout);
    const two = await cli(['merge', files[0]!, files[1]!]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/shard 3\/3 is missing.*--allow-partial/);
    const partial = await cli(['merge', files[0]!, files[1]!, '--allow-partial']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain('shard 3/3 missing');
    expect(partial.stdout).toContain('This report is partial: shard 3/3 is missing');
    const since = await cli(['merge', ...files, '--previous', files[0]!]);
    expect(since.stdout).toMatch(/## Changes since the last audit/);
    writeFileSync(join(dir, 'bad.json'), '{"nope": 1}');
    const bad = await cli(['merge', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a Service Gate audit report');
    expect((await cli(['audit', '--local', 'examples', '--shard', '4/3'])).stderr).toContain(
      '--shard must be I/N',
    );
  });

  it('explains which file set each policy setting, and reports a loosened lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-policy-'));
    writeFileSync(
      join(dir, 'central.yml'),
      'locks: [thresholds.research]\nthresholds:\n  research: {max_age_days: 120}\n',
    );
    writeFileSync(
      join(dir, 'repo.yml'),
      'thresholds:\n  research: {max_age_days: 400, min_participants: 8}\n',
    );
    const r = await cli([
      'policy',
      '--explain',
      '--central',
      join(dir, 'central.yml'),
      '--config',
      join(dir, 'repo.yml'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /thresholds\.research\.max_age_days\s+120\s+← .*central\.yml:3 \(locked\)/,
    );
    expect(r.stdout).toMatch(
      /thresholds\.research\.min_participants\s+8\s+← .*repo\.yml:2 \(locked\)/,
    );
    expect(r.stdout).toMatch(/thresholds\.accessibility\.audit_max_age_days\s+365\s+← default/);
    expect(r.stdout).toMatch(
      /problem: .*repo\.yml:2:\d+ thresholds\.research\.max_age_days is locked at 120/,
    );
    expect(readFileSync(join(dir, 'repo.yml'), 'utf8')).toContain('400');
  });
});

describe('audit --local: one repository cannot affect another', () => {
  const conclusions = async (dir: string) => {
    const json = JSON.parse((await cli(['audit', '--local', dir, '--format', 'json'])).stdout) as {
      results: {
        repositories: { repository: string; status: string; report?: { conclusion: string } }[];
      };
    };
    return Object.fromEntries(
      json.results.repositories.map((r) => [r.repository, `${r.status} ${r.report?.conclusion}`]),
    );
  };

  it("a repository policy that tries to reach Object.prototype leaves the others' verdicts as they were", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-tenants-'));
    cpSync('examples', dir, { recursive: true });
    const clean = await conclusions(dir);
    // One repository's own policy file: keys that once polluted every later repository.
    mkdirSync(join(dir, 'alpha-fishing-licence', '.github'), { recursive: true });
    writeFileSync(
      join(dir, 'alpha-fishing-licence', '.github', 'service-gate.yml'),
      'thresholds:\n  design_system_floors:\n    x.__proto__.polluted: 1\n    x.__proto__.waivers: 1\n',
    );
    const after = await conclusions(dir);
    expect(after['alpha-fishing-licence']).toBe('evaluated failure');
    delete clean['alpha-fishing-licence'];
    delete after['alpha-fishing-licence'];
    expect(after).toEqual(clean);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('service-gate audit --local --threads', () => {
  const dir = portfolio(450);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same report from worker threads as from one thread, in every format', async () => {
    let started = 0;
    const count = () => started++;
    process.on('worker', count);
    try {
      for (const format of ['json', 'markdown', 'csv', 'html']) {
        const args = ['audit', '--local', dir, '--format', format];
        const threaded = await cli([...args, '--threads', '2'], { entry: BUILT_CLI });
        expect(started).toBe(2);
        const alone = await cli([...args, '--threads', '1'], { entry: BUILT_CLI });
        expect(started).toBe(2);
        expect(threaded.code, threaded.stderr).toBe(0);
        expect(threaded.stdout).toBe(alone.stdout);
        started = 0;
      }
    } finally {
      process.off('worker', count);
    }
  });

  it('starts its threads from the installed CLI (bin/service-gate.js and its bundle), on Node 20 and 24', async () => {
    const run = (threads: string, node = process.execPath) => {
      // NODE_DEBUG=worker: Node says on stderr each worker it creates, and from which file.
      const r = spawnSync(
        node,
        [
          'bin/service-gate.js',
          'audit',
          '--local',
          dir,
          '--format',
          'json',
          '--now',
          '2026-11-27',
          '--threads',
          threads,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NODE_DEBUG: 'worker' } },
      );
      expect(r.status, r.stderr).toBe(0);
      return {
        report: r.stdout,
        workers: r.stderr.match(/create new worker \S+index\.cjs/g) ?? [],
      };
    };
    const threaded = run('2');
    const alone = run('1');
    expect(threaded.workers).toHaveLength(2);
    expect(alone.workers).toHaveLength(0);
    expect(JSON.parse(threaded.report).portfolio.totals.repositories).toBe(451);
    expect(threaded.report).toBe(alone.report);
    // Node 24 has no code cache of the build's V8 (the bin falls back to Node's own).
    const onNode24 = run('2', await node24());
    expect(onNode24.workers).toHaveLength(2);
    expect(onNode24.report).toBe(threaded.report);
  });

  it('writes no report when a worker fails, and says how to run in one thread', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sg-threads-')), 'report.json');
    const r = await cli(
      ['audit', '--local', dir, '--format', 'json', '--output', out, '--threads', '2'],
      { entry: dyingWorker() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^service-gate: An audit worker exited \(code 7\) while judging .+ to .+\. No report was written\. Run it again; to judge in one thread, add --threads 1\.\n$/,
    );
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('refuses a --threads that is not a whole number from 1 to 64, or without --local', async () => {
    for (const bad of ['0', '65', '1.5', 'two']) {
      const r = await cli(['audit', '--local', dir, '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--threads must be a whole number from 1 to 64; got '${bad}'.`);
    }
    const org = await cli(['audit', '--org', 'my-department', '--threads', '2']);
    expect(org.code).toBe(2);
    expect(org.stderr).toContain('--threads is for --local audits');
  });
});
