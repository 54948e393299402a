import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryFromRemoteUrl } from '../../../src/scm/git-remote.js';
import { COMMAND_NAMES, COMMANDS, parseCommand } from '../../../src/shells/cli/commands.js';
import { cli, ROOT } from '../../helpers/cli.js';
import { parse as parseYaml } from 'yaml';

/** What a new user meets first: help, mistakes, file names, pipes and the network. */
const copyOf = (example: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-first-day-'));
  cpSync(join(ROOT, 'examples', example), dir, { recursive: true });
  return dir;
};

describe('help', () => {
  it.each(COMMAND_NAMES.map((n) => [n]))(
    '`%s --help` lists every option it accepts',
    async (name) => {
      const { code, stdout, stderr } = await cli([name, '--help']);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(new RegExp(`^Usage: service-gate ${name}`));
      for (const option of Object.keys(COMMANDS[name].options))
        expect(stdout).toContain(`--${option}`);
      expect((await cli(['help', name])).stdout).toBe(stdout);
    },
  );

  it('the overview names every command', async () => {
    const { stdout } = await cli(['--help']);
    for (const name of COMMAND_NAMES) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('every documented option is accepted by its command', () => {
    for (const name of COMMAND_NAMES)
      for (const [option, spec] of Object.entries(COMMANDS[name].options)) {
        const args = spec.type === 'boolean' ? [`--${option}`] : [`--${option}`, 'x'];
        const positionals = 'positionals' in COMMANDS[name] ? COMMANDS[name].positionals.min : 0;
        expect(() =>
          parseCommand(name, [...args, ...Array.from({ length: positionals }, () => 'p')]),
        ).not.toThrow();
      }
  });

  it('a mistyped option is named with the likely fix, in balanced quotes', async () => {
    const typo = await cli(['check', '--formt', 'json']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("check has no option --formt. Did you mean '--format'?");
    expect(typo.stderr).toContain("Run 'service-gate check --help' for usage.");
    expect(typo.stderr.split("'").length % 2).toBe(1);
    const missing = await cli(['check', '--format']);
    expect(missing.stderr).toContain('--format needs a value.');
    const extra = await cli(['schema', 'extra']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("schema takes no arguments; got 'extra'.");
  });
});

describe('check finds the manifest a user points at', () => {
  it('accepts the service.yml file itself, judging its folder', async () => {
    const byFolder = await cli(['check', 'examples/failing-claim-support', '--format', 'json']);
    const byFile = await cli([
      'check',
      'examples/failing-claim-support/service.yml',
      '--format',
      'json',
    ]);
    expect(byFile.code).toBe(1);
    expect(byFile.stdout).toBe(byFolder.stdout);
    const both = await cli([
      'check',
      'examples/failing-claim-support/service.yml',
      '--manifest',
      'x.yml',
    ]);
    expect(both.code).toBe(2);
  });

  it('reads service.yaml when there is no service.yml, and init will not write a second file', async () => {
    const dir = copyOf('live-renew-passport');
    cpSync(join(dir, 'service.yml'), join(dir, 'service.yaml'));
    rmSync(join(dir, 'service.yml'));
    const { code, stdout } = await cli(['check', dir, '--format', 'json', '--now', '2026-12-01']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).service.name).toBe('Renew your passport');
    const init = await cli(['init', dir]);
    expect(init.code).toBe(1);
    expect(init.stderr).toContain('service.yaml already exists');
  });
});

describe('init', () => {
  it('writes a schema modeline, asks rather than guesses whether the source is public, and its TODOs fail check', async () => {
    const dir = copyOf('alpha-fishing-licence');
    rmSync(join(dir, 'service.yml'));
    const init = await cli(['init', dir]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`npx service-gate check ${dir}`);
    const text = readFileSync(join(dir, 'service.yml'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/\S+\.json$/);
    expect(text).not.toMatch(/public: true/);
    const check = await cli(['check', dir, '--format', 'json']);
    expect(check.code).toBe(1);
    const rules = JSON.parse(check.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules.filter((r: string) => r === 'manifest/placeholder').length).toBeGreaterThanOrEqual(
      4,
    );
    const filled = text
      .replace(/"?TODO[^\n"]*"?/g, 'Filled in')
      .replace('public: Filled in', 'public: true');
    writeFileSync(join(dir, 'service.yml'), filled);
    const again = JSON.parse((await cli(['check', dir, '--format', 'json'])).stdout);
    expect(again.findings.map((f: { rule: string }) => f.rule)).not.toContain(
      'manifest/placeholder',
    );
  });
});

describe('init suggests the standards the evidence points to', () => {
  it("writes a US service's packs where its design system and platforms are the US government's", async () => {
    const dir = copyOf('us-benefits-portal');
    rmSync(join(dir, 'service.yml'));
    const init = await cli(['init', dir]);
    expect(init.code).toBe(0);
    const written = parseYaml(readFileSync(join(dir, 'service.yml'), 'utf8')) as {
      standards?: string[];
    };
    expect(written.standards).toEqual([
      'us-21st-century-idea',
      'us-digital-services-playbook',
      'accessibility',
    ]);
    expect(init.stdout).toContain('follow from the design systems and platforms found');
    // The packs it names are the ones check then judges by: no UK pack.
    const check = JSON.parse((await cli(['check', dir, '--format', 'json'])).stdout);
    expect(check.packs.map((p: { id: string }) => p.id)).not.toContain('gds-service-standard');
  });

  it('leaves a UK service to the default packs, naming none', async () => {
    const dir = copyOf('alpha-fishing-licence');
    rmSync(join(dir, 'service.yml'));
    await cli(['init', dir]);
    expect(readFileSync(join(dir, 'service.yml'), 'utf8')).not.toMatch(/^standards:/m);
  });
});

describe('explain and rules', () => {
  it('explains the ids findings print for invalid files, not only rules', async () => {
    const { code, stdout } = await cli(['explain', 'manifest/invalid-value']);
    expect(code).toBe(0);
    expect(stdout).toContain('service.yml is valid');
    expect(stdout).toContain('invalid-value: A value is not one of those allowed');
    expect((await cli(['explain', 'policy/pack-missing'])).stdout).toContain('Policy is valid');
  });

  it("explains a custom pack's rule given the policy that loads it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-explain-'));
    writeFileSync(
      join(dir, 'extras.yml'),
      "pack: dept-extras\ntitle: Extras\njurisdiction: uk\nstandard: {id: dept-extras, title: Extras, url: 'https://example.gov.uk', points: {'1': Hosting}}\nrules:\n  - {id: dept.1.hosted, title: Hosting is declared, point: 1, phases: [live], severity: warning, require: 'true', message: m, fix: f, guidance: 'https://example.gov.uk/h'}\n",
    );
    writeFileSync(join(dir, 'central.yml'), 'packs: {paths: [extras.yml]}\n');
    expect((await cli(['explain', 'dept.1.hosted'])).stderr).toContain(
      'give --central or --config',
    );
    const found = await cli(['explain', 'dept.1.hosted', '--central', 'central.yml'], { cwd: dir });
    expect(found.stderr).toBe('');
    expect(found.stdout).toContain('dept.1.hosted: Hosting is declared');
  });

  it('lists rules with filters, and says which values a filter knows', async () => {
    const all = JSON.parse((await cli(['rules', '--format', 'json'])).stdout) as {
      id: string;
      gate: boolean;
      pack: string;
    }[];
    const gates = JSON.parse(
      (await cli(['rules', '--gates', '--format', 'json'])).stdout,
    ) as typeof all;
    expect(gates.length).toBeGreaterThan(0);
    expect(gates.length).toBeLessThan(all.length);
    expect(gates.every((r) => r.gate)).toBe(true);
    const text = (await cli(['rules', '--pack', 'accessibility'])).stdout;
    expect(text).toMatch(/^a11y\./m);
    expect(text).not.toMatch(/^gds\./m);
    const bad = await cli(['rules', '--phase', 'alfa']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('known: alpha');
  });
});

describe('the repository a check judges', () => {
  it.each([
    ['https://github.com/my-department/renew-passport.git', 'my-department/renew-passport'],
    ['git@github.com:my-department/renew-passport.git', 'my-department/renew-passport'],
    ['ssh://git@github.example.gov.uk:2222/dept/app', 'dept/app'],
    ['https://github.example.gov.uk/dept/app/', 'dept/app'],
    ['/srv/git/app.git', undefined],
  ])('%s is %s', (url, expected) => {
    expect(repositoryFromRemoteUrl(url)).toBe(expected);
  });

  it('previews a waiver for OWNER/NAME, from --repo or from the git remote', async () => {
    const dir = copyOf('failing-claim-support');
    const central = join(dir, 'central.yml');
    writeFileSync(
      central,
      'waivers:\n  - {rule: core.own-build-explained, repos: [my-department/claim-support], reason: Agreed with the assurance team, approved_by: cddo, expires: 2027-01-31}\n',
    );
    const waived = async (args: string[]) =>
      JSON.parse(
        (
          await cli([
            'check',
            dir,
            '--central',
            central,
            '--format',
            'json',
            '--now',
            '2026-12-01',
            ...args,
          ])
        ).stdout,
      ).findings.filter(
        (f: { rule: string; waived?: unknown }) =>
          f.rule === 'core.own-build-explained' && f.waived,
      ).length;
    expect(await waived([])).toBe(0);
    expect(await waived(['--repo', 'my-department/claim-support'])).toBe(1);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync(
      'git',
      ['remote', 'add', 'origin', 'git@github.com:my-department/claim-support.git'],
      { cwd: dir },
    );
    expect(await waived([])).toBe(1);
    expect((await cli(['check', dir, '--repo', 'not a repo'])).code).toBe(2);
  });
});

describe('pipes, the network and folders of checkouts', () => {
  it('stops quietly when the reader closes the pipe (| head)', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/service-gate.js'), 'audit', '--local', 'examples', '--format', 'csv'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
  });

  it('an unreachable GitHub is a clear error with exit 2, not a crash', async () => {
    const { code, stderr } = await cli(['drift', '--repo', 'a/b', '--dry-run'], {
      env: { GITHUB_TOKEN: 'ghs_test', GITHUB_API_URL: 'http://127.0.0.1:9' },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('could not talk to GitHub');
    expect(stderr).not.toContain('please report');
  }, 60_000);

  it('drift --dry-run --local prints the issue each checkout would get, with no token', async () => {
    const { code, stdout } = await cli([
      'drift',
      '--local',
      'examples',
      '--dry-run',
      '--now',
      '2026-12-01',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('live-renew-passport: nothing-to-do (dry run)');
    expect(stdout).toMatch(
      /failing-claim-support: would have an open issue \(dry run\)\n\n {2}Title: Service Standard: \d+ findings need attention/,
    );
    expect((await cli(['drift', '--local', 'examples'])).code).toBe(2);
  });

  it('audit --local pointed at one repository says so instead of auditing its folders', async () => {
    const { code, stderr } = await cli(['audit', '--local', 'examples/live-renew-passport']);
    expect(code).toBe(2);
    expect(stderr).toContain('looks like one repository');
    expect(stderr).toContain('service-gate check examples/live-renew-passport');
  });
});
