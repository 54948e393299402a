import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../../helpers/cli.js';

describe('service-gate check', () => {
  it('exits 0 on the passing live example', async () => {
    const r = await cli(['check', 'examples/live-renew-passport']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Renew your passport (live): Passed');
  });

  it('exits 1 with findings on the failing example, and json has the documented shape', async () => {
    const r = await cli(['check', 'examples/failing-claim-support', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.conclusion).toBe('failure');
    expect(report.service).toEqual({ name: 'Claim support for carers', phase: 'public-beta' });
    const rules = report.findings
      .filter((f: { level: string }) => f.level === 'failure')
      .map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'core.entry-assessment-passed',
        'core.design-system-floor',
        'spend.3.not-expired',
        'spend.4.covers-phase',
        'a11y.3.audit-recent',
      ]),
    );
    expect(report.findings[0]).toEqual(
      expect.objectContaining({
        file: 'service.yml',
        line: expect.any(Number),
        column: expect.any(Number),
        guidance: expect.stringMatching(/^https:/),
      }),
    );
    expect(report.evidence.design_system).toEqual([
      {
        id: 'govuk-frontend',
        version: '4.8.0',
        source: 'yarn.lock',
        line: 9,
        package: 'govuk-frontend',
        signal: 'npm package govuk-frontend',
      },
    ]);
  });

  it('exits 1 when service.yml is missing, with a finding saying how to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-'));
    const r = await cli(['check', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({
      rule: 'manifest/missing',
      file: 'service.yml',
      line: 1,
    });
  });

  it('exits 1 for an invalid service.yml and names file, line and fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-'));
    writeFileSync(join(dir, 'service.yml'), 'name: X\nphase: privte-beta\n');
    const r = await cli(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('service.yml:2:8');
    expect(r.stdout).toContain("Did you mean 'private-beta'?");
  });

  it('exits 2 on usage errors with a suggestion', async () => {
    expect((await cli(['chek'])).stderr).toContain("Did you mean 'check'?");
    expect((await cli(['chek'])).code).toBe(2);
    const bad = await cli(['check', '--format', 'jsn']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Did you mean 'json'?");
    expect((await cli(['check', '--bogus'])).code).toBe(2);
    expect((await cli(['check', 'no/such/dir'])).code).toBe(2);
    const live = 'examples/live-renew-passport';
    const day = await cli(['check', live, '--now', '2026-02-30']);
    expect([day.code, day.stderr]).toEqual([2, expect.stringContaining("got '2026-02-30'")]);
    const outside = await cli(['check', live, '--manifest', '../other/service.yml']);
    expect([outside.code, outside.stderr]).toEqual([2, expect.stringContaining('inside')]);
  });

  it('judges a phase change against --base FILE', async () => {
    const r = await cli([
      'check',
      'examples/private-beta-childminder-register',
      '--base',
      'examples/private-beta-childminder-register/base.service.yml',
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.transition).toEqual({ from: 'alpha', to: 'private-beta' });
    expect(report.conclusion).toBe('action_required');
    expect(r.code).toBe(0);
  });

  it('judges a phase change against --base-ref in a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-git-'));
    cpSync(join(ROOT, 'examples/live-renew-passport'), dir, { recursive: true });
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], {
        cwd: dir,
      });
    git('init', '-q');
    writeFileSync(
      join(dir, 'service.yml'),
      readFileSync(join(dir, 'service.yml'), 'utf8').replace('phase: live', 'phase: private-beta'),
    );
    git('add', '-A');
    git('commit', '-qm', 'base');
    writeFileSync(
      join(dir, 'service.yml'),
      readFileSync(join(dir, 'service.yml'), 'utf8').replace('phase: private-beta', 'phase: live'),
    );
    const r = await cli(['check', dir, '--base-ref', 'HEAD', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.transition).toEqual({ from: 'private-beta', to: 'live' });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain(
      'core.phase-not-skipped',
    );
    expect(r.code).toBe(1);

    // A mistyped ref must not quietly judge the change without its base.
    const typo = await cli(['check', dir, '--base-ref', 'orign/main']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--base-ref orign/main is not a commit');
  });

  it('writes SARIF 2.1.0 with rules and locations to --output, creating its folder', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sg-')), 'reports', 'report.sarif');
    await cli(['check', 'examples/failing-claim-support', '--format', 'sarif', '--output', out]);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const [runResult] = sarif.runs;
    const ruleIds = runResult.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const result of runResult.results) {
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('service.yml');
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    }
  });

  it('renders a markdown per-point table', async () => {
    const r = await cli(['check', 'examples/failing-claim-support', '--format', 'markdown']);
    expect(r.stdout).toContain('| Standard');
    expect(r.stdout).toMatch(
      /GOV\.UK Service Standard \| 1\. Understand users and their needs \| ⚠️ Warnings/,
    );
    // The failures lead; the table is folded below them.
    expect(r.stdout.indexOf('#### ❌ 6 failures')).toBeLessThan(r.stdout.indexOf('| Standard'));
  });

  it('applies a policy: thresholds and severity overrides change the verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-'));
    cpSync(join(ROOT, 'examples/failing-claim-support'), dir, { recursive: true });
    const policy = join(dir, 'policy.yml');
    writeFileSync(
      policy,
      'thresholds:\n  design_system_floors: {govuk-frontend: 4}\nseverity:\n  core.entry-assessment-passed: warning\n',
    );
    const r = JSON.parse(
      (await cli(['check', dir, '--config', policy, '--format', 'json'])).stdout,
    );
    const failing = r.findings
      .filter((f: { level: string }) => f.level === 'failure')
      .map((f: { rule: string }) => f.rule);
    expect(failing).not.toContain('core.design-system-floor');
    expect(failing).not.toContain('core.entry-assessment-passed');
  });

  it('reports an invalid policy file with its line, as a failing finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-'));
    cpSync(join(ROOT, 'examples/live-renew-passport'), dir, { recursive: true });
    writeFileSync(
      join(dir, '.github/service-gate.yml'),
      'thresholds:\n  reserch: {max_age_days: 90}\n',
    );
    const r = await cli(['check', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({
      file: '.github/service-gate.yml',
      line: 2,
      fix: "Did you mean 'research'?",
    });
  });
});

describe('service-gate explain, init and schema', () => {
  it('explains a rule, and suggests the nearest id for a typo', async () => {
    const r = await cli(['explain', 'gds.1.research-recent']);
    expect(r.stdout).toContain(
      'GOV.UK Service Standard, point 1 (Understand users and their needs)',
    );
    expect(r.stdout).toContain('days_between(r.date, now) <= policy.research.max_age_days');
    const joined = await cli(['explain', 'tcop.3.open-source']);
    expect(joined.stdout).toContain('Same gap:  gds.12.code-open');
    const typo = await cli(['explain', 'gds.1.research-recnt']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("'gds.1.research-recent'");
  });

  it('a directory that does not exist, or an unwritable --output, is a usage error, not a crash', async () => {
    const missing = join(tmpdir(), 'sg-no-such-dir', 'x');
    for (const args of [
      ['init', missing],
      ['policy', '--explain', missing],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('does not exist');
    }
    const file = join(mkdtempSync(join(tmpdir(), 'sg-')), 'a-file');
    writeFileSync(file, '');
    const r = await cli([
      'check',
      'examples/live-renew-passport',
      '--output',
      join(file, 'x.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot write --output');
  });

  it('init writes a valid starter from evidence, and never overwrites', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-'));
    for (const f of ['package.json', 'package-lock.json', '.env.example', 'config', 'LICENCE'])
      cpSync(join(ROOT, 'examples/live-renew-passport', f), join(dir, f), { recursive: true });
    expect((await cli(['init', dir])).code).toBe(0);
    const text = readFileSync(join(dir, 'service.yml'), 'utf8');
    expect(text).toContain('name: renew-passport');
    expect(text).toContain('govuk-frontend');
    expect(text).toMatch(/identity: govuk-one-login/);
    const checked = JSON.parse((await cli(['check', dir, '--format', 'json'])).stdout);
    // Valid but for what only the team knows: each TODO left is a placeholder finding.
    expect(
      checked.findings
        .filter((f: { rule: string }) => f.rule.startsWith('manifest/'))
        .filter((f: { rule: string }) => f.rule !== 'manifest/placeholder'),
    ).toEqual([]);
    expect(checked.findings.some((f: { rule: string }) => f.rule === 'manifest/placeholder')).toBe(
      true,
    );
    const again = await cli(['init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('never overwrites');
    expect(readFileSync(join(dir, 'service.yml'), 'utf8')).toBe(text);
  });

  it('schema/service.schema.json is exactly what `service-gate schema` prints', async () => {
    const committed = readFileSync(join(ROOT, 'schema/service.schema.json'), 'utf8');
    expect((await cli(['schema'])).stdout).toBe(committed);
    expect(existsSync(join(ROOT, 'schema/service.schema.json'))).toBe(true);
  });
});
