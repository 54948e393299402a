import Bottleneck from 'bottleneck';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRIFT_LABEL, syncDriftIssue } from '../../src/github/drift.js';
import { createGitHub } from '../../src/github/octokit.js';
import { openApiProblems } from '../fake-github/openapi.js';
import { FakeGitHub } from '../fake-github/server.js';
import { evaluateYaml } from '../helpers/evaluate.js';

const REPO = 'ea/waste-permits';
let fake: FakeGitHub;
const client = () =>
  createGitHub('ghs_drift', fake.url, 'test', {
    write: new Bottleneck.Group({ minTime: 0 }),
    notifications: new Bottleneck.Group({ minTime: 0 }),
  });
const target = { owner: 'ea', repo: 'waste-permits' };
const issues = () => fake.issues.get(REPO) ?? [];

// A discovery service whose research goes stale as the clock moves on.
const yaml = `name: Get a waste permit\nowner: {organisation: EA}\nphase: alpha\nresearch:\n  - {date: 2026-06-01, method: interviews, participants: 6, access_needs: 1}\n`;
const at = (day: string, text = yaml) => evaluateYaml(text, { now: day.slice(0, 10) });

beforeEach(async () => {
  fake = new FakeGitHub();
  fake.addRepo(REPO, { 'README.md': 'x' });
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
  expect(openApiProblems(fake.requests)).toEqual([]);
});

describe('drift issues', () => {
  it('opens one labelled issue, leaves it alone while nothing changes, and updates it in place', async () => {
    const gh = client();
    const o = { intervalHours: 24 };
    expect(
      await syncDriftIssue(gh, target, at('2026-11-27'), { ...o, now: '2026-11-27T06:00:00Z' }),
    ).toBe('created');
    expect(issues()).toHaveLength(1);
    expect(issues()[0]).toMatchObject({
      labels: [DRIFT_LABEL],
      state: 'open',
      title: expect.stringMatching(/^Service Standard: \d+ findings? needs? attention$/),
    });
    expect(
      await syncDriftIssue(gh, target, at('2026-11-27'), { ...o, now: '2026-11-28T06:00:00Z' }),
    ).toBe('unchanged');
    const changed = at(
      '2026-11-27',
      yaml.replace('participants: 6', 'participants: 6, assisted_digital: 0'),
    );
    const different = at('2026-12-30');
    expect(different.findings.map((f) => f.message)).not.toEqual(
      changed.findings.map((f) => f.message),
    );
    expect(await syncDriftIssue(gh, target, different, { ...o, now: '2026-11-27T07:00:00Z' })).toBe(
      'throttled',
    );
    expect(await syncDriftIssue(gh, target, different, { ...o, now: '2026-11-29T07:00:00Z' })).toBe(
      'updated',
    );
    expect(issues()).toHaveLength(1);
    expect(fake.count((r) => r.method === 'POST' && r.path === `/repos/${REPO}/issues`)).toBe(1);
  });

  it('closes the issue with a comment when the repository is compliant again', async () => {
    const gh = client();
    await syncDriftIssue(gh, target, at('2026-11-27'), {
      intervalHours: 24,
      now: '2026-11-27T06:00:00Z',
    });
    const compliant = evaluateYaml(yaml, {
      now: '2026-11-27',
      policy: {
        severity: Object.fromEntries(
          at('2026-11-27').findings.map((f) => [f.rule, 'off' as const]),
        ),
      },
    });
    expect(
      await syncDriftIssue(gh, target, compliant, {
        intervalHours: 24,
        now: '2026-11-28T06:00:00Z',
      }),
    ).toBe('closed');
    expect(issues()[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(fake.comments.get(`${REPO}#1`)?.[0]?.body).toMatch(/closing this issue/);
    expect(
      await syncDriftIssue(gh, target, compliant, {
        intervalHours: 24,
        now: '2026-11-29T06:00:00Z',
      }),
    ).toBe('nothing-to-do');
  });

  it('never reopens an issue closed as not planned until the findings change', async () => {
    const gh = client();
    await syncDriftIssue(gh, target, at('2026-11-27'), {
      intervalHours: 24,
      now: '2026-11-27T06:00:00Z',
    });
    Object.assign(issues()[0]!, { state: 'closed', state_reason: 'not_planned' });
    expect(
      await syncDriftIssue(gh, target, at('2026-11-27'), {
        intervalHours: 24,
        now: '2026-12-01T06:00:00Z',
      }),
    ).toBe('left-closed');
    expect(issues()[0]!.state).toBe('closed');
    expect(
      await syncDriftIssue(gh, target, at('2026-12-30'), {
        intervalHours: 24,
        now: '2026-12-30T06:00:00Z',
      }),
    ).toBe('reopened');
    expect(issues()).toHaveLength(1);
    expect(issues()[0]!.state).toBe('open');
  });
});

describe('service-gate drift', () => {
  it('syncs issues for named repositories and reports each outcome', async () => {
    const { run } = await import('../../src/shells/cli/main.js');
    fake.addRepo(REPO, { 'service.yml': yaml });
    fake.addRepo('ea/no-service', { 'README.md': 'x' });
    let out = '';
    const io = {
      env: { GITHUB_TOKEN: 'ghs_cli', GITHUB_API_URL: fake.url },
      stdout: (s: string) => (out += s),
      stderr: (s: string) => (out += s),
      isTty: false,
      cwd: process.cwd(),
      today: () => '2026-11-27',
    };
    expect(
      await run(['drift', '--repo', REPO, '--repo', 'ea/no-service', '--now', '2026-11-27'], io),
    ).toBe(0);
    expect(out).toBe(`${REPO}: created\n`);
    expect(await run(['drift', '--repo', REPO, '--now', '2026-11-27', '--dry-run'], io)).toBe(0);
    expect(out).toContain(`${REPO}: unchanged (dry run)`);
    expect(issues()).toHaveLength(1);
  });
});
