import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLocal } from '../../src/run/audit.js';
import { AuditWorkerError, WORKER_BATCH, WORKERS_FROM } from '../../src/run/audit-workers.js';
import { loadPolicy, type LocalPolicyOptions } from '../../src/shells/cli/local-policy.js';
import { BUILT_CLI, dyingWorker, EXAMPLES, portfolio } from '../helpers/portfolio.js';

const NOW = '2026-11-27';
const workersStarted: unknown[] = [];
const countWorker = (w: unknown) => workersStarted.push(w);
const scratch: string[] = [];
beforeAll(() => {
  process.on('worker', countWorker);
  return () => process.off('worker', countWorker);
});
afterEach(() => {
  workersStarted.length = 0;
});
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('a local audit in worker threads', () => {
  const dir = portfolio(2 * WORKER_BATCH + WORKER_BATCH / 4);
  scratch.push(dir);
  const files: LocalPolicyOptions = { dir, cwd: dir, central: [], ownFile: false };
  const asked = (entry: string, policy = files) => ({ entry, threads: 2, asked: true, policy });

  it('gives the results one thread gives, byte for byte, with their recurring parts shared', async () => {
    const central = loadPolicy(files);
    const alone = await auditLocal(dir, { central, now: NOW });
    expect(workersStarted).toHaveLength(0);
    const threaded = await auditLocal(dir, { central, now: NOW, workers: asked(BUILT_CLI) });
    expect(workersStarted).toHaveLength(2);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(alone));
    expect(threaded.excluded.empty).toEqual(['empty-folder']);
    const byName = new Map(threaded.repositories.map((r) => [r.repository, r]));
    expect(byName.get('repo-0011')!.status).toBe('invalid-manifest');
    expect(byName.get('no-manifest')!.status).toBe('no-manifest');
    // Judged in different batches (and threads), like repositories still share their findings.
    const [first, later] = ['repo-0000', `repo-0${EXAMPLES.length * 50}`].map((n) =>
      byName.get(n)!,
    );
    expect(later!.manifest!.name).toBe(first!.manifest!.name);
    expect(later!.report!.findings.length).toBeGreaterThan(0);
    expect(later!.report!.findings[0]).toBe(first!.report!.findings[0]);
  });

  it('uses threads unasked only from WORKERS_FROM checkouts: below, starting them costs more', async () => {
    const unasked = { entry: BUILT_CLI, threads: 2, policy: files };
    await auditLocal(dir, { central: loadPolicy(files), now: NOW, workers: unasked });
    expect(workersStarted).toHaveLength(0);
    const many = mkdtempSync(join(tmpdir(), 'sg-audit-many-'));
    scratch.push(many);
    for (let i = 0; i < WORKERS_FROM; i++) {
      mkdirSync(join(many, `r${i}`));
      writeFileSync(join(many, `r${i}`, 'service.yml'), `name: Service ${i}\nphase: alpha\n`);
    }
    const manyFiles = { ...files, dir: many, cwd: many };
    const { repositories } = await auditLocal(many, {
      central: loadPolicy(manyFiles),
      now: NOW,
      workers: { ...unasked, policy: manyFiles },
    });
    expect(workersStarted).toHaveLength(2);
    expect(repositories).toHaveLength(WORKERS_FROM);
  });

  it('stops when a worker loads another central policy than the main thread did', async () => {
    const policy = join(mkdtempSync(join(tmpdir(), 'sg-central-')), 'central.yml');
    scratch.push(resolve(policy, '..'));
    writeFileSync(policy, 'severity:\n  gds.9.security-policy: warning\n');
    const audit = auditLocal(dir, {
      central: loadPolicy(files),
      now: NOW,
      workers: asked(BUILT_CLI, { ...files, central: [policy] }),
    });
    await expect(audit).rejects.toThrow(AuditWorkerError);
    await expect(audit).rejects.toThrow(
      /judging (empty-folder to repo-0197|repo-0198 to repo-0397): The central policy files changed/,
    );
  });

  it('stops, naming the repositories, when a worker dies with a batch in hand', async () => {
    const audit = auditLocal(dir, {
      central: loadPolicy(files),
      now: NOW,
      workers: asked(dyingWorker()),
    });
    await expect(audit).rejects.toThrow(
      /An audit worker exited \(code 7\) while judging (empty-folder to repo-0197|repo-0198 to repo-0397)\./,
    );
  });

  it('stops when a judgement can never finish, as one thread ends with exit code 13', async () => {
    const stuck = join(mkdtempSync(join(tmpdir(), 'sg-worker-')), 'stuck.mjs');
    scratch.push(resolve(stuck, '..'));
    writeFileSync(
      stuck,
      `import { parentPort } from 'node:worker_threads';
import { serveBatches } from ${JSON.stringify(resolve('lib/run/audit-workers.js'))};
serveBatches(parentPort, () => new Promise(() => {}));
`,
    );
    const audit = auditLocal(dir, { central: loadPolicy(files), now: NOW, workers: asked(stuck) });
    await expect(audit).rejects.toThrow(/An audit worker exited \(code 0\) while judging .+\./);
  });

  it('stops when a worker cannot be started', async () => {
    const audit = auditLocal(dir, {
      central: loadPolicy(files),
      now: NOW,
      workers: asked('not-a-path.js'),
    });
    await expect(audit).rejects.toThrow(/^Could not start an audit worker: .+/);
    expect(workersStarted).toHaveLength(0);
  });
});
