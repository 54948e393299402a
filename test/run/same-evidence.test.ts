import { join } from 'node:path';
import Bottleneck from 'bottleneck';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHub } from '../../src/github/octokit.js';
import { auditRepositories } from '../../src/run/audit.js';
import { NO_POLICY, prepare } from '../../src/run/judge.js';
import { LocalScm } from '../../src/scm/local.js';
import { openApiProblems } from '../fake-github/openapi.js';
import { FakeGitHub } from '../fake-github/server.js';
import { exampleFiles } from '../shells/app/fixtures.js';

const NOW = '2026-11-27';
const EXAMPLE = join(import.meta.dirname, '../../examples/live-renew-passport');
let fake: FakeGitHub;
const client = () =>
  createGitHub('ghs_same', fake.url, 'test', {
    write: new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 }),
  });

beforeAll(async () => {
  fake = new FakeGitHub();
  fake.addRepo('hmpo/renew-passport', exampleFiles('live-renew-passport'));
  await fake.start();
});
afterAll(async () => fake.stop());

describe('the same evidence everywhere', () => {
  it('the audit (and drift, which judges through it) reads what check reads for the compliant live example', async () => {
    const [audited] = await auditRepositories(client(), ['hmpo/renew-passport'], NOW);
    const judge = prepare(NO_POLICY, { now: NOW });
    const checked = judge.evaluate(await judge.gather({ scm: new LocalScm(EXAMPLE) }));

    const evaluation = audited!.evaluation!;
    expect(evaluation.evidence).toEqual(checked.evidence);
    // The privacy notice is in app/views/: an audit that read only the top of the tree missed it.
    expect(evaluation.evidence.practices.privacy_notice).toBe(true);
    expect(evaluation.findings.map((f) => `${f.rule}:${f.level}`)).toEqual(
      checked.findings.map((f) => `${f.rule}:${f.level}`),
    );
    // Drift opens an issue for failures and warnings: the compliant example has none.
    expect(evaluation.findings.filter((f) => f.level !== 'notice')).toEqual([]);
    expect(openApiProblems(fake.requests)).toEqual([]);
  });

  it('reads a blob GitHub truncates in GraphQL whole, through REST, rather than judge its start', async () => {
    const files = exampleFiles('live-renew-passport');
    // govuk-frontend far down a large lockfile: the first 1,000 characters do not show it.
    const lock = JSON.parse(files['package-lock.json']!) as { packages: Record<string, unknown> };
    const padded = {
      ...lock,
      packages: {
        ...Object.fromEntries(
          Array.from({ length: 200 }, (_, i) => [`node_modules/pad-${i}`, { version: '1.0.0' }]),
        ),
        ...lock.packages,
      },
    };
    fake.addRepo('hmpo/big-lock', {
      ...files,
      'package-lock.json': JSON.stringify(padded, null, 2),
    });
    fake.graphqlTextLimit = 1000;
    try {
      const before = fake.requests.length;
      const [audited] = await auditRepositories(client(), ['hmpo/big-lock'], NOW);
      const blobs = fake.requests.slice(before).filter((r) => r.path.includes('/git/blobs/'));
      expect(blobs.length).toBeGreaterThan(0);
      expect(audited!.evaluation!.evidence.design_systems).toEqual([
        expect.objectContaining({
          id: 'govuk-frontend',
          source: 'package-lock.json',
          resolved: true,
        }),
      ]);
      expect(audited!.evaluation!.evidence.files_unread).toEqual([]);
    } finally {
      fake.graphqlTextLimit = Infinity;
    }
  });
});
