import { fileURLToPath } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { isAuditWorkerData } from '../../run/audit-workers.js';
import { run } from './main.js';

if (!isMainThread && isAuditWorkerData(workerData)) {
  // A thread of a local audit (audit --threads), started from this file: it serves, not runs.
  void import('./audit-worker.js').then((m) => m.serveAuditWorker(workerData));
} else {
  // A reader that stops early (`| head`) closes the pipe: that is not an error, so stop quietly.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });

  // No top-level await: the CLI is bundled as CommonJS (see scripts/bundle.js), which has none.
  // Node ends a top-level await that never settles with exit code 13, never 0; so does this.
  let settled = false;
  process.once('beforeExit', () => {
    if (!settled) process.exitCode = 13;
  });
  void run(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    cwd: process.cwd(),
    today: () => new Date().toISOString().slice(0, 10),
    entry: fileURLToPath(import.meta.url),
  })
    .catch((e: unknown) => {
      process.stderr.write(
        `service-gate: unexpected error: ${(e as Error).stack ?? String(e)}\nPlease report it: https://github.com/service-gate/service-gate/issues\n`,
      );
      return 3;
    })
    .then((code) => {
      settled = true;
      process.exitCode = code;
    });
}
