import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFromGitHub } from '../../../src/github/policy.js';
import { cli, ROOT } from '../../helpers/cli.js';
import { policyFiles } from '../../helpers/policy-files.js';

/** A custom pack whose one rule always fires, so a report shows whether the pack was loaded. */
const pack = (id: string) =>
  [
    `pack: ${id}`,
    `title: ${id}`,
    'jurisdiction: uk',
    `standard: {id: ${id}, title: ${id}, url: "https://example.gov.uk/x", points: {"1": One}}`,
    'rules:',
    `  - {id: ${id}.1.fires, title: Always fires, point: 1, phases: [live], severity: warning, require: "false", message: ${id} fired, fix: Nothing, guidance: "https://example.gov.uk/x"}`,
  ].join('\n');

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A passing live service checked out in TMP/repo, with `files` added; TMP holds other files. */
function workspace(files: Record<string, string>, outside: Record<string, string> = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'sg-policy-files-'));
  const repo = join(tmp, 'repo');
  cpSync(join(ROOT, 'examples/live-renew-passport'), repo, { recursive: true });
  write(repo, files);
  write(tmp, outside);
  return { tmp, repo };
}

const rulesOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);

describe('the CLI reads policy files as the App does', () => {
  it("resolves the repository file's packs.paths from the repository root even when a central file fails to parse", async () => {
    const { tmp, repo } = workspace(
      {
        '.github/service-gate.yml':
          'packs:\n  add: [repo-extras]\n  paths: [rules/repo-extras.yml]\n',
        'rules/repo-extras.yml': pack('repo-extras'),
      },
      { 'central/broken.yml': 'thresholds: [\n' },
    );
    const r = await cli([
      'check',
      repo,
      '--central',
      join(tmp, 'central/broken.yml'),
      '--config',
      join(repo, '.github/service-gate.yml'),
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; file: string }[] })
      .findings;
    expect(findings.map((f) => f.rule)).toContain('repo-extras.1.fires');
    expect(findings.map((f) => f.rule)).not.toContain('policy/pack-missing');
    // The broken central file is reported as itself.
    expect(findings.filter((f) => f.file === join(tmp, 'central/broken.yml'))).toHaveLength(1);
  });

  it('resolves packs.paths from the repository root, not the policy file folder, like the App', async () => {
    const files = {
      '.github/service-gate.yml':
        'packs:\n  add: [repo-extras]\n  paths: [rules/repo-extras.yml]\n',
      'rules/repo-extras.yml': pack('repo-extras'),
    };
    const { repo } = workspace(files);
    const local = await cli(['check', repo, '--format', 'json']);
    expect(rulesOf(local.stdout)).toContain('repo-extras.1.fires');

    const loaded = await loadPolicyFromGitHub(
      policyFiles(
        'dept',
        'passport',
        Object.fromEntries(Object.entries(files).map(([p, t]) => [`dept/passport:${p}`, t])),
      ),
    );
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.customPacks.map((p) => p.id)).toEqual(['repo-extras']);
  });

  it("resolves a central file's packs.paths from its repository's root (the parent of its .github folder)", async () => {
    const { tmp, repo } = workspace(
      {},
      {
        'central/.github/service-gate.yml':
          'packs:\n  add: [dept-extras]\n  paths: [rules/dept-extras.yml]\n',
        'central/rules/dept-extras.yml': pack('dept-extras'),
      },
    );
    const r = await cli([
      'check',
      repo,
      '--central',
      join(tmp, 'central/.github/service-gate.yml'),
      '--format',
      'json',
    ]);
    expect(rulesOf(r.stdout)).toContain('dept-extras.1.fires');
  });

  it('never reads a pack outside the repository, and says why without quoting the file', async () => {
    const { repo } = workspace(
      { '.github/service-gate.yml': 'packs:\n  paths: [../secret.yml, /etc/passwd]\n' },
      { 'secret.yml': 'ghp_thisisasecrettokenvalue0123456789' },
    );
    const r = await cli(['check', repo, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('ghp_thisisasecret');
    expect(r.stdout).not.toContain('root:');
    expect(rulesOf(r.stdout).filter((id) => id === 'policy/pack-path')).toHaveLength(2);
  });

  it('a repository file standing alone grants no waivers and locks nothing, and --explain says so', async () => {
    const { repo } = workspace({
      '.github/service-gate.yml':
        "locks: [thresholds]\nwaivers:\n  - {rule: '**', reason: We say so ourselves, approved_by: us, expires: 2027-01-01}\n",
      'service.yml': 'name: X\nphase: beta\n',
    });
    const check = await cli(['check', repo, '--format', 'json']);
    const report = JSON.parse(check.stdout) as { findings: { rule: string; waived?: unknown }[] };
    expect(report.findings.filter((f) => f.waived)).toEqual([]);
    expect(report.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['policy/waiver-not-central', 'policy/lock-not-central']),
    );

    const explain = await cli(['policy', '--explain', repo]);
    expect(explain.stdout).toContain(
      'the repository file stands alone, so its locks and waivers do not apply',
    );
    expect(explain.stdout).not.toMatch(/\(locked\)/);
  });

  it('reports a central policy file that is a folder or too large, as a failing finding', async () => {
    const { tmp, repo } = workspace({}, { 'big.yml': `# ${'x'.repeat(300 * 1024)}\n` });
    mkdirSync(join(tmp, 'folder.yml'));
    for (const file of ['folder.yml', 'big.yml']) {
      const r = await cli(['check', repo, '--central', join(tmp, file), '--format', 'json']);
      expect(r.code, file).toBe(1);
      expect(
        rulesOf(r.stdout).some((id) => id.startsWith('policy/')),
        file,
      ).toBe(true);
    }
  });
});
