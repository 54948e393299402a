import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI, which serves as an audit worker when started as one (npm test builds it first). */
export const BUILT_CLI = resolve('lib/shells/cli/index.js');

export const EXAMPLES = readdirSync('examples', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/**
 * A folder of `count` checkouts (more than WORKERS_FROM for an audit in threads): the examples
 * over and over, with an empty folder, one without service.yml and one whose service.yml is
 * broken among them.
 */
export function portfolio(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-audit-threads-'));
  for (let i = 0; i < count; i++) {
    const repo = join(dir, `repo-${String(i).padStart(4, '0')}`);
    cpSync(join('examples', EXAMPLES[i % EXAMPLES.length]!), repo, { recursive: true });
  }
  mkdirSync(join(dir, 'empty-folder'));
  writeFileSync(join(dir, 'repo-0011', 'service.yml'), 'name: [unclosed\n');
  mkdirSync(join(dir, 'no-manifest'));
  cpSync(
    join('examples', 'live-renew-passport', 'package.json'),
    join(dir, 'no-manifest', 'package.json'),
  );
  return dir;
}

/** A worker script that dies (exit code 7) as soon as it is given repositories to judge. */
export function dyingWorker(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sg-worker-')), 'dies.mjs');
  writeFileSync(
    file,
    "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(7));\n",
  );
  return file;
}
