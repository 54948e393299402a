import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/core/report.js';
import { run } from '../src/shells/cli/main.js';
import { FakeGitHub } from './fake-github/server.js';
import { GENERATED } from './fixtures/hostile-corpus.js';
import { exampleFiles } from './shells/app/fixtures.js';
import { payload, type RunningApp, startApp } from './shells/app/harness.js';

/**
 * One verdict: every example and every hostile case, judged by the CLI (`check`), the App (the
 * real Probot server with signed deliveries, against the fake GitHub), the committed Action
 * bundle and `audit --local`, gives the same findings: the same rules, levels and places, in the
 * same order, and the same conclusion. Each shell runs once over all cases.
 */

const NOW = '2026-11-27';
const OWNER = 'cross';

interface Case {
  name: string;
  files: Record<string, string>;
}

const slug = (s: string) =>
  s
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
const EXAMPLES = readdirSync('examples', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const HOSTILE_FILES = readdirSync('test/fixtures/hostile', { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.yml'))
  .map((e) => e.name)
  .sort();
const CASES: Case[] = [
  ...EXAMPLES.map((name) => ({ name: `example-${name}`, files: exampleFiles(name) })),
  ...HOSTILE_FILES.map((f) => ({
    name: `hostile-${slug(f)}`,
    files: { 'service.yml': readFileSync(join('test/fixtures/hostile', f), 'utf8') },
  })),
  ...Object.entries(GENERATED).map(([name, text]) => ({
    name: `corpus-${slug(name)}`,
    files: { 'service.yml': text },
  })),
];

/** What must agree: one line per finding, in the report's order, and the conclusion. */
interface Verdict {
  conclusion: string;
  findings: string[];
}

const place = (rule: string, level: string, file: string, line: number, column: number) =>
  `${rule} ${level} ${file}:${line}:${column}`;

function fromJson(report: JsonReport): Verdict {
  return {
    conclusion: report.conclusion,
    findings: report.findings.map((f) =>
      place(f.rule, f.waived ? 'waived' : f.level, f.file, f.line, f.column),
    ),
  };
}

let root: string;
let app: RunningApp;
const verdicts = {
  cli: new Map<string, Verdict>(),
  app: new Map<string, Verdict>(),
  action: new Map<string, Verdict>(),
  audit: new Map<string, Verdict>(),
};

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, {
    env: {},
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTty: false,
    cwd: root,
    today: () => NOW,
  });
  return { code, out, err };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sg-cross-'));
  const repos = join(root, 'repos');
  for (const c of CASES)
    for (const [path, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(repos, c.name, path)), { recursive: true });
      writeFileSync(join(repos, c.name, path), text);
    }

  // The App: one installation event makes it judge every repository's default branch.
  const fake = new FakeGitHub();
  for (const c of CASES) fake.addRepo(`${OWNER}/${c.name}`, c.files);
  app = await startApp(fake);
  const delivered = await app.deliver(
    'installation_repositories',
    payload('installation_repositories', 'added', (p) => {
      p.repositories_added = CASES.map((c) => ({
        full_name: `${OWNER}/${c.name}`,
        name: c.name,
      }));
    }),
  );
  expect(delivered.ok).toBe(true);
  // Probot answers once its handlers have run; wait anyway, in case an answer comes first.
  const judgedAll = () =>
    CASES.every((c) => fake.checkRuns.some((r) => r.repo === c.name && r.status === 'completed'));
  for (let waited = 0; !judgedAll() && waited < 60_000; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  for (const c of CASES) {
    const runs = fake.checkRuns.filter((r) => r.repo === c.name && r.status === 'completed');
    expect(runs, c.name).toHaveLength(1);
    verdicts.app.set(c.name, {
      conclusion: runs[0]!.conclusion!,
      findings: (
        runs[0]!.annotations as {
          path: string;
          start_line: number;
          start_column: number;
          annotation_level: string;
          title: string;
        }[]
      ).map((a) =>
        place(
          /\(([^()]+)\)$/.exec(a.title)![1]!,
          a.title.startsWith('[waived] ') ? 'waived' : a.annotation_level,
          a.path,
          a.start_line,
          a.start_column,
        ),
      ),
    });
  }

  // The Action: the committed bundle, once per checkout, reading policy from the same fake.
  const cases = join(root, 'action-cases.json');
  const results = join(root, 'action-results.json');
  writeFileSync(
    cases,
    JSON.stringify(
      CASES.map((c) => ({
        name: c.name,
        repository: `${OWNER}/${c.name}`,
        workspace: join(repos, c.name),
        temp: join(root, 'runner'),
      })),
    ),
  );
  await promisify(execFile)(process.execPath, ['test/helpers/action-driver.mjs', cases, results], {
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      INPUT_TOKEN: 'ghs_cross_shell',
      GITHUB_API_URL: fake.url,
      SERVICE_GATE_TODAY: NOW,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const action = JSON.parse(readFileSync(results, 'utf8')) as Record<
    string,
    { report: JsonReport | null }
  >;
  for (const c of CASES) {
    const report = action[c.name]?.report;
    expect(report, `the Action wrote no report for ${c.name}`).toBeTruthy();
    verdicts.action.set(c.name, fromJson(report!));
  }

  // The CLI, in-process: `check` per repository, then one `audit --local` over all of them.
  for (const c of CASES) {
    const { out, err } = await cli([
      'check',
      join(repos, c.name),
      '--format',
      'json',
      '--now',
      NOW,
    ]);
    expect(err, c.name).toBe('');
    verdicts.cli.set(c.name, fromJson(JSON.parse(out) as JsonReport));
  }
  const audit = await cli(['audit', '--local', repos, '--format', 'json', '--now', NOW]);
  expect(audit.code).toBe(0);
  const judged = (
    JSON.parse(audit.out) as {
      results: { repositories: { repository: string; report: JsonReport }[] };
    }
  ).results.repositories;
  for (const r of judged) verdicts.audit.set(r.repository, fromJson(r.report));
}, 120_000);

afterAll(async () => app?.stop());

describe('one verdict from every shell', () => {
  it('covers every example and hostile case, with findings to compare', () => {
    expect(CASES.length).toBe(
      EXAMPLES.length + HOSTILE_FILES.length + Object.keys(GENERATED).length,
    );
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
    for (const shell of Object.values(verdicts))
      expect([...shell.keys()].sort()).toEqual(CASES.map((c) => c.name).sort());
    // Examples that pass and cases that fail, so agreement is not agreement on nothing.
    const cli = [...verdicts.cli.values()];
    expect(cli.filter((v) => v.conclusion === 'success').length).toBeGreaterThan(0);
    expect(cli.filter((v) => v.findings.length > 0).length).toBeGreaterThan(CASES.length / 2);
  });

  it.each(CASES.map((c) => c.name))(
    '%s: the App, the Action and audit --local agree with the CLI',
    (name) => {
      const expected = verdicts.cli.get(name)!;
      expect({
        app: verdicts.app.get(name),
        action: verdicts.action.get(name),
        audit: verdicts.audit.get(name),
      }).toEqual({ app: expected, action: expected, audit: expected });
    },
  );
});
