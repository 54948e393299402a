import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../../fake-github/server.js';
import { openApiProblems } from '../../fake-github/openapi.js';
import { COMMENT_MARKER } from '../../../src/github/pr-comment.js';
import { MANIFEST_LIMITS } from '../../../src/core/manifest/schema.js';
import { MemoryCoordinator } from '../../../src/shells/app/coordination.js';
import { RECHECK_INTERVAL_MS } from '../../../src/shells/app/handlers.js';
import { atRepo, payload, PRIVATE_KEY, type RunningApp, startApp } from './harness.js';
import { exampleFiles, withManifest } from './fixtures.js';
import {
  auditedOn,
  openPullRequest as openOnFake,
  pullRequestEvent,
  REPO,
} from './pull-requests.js';

let app: RunningApp;
let fake: FakeGitHub;
let baseSha: string;

/** A pull_request delivery; the PR is open on the fake GitHub with that head. */
function prPayload(action: string, headSha: string, number = 7) {
  openPullRequest(number, headSha);
  return pullRequestEvent(action, { number, head: headSha, base: baseSha });
}

/** A PR head: the live example with some of its evidence removed and a stale audit. */
function failingHead(): string {
  const files = auditedOn(1);
  delete files['SECURITY.md'];
  return fake.addCommit(REPO, files);
}

/** PR `number` open on the fake GitHub, from `head` onto the base commit. */
function openPullRequest(number: number, head: string): void {
  openOnFake(fake, { number, head, base: baseSha });
}

beforeEach(async () => {
  fake = new FakeGitHub();
  baseSha = fake.addRepo(REPO, exampleFiles('live-renew-passport'));
  app = await startApp(fake);
});
afterEach(async () => {
  await app.stop();
  // Every request the app sent in the test must be one GitHub's OpenAPI description allows.
  expect(openApiProblems(fake.requests)).toEqual([]);
});

const runsFor = (sha: string) => fake.checkRuns.filter((r) => r.head_sha === sha);
const commentsOn = (n = 7) => fake.comments.get(`${REPO}#${n}`) ?? [];

describe('pull_request events', () => {
  it('completes one check run with annotations on service.yml lines, and one comment', async () => {
    const head = failingHead();
    const res = await app.deliver('pull_request', prPayload('opened', head));
    expect(res.status).toBe(200);
    const [run] = runsFor(head);
    expect(runsFor(head)).toHaveLength(1);
    expect(run).toMatchObject({
      name: 'Service Standard',
      status: 'completed',
      conclusion: 'failure',
    });
    expect(run!.output.summary).toContain('| Standard | Point | Status | Findings |');
    expect(run!.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'service.yml',
          start_line: 65,
          annotation_level: 'failure',
          title: expect.stringContaining('a11y.3.audit-recent'),
        }),
      ]),
    );
    expect(commentsOn()).toHaveLength(1);
    expect(commentsOn()[0]!.body).toContain(COMMENT_MARKER);
    expect(commentsOn()[0]!.body).toContain('security');
  });

  it('the same delivery twice, and a synchronize rerun, leave one check run and one unchanged comment', async () => {
    const head = failingHead();
    const body = prPayload('opened', head);
    await app.deliver('pull_request', body, { id: 'delivery-1' });
    await app.deliver('pull_request', body, { id: 'delivery-1' });
    await app.deliver('pull_request', prPayload('synchronize', head));
    expect(runsFor(head)).toHaveLength(1);
    expect(commentsOn()).toHaveLength(1);
    expect(fake.count((r) => r.method === 'PATCH' && r.path.includes('/issues/comments/'))).toBe(0);
    expect(fake.count((r) => r.method === 'POST' && r.path.endsWith('/check-runs'))).toBe(1);
  });

  it('turns the comment into an all-clear once the findings are gone, and never comments for a clean PR', async () => {
    const head = failingHead();
    await app.deliver('pull_request', prPayload('opened', head));
    const fixed = fake.addCommit(REPO, exampleFiles('live-renew-passport'));
    await app.deliver('pull_request', prPayload('synchronize', fixed));
    expect(commentsOn()).toHaveLength(1);
    expect(commentsOn()[0]!.body).toContain('all clear');
    expect(runsFor(fixed)[0]!.conclusion).toBe('success');

    const clean = fake.addCommit(REPO, {
      ...exampleFiles('live-renew-passport'),
      'README.md': 'changed',
    });
    await app.deliver('pull_request', prPayload('opened', clean, 8));
    expect(commentsOn(8)).toHaveLength(0);
  });

  it("ignores other users' comments that carry the marker", async () => {
    fake.comments.set(`${REPO}#7`, [
      { id: 1, body: `${COMMENT_MARKER} forged`, user: { login: 'mallory', type: 'User' } },
    ]);
    await app.deliver('pull_request', prPayload('opened', failingHead()));
    expect(commentsOn()).toHaveLength(2);
    expect(commentsOn()[0]!.body).toBe(`${COMMENT_MARKER} forged`);
  });

  it('judges the PR, not the policy in it: a waiver added by the PR has no effect', async () => {
    const files = withManifest(exampleFiles('live-renew-passport'), (y) =>
      y.replace('last_audit: 2026-03-11', 'last_audit: 2024-01-01'),
    );
    files['.github/service-gate.yml'] =
      'waivers:\n  - {rule: a11y.3.audit-recent, repos: ["*"], reason: I said so in my PR, approved_by: me, expires: 2099-01-01}\n';
    const head = fake.addCommit(REPO, files);
    await app.deliver('pull_request', prPayload('opened', head));
    expect(runsFor(head)[0]!.conclusion).toBe('failure');
    expect(
      fake.requests.some(
        (r) =>
          r.path === '/graphql' &&
          JSON.stringify(r.body).includes(`${head}:.github/service-gate.yml`),
      ),
    ).toBe(false);
  });

  it('applies the organisation policy from the owner .github repository, on the default branch', async () => {
    fake.addRepo('hmpo/.github', {
      '.github/service-gate.yml':
        'check_name: HMPO service standard\nthresholds:\n  accessibility: {audit_max_age_days: 2000}\n',
    });
    const head = failingHead();
    await app.deliver('pull_request', prPayload('opened', head));
    const [run] = runsFor(head);
    expect(run!.name).toBe('HMPO service standard');
    expect(run!.annotations).not.toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: expect.stringContaining('a11y.3.audit-recent') }),
      ]),
    );
    expect(run!.output.summary).toContain('hmpo/.github:.github/service-gate.yml');
    expect(run!.output.summary).toContain(
      '| `thresholds.accessibility.audit_max_age_days` | `2000` | hmpo/.github:.github/service-gate.yml:3 |',
    );
  });

  it('follows _extends across organisations and loads custom packs from the central repository', async () => {
    fake.addRepo('hmpo/.github', {
      '.github/service-gate.yml':
        '_extends: cddo/.github\nthresholds:\n  research: {max_age_days: 400}\n',
    });
    fake.addRepo('cddo/.github', {
      '.github/service-gate.yml':
        'packs:\n  add: [cddo-extras]\n  paths: [rules/cddo-extras.yml]\n',
      'rules/cddo-extras.yml': [
        'pack: cddo-extras',
        'title: CDDO extras',
        'jurisdiction: uk',
        'standard: {id: cddo-extras, title: CDDO extras, url: "https://example.gov.uk/cddo", points: {"1": Hosting}}',
        'rules:',
        '  - {id: cddo.1.codeowners, title: Live services have CODEOWNERS at the root, point: 1, phases: [live], severity: warning, require: "repo.practices.licence && false", message: Custom rule fired, fix: Add one, guidance: "https://example.gov.uk/cddo"}',
      ].join('\n'),
    });
    const head = failingHead();
    await app.deliver('pull_request', prPayload('opened', head));
    const [run] = runsFor(head);
    expect(run!.output.summary).toContain(
      '`cddo/.github:.github/service-gate.yml` → `hmpo/.github:.github/service-gate.yml`',
    );
    expect(run!.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: expect.stringContaining('cddo.1.codeowners') }),
      ]),
    );
  });

  it('re-evaluates an edited PR only when its base changed', async () => {
    const head = failingHead();
    const edited = (changes: object) => ({
      ...prPayload('opened', head),
      action: 'edited',
      changes,
    });
    await app.deliver('pull_request', edited({ title: { from: 'old' } }));
    expect(fake.requests).toHaveLength(0);
    await app.deliver(
      'pull_request',
      edited({ base: { ref: { from: 'develop' }, sha: { from: 'x' } } }),
    );
    expect(runsFor(head)).toHaveLength(1);
  });

  it('re-runs for its own check_suite rerequests, with the suite PRs, and leaves pushes to the PR event', async () => {
    const head = failingHead();
    openPullRequest(7, head);
    const suite = (appId: number, action = 'rerequested') =>
      payload('check_suite', action, (p) => {
        atRepo(p, 'hmpo', 'renew-passport');
        Object.assign(p.check_suite, {
          head_sha: head,
          app: { ...p.check_suite.app, id: appId },
          pull_requests: [{ number: 7, head: { sha: head }, base: { sha: baseSha } }],
        });
      });
    await app.deliver('check_suite', suite(1));
    expect(fake.requests).toHaveLength(0);
    // requested arrives with every push beside pull_request.synchronize, which does the work.
    await app.deliver('check_suite', suite(fake.appId, 'requested'));
    expect(fake.requests).toHaveLength(0);
    await app.deliver('check_suite', suite(fake.appId));
    expect(runsFor(head)[0]!.conclusion).toBe('failure');
    expect(commentsOn()).toHaveLength(1);
  });

  it('reports a repository file that tries to loosen a locked setting, with its line', async () => {
    fake.addRepo('hmpo/.github', {
      '.github/service-gate.yml': 'locks: [thresholds.accessibility]\n',
    });
    const files = withManifest(exampleFiles('live-renew-passport'), (y) =>
      y.replace('last_audit: 2026-03-11', 'last_audit: 2024-01-01'),
    );
    files['.github/service-gate.yml'] =
      'check_name: Service Standard\nthresholds:\n  accessibility: {audit_max_age_days: 5000}\n';
    baseSha = fake.addRepo(REPO, files);
    const head = fake.addCommit(REPO, files);
    await app.deliver('pull_request', prPayload('opened', head));
    const [run] = runsFor(head);
    expect(run!.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '.github/service-gate.yml',
          start_line: 3,
          title: expect.stringContaining('policy/locked-setting'),
        }),
        expect.objectContaining({ title: expect.stringContaining('a11y.3.audit-recent') }),
      ]),
    );
  });

  it('falls back to the last valid central policy when the current one is broken, and says so', async () => {
    fake.addRepo('hmpo/.github', { '.github/service-gate.yml': 'check_name: HMPO standard\n' });
    fake.addRepo('hmpo/.github', {
      '.github/service-gate.yml': 'check_name: HMPO standard\nthresholds: {reserch: {}}\n',
    });
    const head = failingHead();
    await app.deliver('pull_request', prPayload('opened', head));
    const [run] = runsFor(head);
    expect(run!.name).toBe('HMPO standard');
    // The broken file is in another repository: reported in the summary, not as an annotation.
    expect(run!.output.summary).toContain('policy/unknown-key');
    expect(run!.output.summary).toContain('policy/using-last-valid');
    expect(
      run!.annotations.some((a) =>
        (a as { path: string }).path.includes('.github/service-gate.yml'),
      ),
    ).toBe(false);
  });

  it('rejects a bad or missing signature and posts nothing', async () => {
    const head = failingHead();
    expect(
      (
        await app.deliver('pull_request', prPayload('opened', head), {
          signature: 'sha256=' + '0'.repeat(64),
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (await app.deliver('pull_request', prPayload('opened', head), { signature: null })).status,
    ).toBeGreaterThanOrEqual(400);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('untrusted pull-request content', () => {
  it('works for a fork PR, reading the fork commit through the base repository only', async () => {
    const head = failingHead();
    const body = prPayload('opened', head);
    body.pull_request.head.repo = {
      ...body.pull_request.head.repo,
      full_name: 'contributor/renew-passport',
      fork: true,
      owner: { login: 'contributor' },
    };
    await app.deliver('pull_request', body);
    expect(runsFor(head)[0]!.conclusion).toBe('failure');
    expect(
      fake.requests.every(
        (r) =>
          !r.path.includes('contributor') && !JSON.stringify(r.body ?? '').includes('contributor/'),
      ),
    ).toBe(true);
  });

  it('checks the size of service.yml before fetching it', async () => {
    const huge = `name: X\nphase: alpha\ndescription: "${'x'.repeat(200_000)}"\n`;
    const head = fake.addCommit(REPO, {
      ...exampleFiles('live-renew-passport'),
      'service.yml': huge,
    });
    await app.deliver('pull_request', prPayload('opened', head));
    expect(runsFor(head)[0]!.annotations).toEqual([
      expect.objectContaining({ title: expect.stringContaining('manifest/too-large') }),
    ]);
    expect(
      fake.requests.some((r) => JSON.stringify(r.body ?? '').includes(`${head}:service.yml`)),
    ).toBe(false);
  });

  it('adds annotations 50 at a time', async () => {
    // Each rule gives at most 50 findings (the 51st says how many more), so over 100 findings
    // come from several rules: research rounds with too few participants, and earlier amber
    // alpha assessments with no due date for their actions and no report.
    const rounds = Array.from(
      { length: MANIFEST_LIMITS.research },
      (_, i) =>
        `  - {date: 2026-10-${String((i % 28) + 1).padStart(2, '0')}, method: interviews, participants: 1, access_needs: 1}`,
    ).join('\n');
    const ambers = Array.from(
      { length: 40 },
      (_, i) =>
        `  - {phase: alpha, date: 2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}, outcome: amber}`,
    ).join('\n');
    const head = fake.addCommit(
      REPO,
      withManifest(exampleFiles('live-renew-passport'), (y) =>
        y
          .replace(/research:\n( {2}- [\s\S]*?)(?=team:)/, `research:\n${rounds}\n`)
          .replace('assessments:\n', `assessments:\n${ambers}\n`),
      ),
    );
    await app.deliver('pull_request', prPayload('opened', head));
    const [run] = runsFor(head);
    expect(run!.annotations.length).toBeGreaterThan(100);
    // Created completed with the first 50; the rest follow in PATCHes of 50.
    const writes = fake.requests.filter(
      (r) =>
        (r.method === 'POST' && r.path.endsWith('/check-runs')) ||
        (r.method === 'PATCH' && r.path.endsWith(`/check-runs/${run!.id}`)),
    );
    expect(
      writes.map(
        (r) =>
          ((r.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length,
      ),
    ).toEqual([50, 50, run!.annotations.length - 100]);
    expect(writes[0]!.method).toBe('POST');
  });
});

describe('approval gates', () => {
  it('a phase change is action_required until a member of the approvers team approves', async () => {
    fake.addRepo('hmpo/.github', {
      '.github/service-gate.yml': 'approvers: {team: hmpo/service-assessors}\n',
    });
    const beta = withManifest(exampleFiles('live-renew-passport'), (y) =>
      y.replace('phase: live', 'phase: public-beta'),
    );
    baseSha = fake.addRepo(REPO, beta, { sha: 'b'.repeat(40) });
    fake.repos.get(REPO)!.head = baseSha;
    const head = fake.addCommit(REPO, exampleFiles('live-renew-passport'));
    await app.deliver('pull_request', prPayload('opened', head));
    expect(runsFor(head)[0]!.conclusion).toBe('action_required');
    expect(runsFor(head)[0]!.output.summary).toContain(
      'A member of @hmpo/service-assessors must approve',
    );

    fake.teams.set('hmpo/service-assessors', new Set(['assessor']));
    fake.reviews.set(`${REPO}#7`, [{ state: 'APPROVED', user: { login: 'someone-else' } }]);
    const review = (state: string) =>
      payload('pull_request_review', state === 'dismissed' ? 'dismissed' : 'submitted', (p) => {
        atRepo(p, 'hmpo', 'renew-passport');
        Object.assign(p.pull_request, {
          number: 7,
          head: { ...p.pull_request.head, sha: head },
          base: { ...p.pull_request.base, sha: baseSha },
        });
      });
    await app.deliver('pull_request_review', review('submitted'));
    expect(runsFor(head)[0]!.conclusion).toBe('action_required');
    fake.reviews.get(`${REPO}#7`)!.push({ state: 'APPROVED', user: { login: 'assessor' } });
    await app.deliver('pull_request_review', review('submitted'));
    expect(runsFor(head)[0]!.conclusion).toBe('success');
    expect(runsFor(head)).toHaveLength(1);
  });
});

describe('commands and check events', () => {
  const commentPayload = (login: string, body = '/service-gate recheck') =>
    payload('issue_comment', 'created', (p) => {
      atRepo(p, 'hmpo', 'renew-passport');
      p.issue.number = 7;
      p.issue.pull_request = { url: `https://api.github.com/repos/${REPO}/pulls/7` };
      p.comment.body = body;
      p.comment.user = { ...p.comment.user, login, type: 'User' };
    });

  it('/service-gate recheck runs for writers and is politely refused for others', async () => {
    const head = failingHead();
    openPullRequest(7, head);
    await app.deliver('issue_comment', commentPayload('visitor'));
    expect(runsFor(head)).toHaveLength(0);
    expect(commentsOn()[0]!.body).toMatch(/only people with write access/);
    // More of them within the minute are not answered again (the reply is once a window).
    await app.deliver('issue_comment', commentPayload('visitor'));
    await app.deliver('issue_comment', commentPayload('another-visitor'));
    expect(commentsOn()).toHaveLength(1);
    fake.permissions.set(`${REPO}:maintainer`, 'maintain');
    await app.deliver('issue_comment', commentPayload('maintainer'));
    expect(runsFor(head)).toHaveLength(1);
    await app.deliver('issue_comment', commentPayload('maintainer', 'looks good to me'));
    expect(runsFor(head)).toHaveLength(1);
  });

  it('/service-gate recheck evaluates once a window per PR; the first refusal is answered, the rest not', async () => {
    await app.stop();
    let now = Date.parse('2026-11-27T10:00:00Z');
    app = await startApp(fake, { coordinator: new MemoryCoordinator(() => now) });
    const head = failingHead();
    openPullRequest(7, head);
    fake.permissions.set(`${REPO}:maintainer`, 'maintain');
    const published = () =>
      fake.count((r) => r.method !== 'GET' && /\/check-runs(\/|$)/.test(r.path));

    const first = commentPayload('maintainer');
    await app.deliver('issue_comment', first, { id: 'recheck-1' });
    expect(runsFor(head)).toEqual([expect.objectContaining({ status: 'completed' })]);
    expect(published()).toBeGreaterThan(0);
    // The same delivery again (GitHub's redelivery, or recovery) is the same request.
    const redelivered = published();
    await app.deliver('issue_comment', first, { id: 'recheck-1' });
    expect(published()).toBeGreaterThan(redelivered);
    const once = published();
    expect(commentsOn().filter((c) => /re-checks a pull request/.test(c.body))).toHaveLength(0);

    now += 20_000;
    await app.deliver('issue_comment', commentPayload('maintainer'));
    expect(published()).toBe(once);
    const refusals = () => commentsOn().filter((c) => /re-checks a pull request/.test(c.body));
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]!.body).toContain('@maintainer');
    expect(refusals()[0]!.body).toContain('in 40 seconds');

    now += 20_000;
    await app.deliver('issue_comment', commentPayload('maintainer'));
    expect(published()).toBe(once);
    expect(refusals()).toHaveLength(1);

    // Another PR has its own window.
    const other = failingHead();
    openPullRequest(8, other);
    const onEight = commentPayload('maintainer');
    onEight.issue.number = 8;
    await app.deliver('issue_comment', onEight);
    expect(runsFor(other)).toHaveLength(1);

    now += RECHECK_INTERVAL_MS - 40_000;
    const before = published();
    await app.deliver('issue_comment', commentPayload('maintainer'));
    expect(published()).toBeGreaterThan(before);
    expect(runsFor(head)).toHaveLength(1);
    expect(refusals()).toHaveLength(1);
  });

  it('ignores check events that belong to other apps, and reruns its own in place', async () => {
    const head = failingHead();
    const rerun = (appId: number) =>
      payload('check_run', 'rerequested', (p) => {
        atRepo(p, 'hmpo', 'renew-passport');
        p.check_run.app = { ...p.check_run.app, id: appId };
        p.check_run.head_sha = head;
        p.check_run.pull_requests = [];
      });
    await app.deliver('check_run', rerun(999));
    expect(fake.requests).toHaveLength(0);
    await app.deliver('check_run', rerun(fake.appId));
    await app.deliver('check_run', rerun(fake.appId));
    expect(runsFor(head)).toHaveLength(1);
    expect(runsFor(head)[0]!.status).toBe('completed');
  });

  it('evaluates pushes to the default branch only, and newly installed repositories', async () => {
    const push = (ref: string) =>
      payload('push', undefined, (p) => {
        atRepo(p, 'hmpo', 'renew-passport');
        Object.assign(p, { ref, after: baseSha, deleted: false });
      });
    await app.deliver('push', push('refs/heads/feature'));
    expect(fake.checkRuns).toHaveLength(0);
    await app.deliver('push', push('refs/heads/main'));
    expect(runsFor(baseSha)[0]!.conclusion).toBe('success');

    const other = fake.addRepo('hmpo/new-service', { 'README.md': 'hi' });
    await app.deliver(
      'installation_repositories',
      payload('installation_repositories', 'added', (p) => {
        p.repositories_added = [{ full_name: 'hmpo/new-service', name: 'new-service' }];
      }),
    );
    expect(runsFor(other)[0]).toMatchObject({ conclusion: 'failure' });
    expect(runsFor(other)[0]!.output.summary).toContain('There is no service.yml');
  });
});

describe('logs', () => {
  it('never contain the installation token or the private key', async () => {
    await app.deliver('pull_request', prPayload('opened', failingHead()));
    const all = app.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain('ghs_faketoken_for_tests_only');
    expect(all).not.toContain(PRIVATE_KEY.split('\n')[1]);
  });
});

describe('one tenant cannot affect another', () => {
  /** A pull request in another organisation, served by the same App process. */
  function otherPr(owner: string, name: string, head: string, number = 1) {
    const pr = { number, head, base: head };
    openOnFake(fake, pr, `${owner}/${name}`);
    const event = pullRequestEvent('opened', pr, { repo: `${owner}/${name}` });
    event.installation = { id: 78, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzg=' };
    return event;
  }
  const verdict = (sha: string) => {
    const [run] = runsFor(sha);
    return {
      conclusion: run!.conclusion,
      annotations: (
        run!.annotations as { annotation_level: string; start_line: number; title: string }[]
      ).map((a) => `${a.annotation_level} ${a.start_line} ${a.title}`),
    };
  };

  it("an organisation whose policy tries to reach Object.prototype changes nothing in another's verdict", async () => {
    const before = failingHead();
    await app.deliver('pull_request', prPayload('opened', before));
    const clean = verdict(before);
    expect(clean.conclusion).toBe('failure');

    // Another organisation's central policy: dotted keys that once set Object.prototype.polluted
    // and Object.prototype.waivers for the whole process.
    fake.addRepo('evil/.github', {
      '.github/service-gate.yml': [
        'thresholds:',
        '  design_system_floors:',
        '    x.__proto__.polluted: 1',
        '    x.constructor.prototype.waivers: 1',
        'severity:',
        "  '__proto__': off",
        '',
      ].join('\n'),
    });
    const evil = fake.addRepo('evil/service', exampleFiles('live-renew-passport'));
    await app.deliver('pull_request', otherPr('evil', 'service', evil));
    const [evilRun] = runsFor(evil);
    // That organisation's own verdict fails closed, naming its policy's problem.
    expect(evilRun!.conclusion).toBe('failure');
    expect(evilRun!.output.summary).toMatch(/policy/i);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).waivers).toBeUndefined();

    // The first organisation's next push is judged exactly as before.
    const after = failingHead();
    await app.deliver('pull_request', prPayload('synchronize', after));
    expect(verdict(after)).toEqual(clean);
  });
});
