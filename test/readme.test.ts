import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseManifest } from '../src/core/manifest/load.js';
import { compilePack } from '../src/core/rules/pack.js';
import { FakeGitHub } from './fake-github/server.js';
import { cli, ROOT } from './helpers/cli.js';
import { exampleFiles } from './shells/app/fixtures.js';

/**
 * The README's examples are a contract: every YAML block parses with the schema it documents,
 * and every shell command runs as written, from the repository root, with the result the text
 * promises. A block the test cannot classify fails, so a new kind of block gets a check too.
 */
interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
}

function blocks(file: string): Block[] {
  const found: Block[] = [];
  let open: Block | undefined;
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const fence = /^```(\w*)\s*$/.exec(line);
      if (fence && !open) open = { file, line: i + 1, lang: fence[1]!, text: '' };
      else if (fence && open) {
        found.push(open);
        open = undefined;
      } else if (open) open.text += `${line}\n`;
    });
  return found;
}

const DOCS = ['README.md', 'examples/README.md'];
const ALL = DOCS.flatMap(blocks);
const where = (b: Block) => `${b.file}:${b.line}`;

type Kind = 'manifest' | 'policy' | 'pack' | 'workflow' | 'action-step';
function kindOf(value: Record<string, unknown>): Kind | undefined {
  if ('jobs' in value && 'on' in value) return 'workflow';
  if ('rules' in value && 'pack' in value) return 'pack';
  if ('phase' in value && 'name' in value) return 'manifest';
  if (
    ['packs', 'thresholds', 'locks', 'waivers', 'severity', 'approvers', '_extends'].some(
      (k) => k in value,
    )
  )
    return 'policy';
  return undefined;
}

const yamlBlocks = ALL.filter((b) => b.lang === 'yaml').map((b) => ({
  ...b,
  value: parseYaml(b.text) as unknown,
}));

describe('README YAML blocks', () => {
  it.each(yamlBlocks.map((b) => [where(b), b] as const))(
    '%s is a known kind of file',
    (_, block) => {
      const value = block.value;
      expect(value, `${where(block)} is not a YAML mapping`).toBeTypeOf('object');
      const steps = Array.isArray(value) ? value : undefined;
      const kind = steps ? 'action-step' : kindOf(value as Record<string, unknown>);
      expect(kind, `${where(block)}: teach test/readme.test.ts what this block is`).toBeDefined();
    },
  );

  it.each(
    yamlBlocks
      .filter((b) => kindOf(b.value as Record<string, unknown>) === 'manifest')
      .map((b) => [where(b), b] as const),
  )('%s is a valid service.yml', (_, block) => {
    const result = parseManifest(block.text, 'service.yml');
    expect(result.ok ? [] : result.diagnostics).toEqual([]);
  });

  it.each(
    yamlBlocks
      .filter((b) => kindOf(b.value as Record<string, unknown>) === 'pack')
      .map((b) => [where(b), b] as const),
  )('%s is a valid rule pack', (_, block) => {
    const result = compilePack(block.text, 'rules/pack.yml');
    expect(result.ok ? [] : result.diagnostics).toEqual([]);
  });

  it.each(
    yamlBlocks
      .filter((b) => kindOf(b.value as Record<string, unknown>) === 'policy')
      .map((b) => [where(b), b] as const),
  )('%s is a policy the CLI accepts, with the packs it names', async (_, block) => {
    // The policy in the organisation's .github repository, the README's custom pack wherever
    // the policy points (from that repository's root), and a service repository it judges.
    const central = mkdtempSync(join(tmpdir(), 'sg-readme-central-'));
    mkdirSync(join(central, '.github'), { recursive: true });
    const file = join(central, '.github', 'service-gate.yml');
    writeFileSync(file, block.text);
    const pack = yamlBlocks.find((b) => kindOf(b.value as Record<string, unknown>) === 'pack');
    const paths = ((block.value as { packs?: { paths?: string[] } }).packs?.paths ??
      []) as string[];
    for (const path of paths) {
      mkdirSync(join(central, path, '..'), { recursive: true });
      writeFileSync(join(central, path), pack!.text);
    }
    const repo = mkdtempSync(join(tmpdir(), 'sg-readme-policy-'));
    cpSync(join(ROOT, 'examples/live-renew-passport'), repo, { recursive: true });
    const explained = await cli(['policy', '--explain', repo, '--central', file]);
    expect(explained.stderr).toBe('');
    expect(explained.code).toBe(0);
    const checked = await cli([
      'check',
      repo,
      '--central',
      file,
      '--format',
      'json',
      '--now',
      '2026-12-01',
    ]);
    const findings = JSON.parse(checked.stdout).findings as { rule: string; message: string }[];
    expect(findings.filter((f) => /^(policy|yaml|pack)\//.test(f.rule))).toEqual([]);
  });

  it.each(
    yamlBlocks
      .filter((b) => kindOf(b.value as Record<string, unknown>) === 'workflow')
      .map((b) => [where(b), b] as const),
  )('%s is a workflow that runs only published, pinned code', (_, block) => {
    const workflow = block.value as {
      jobs: Record<string, { steps?: Record<string, unknown>[]; uses?: string }>;
    };
    for (const [name, job] of Object.entries(workflow.jobs)) {
      if (job.uses) continue; // a reusable workflow call
      expect(job.steps, `job ${name}`).toBeInstanceOf(Array);
      for (const step of job.steps!) {
        expect('uses' in step !== 'run' in step, `job ${name}: a step has uses or run`).toBe(true);
        // Not on the registry yet: whoever published the name would get the job's token.
        if (typeof step.run === 'string') expect(step.run).not.toMatch(/npx (-y )?service-gate/);
        for (const ref of serviceGateRefs(step))
          expect(isCommitHere(ref), `${ref} is a commit`).toBe(true);
      }
    }
  });
});

/** Where a step runs Service Gate's own code: the Action, or a checkout of this repository. */
function serviceGateRefs(step: Record<string, unknown>): string[] {
  const uses = typeof step.uses === 'string' ? step.uses : '';
  const action = /^service-gate\/service-gate@(.+)$/.exec(uses)?.[1];
  const checkout = (step.with as { repository?: string; ref?: string } | undefined) ?? {};
  return [
    ...(action ? [action] : []),
    ...(uses.startsWith('actions/checkout@') && checkout.repository === 'service-gate/service-gate'
      ? [String(checkout.ref)]
      : []),
  ];
}

/** A full SHA of a commit in this repository: a tag or branch name could be moved under the reader. */
function isCommitHere(ref: string): boolean {
  if (!/^[0-9a-f]{40}$/.test(ref)) return false;
  try {
    return (
      execFileSync('git', ['cat-file', '-t', ref], { cwd: ROOT, encoding: 'utf8' }).trim() ===
      'commit'
    );
  } catch {
    return false;
  }
}

/** A command line as the README writes it: `VAR=value ... program args`, joined by `&&`. */
function commands(block: Block): { env: Record<string, string>; argv: string[]; line: string }[] {
  return block.text
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .flatMap((l) => l.split('&&'))
    .map((line) => {
      const words = line.trim().split(/\s+/);
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(words[0]!)) {
        const [k, v] = words.shift()!.split('=');
        env[k!] = v!;
      }
      return { env, argv: words, line: line.trim() };
    });
}

/** Commands that are not Service Gate's: the quick start's test command is CI itself, and the
 * Dockerfile is replayed by test/shells/app/dockerfile.test.ts. */
const OTHER_COMMANDS = [/^npm ci$/, /^npm test$/, /^npm start$/, /^docker (build|run) /];

const shellCommands = ALL.filter((b) => b.lang === 'sh').flatMap((b) =>
  commands(b).map((c) => ({ ...c, where: where(b) })),
);

/**
 * The layout the README's commands assume, in a temp folder: the working directory holds the
 * examples and a folder of checkouts, `../central` the README's central policy and custom pack,
 * and `--org` reaches a fake GitHub with the README's organisations.
 */
let sandbox: string;
let fake: FakeGitHub;
beforeAll(async () => {
  const top = mkdtempSync(join(tmpdir(), 'sg-readme-'));
  sandbox = join(top, 'work');
  cpSync(join(ROOT, 'examples'), join(sandbox, 'examples'), { recursive: true });
  cpSync(join(ROOT, 'examples'), join(sandbox, 'checkouts'), { recursive: true });
  const policy = yamlBlocks.find((b) => kindOf(b.value as Record<string, unknown>) === 'policy')!;
  const pack = yamlBlocks.find((b) => kindOf(b.value as Record<string, unknown>) === 'pack')!;
  mkdirSync(join(top, 'central', '.github'), { recursive: true });
  writeFileSync(join(top, 'central', '.github', 'service-gate.yml'), policy.text);
  for (const path of (policy.value as { packs?: { paths?: string[] } }).packs?.paths ?? []) {
    mkdirSync(join(top, 'central', path, '..'), { recursive: true });
    writeFileSync(join(top, 'central', path), pack.text);
  }
  fake = new FakeGitHub();
  fake.addRepo('my-department/renew-passport', exampleFiles('live-renew-passport'));
  fake.addRepo('my-agency/claim-support', exampleFiles('failing-claim-support'));
  await fake.start();
}, 60_000);
afterAll(async () => fake?.stop());

describe('README shell commands', () => {
  it('has commands to run', () => {
    expect(shellCommands.filter((c) => c.argv[1] === 'service-gate').length).toBeGreaterThan(4);
  });

  it.each(shellCommands.map((c) => [`${c.where} ${c.line}`, c] as const))(
    '%s runs as written',
    async (_, command) => {
      if (command.argv[0] !== 'npx' || command.argv[1] !== 'service-gate') {
        expect(
          OTHER_COMMANDS.some((re) => re.test(command.argv.join(' '))),
          `${command.where}: teach test/readme.test.ts to run '${command.line}'`,
        ).toBe(true);
        return;
      }
      const env = {
        ...command.env,
        ...('GITHUB_TOKEN' in command.env
          ? { GITHUB_TOKEN: 'ghs_readme', GITHUB_API_URL: fake.url }
          : {}),
      };
      const result = await cli(command.argv.slice(2), { env, cwd: sandbox });
      expect(result.stderr).not.toMatch(/Usage:|unknown option|Unknown command|does not exist/i);
      expect([0, 1], result.stderr).toContain(result.code);
    },
    60_000,
  );
});

/** The examples' documented results hold whatever the date: run them a year from now. */
describe('the examples a year from now', () => {
  const table = readFileSync(join(ROOT, 'examples/README.md'), 'utf8')
    .split('\n')
    .map((l) => /^\| \[`([\w-]+)`\].*\| (\d) \|$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ example: m[1]!, exit: Number(m[2]) }));
  const documented = shellCommands.filter(
    (c) => c.argv[1] === 'service-gate' && c.argv[2] === 'check',
  );

  it('documents every example with its exit code', () => {
    const folders = ['alpha-fishing-licence', 'discovery-waste-permits', 'failing-claim-support'];
    expect(table.map((t) => t.example)).toEqual(expect.arrayContaining(folders));
    expect(table.length).toBeGreaterThanOrEqual(6);
  });

  it.each(table.map((t) => [t.example, t] as const))(
    '%s keeps its documented exit code',
    async (_, { example, exit }) => {
      const inAYear = new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10);
      const commandsForIt = documented.filter((c) => c.argv[3] === `examples/${example}`);
      // The folder's README line is the command a reader runs; the table's is the same with --now.
      const argv = commandsForIt[0]?.argv.slice(2) ?? ['check', `examples/${example}`];
      expect(argv, `examples/README.md: pin the date of ${example}'s command`).toContain('--now');
      const result = await cli(argv, { today: inAYear });
      expect(result.code, result.stdout).toBe(exit);
    },
  );
});
