import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLocal } from '../../src/run/audit.js';
import { AuditWorkerError, WORKER_BATCH, WORKERS_FROM } from '../../src/run/audit-workers.js';
import { loadPolicy } from '../../src/shells/cli/local-policy.js';
import { BUILT_CLI, dyingWorker, EXAMPLES, portfolio } from '../helpers/portfolio.js';

const NOW = '2026-11-27';
const workersStarted: unknown[] = [];
const countWorker = (w: unknown) => workersStarted.push(w);
beforeAll(() => {
  process.on('worker', countWorker);
  return () => process.off('worker', countWorker);
});
afterEach(() => {
  workersStarted.length = 0;
});

describe('a local audit in worker threads', () => {
  const dir = portfolio(WORKERS_FROM + WORKER_BATCH / 2);
  const files = { dir, cwd: dir, central: [], ownFile: false };

  it('gives the results one thread gives, byte for byte, with their recurring parts shared', async () => {
    const central = loadPolicy(files);
    const alone = await auditLocal(dir, { central, now: NOW });
    expect(workersStarted).toHaveLength(0);
    const threaded = await auditLocal(dir, {
      central,
      now: NOW,
      workers: { entry: BUILT_CLI, threads: 2, policy: files },
    });
    expect(workersStarted).toHaveLength(2);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(alone));
    expect(threaded.excluded.empty).toEqual(['empty-folder']);
    expect(threaded.repositories.find((r) => r.repository === 'repo-0011')!.status).toBe(
      'invalid-manifest',
    );
    expect(threaded.repositories.find((r) => r.repository === 'no-manifest')!.status).toBe(
      'no-manifest',
    );
    // Judged in different batches (and threads), like repositories still share their findings.
    const byName = new Map(threaded.repositories.map((r) => [r.repository, r]));
    const [first, later] = ['repo-0000', `repo-0${EXAMPLES.length * 50}`].map((n) =>
      byName.get(n)!,
    );
    expect(later!.manifest!.name).toBe(first!.manifest!.name);
    expect(later!.report!.findings.length).toBeGreaterThan(0);
    expect(later!.report!.findings[0]).toBe(first!.report!.findings[0]);
  });

  it('judges small folders in one thread: starting threads would cost more than it saves', async () => {
    const small = portfolio(WORKERS_FROM - 10);
    const smallFiles = { ...files, dir: small, cwd: small };
    await auditLocal(small, {
      central: loadPolicy(smallFiles),
      now: NOW,
      workers: { entry: BUILT_CLI, threads: 2, policy: smallFiles },
    });
    expect(workersStarted).toHaveLength(0);
  });

  it('stops when a worker loads another central policy than the main thread did', async () => {
    const policy = join(dir, '..', `${Date.now()}-central.yml`);
    writeFileSync(policy, 'severity:\n  gds.9.security-policy: warning\n');
    const audit = auditLocal(dir, {
      central: loadPolicy(files),
      now: NOW,
      workers: { entry: BUILT_CLI, threads: 2, policy: { ...files, central: [policy] } },
    });
    await expect(audit).rejects.toThrow(AuditWorkerError);
    await expect(audit).rejects.toThrow(
      /judging (empty-folder to repo-0197|repo-0198 to repo-0397): The central policy files changed/,
    );
  });

  it('stops, naming the repositories, when a worker dies with a batch in hand', async () => {
    const dies = dyingWorker();
    const audit = auditLocal(dir, {
      central: loadPolicy(files),
      now: NOW,
      workers: { entry: dies, threads: 2, policy: files },
    });
    await expect(audit).rejects.toThrow(
      /An audit worker exited \(code 7\) while judging (empty-folder to repo-0197|repo-0198 to repo-0397)\./,
    );
  });
});
