import { type Io, run } from '../../src/shells/cli/main.js';

export const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Runs the CLI in-process, as `service-gate ARGS` in `cwd` on 2026-11-27 (or `today`), capturing
 * output. With `entry` (the built CLI), commands that start worker threads start them from it.
 */
export async function cli(
  args: string[],
  options: { cwd?: string; env?: Io['env']; today?: string; entry?: string } = {},
) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    env: options.env ?? {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTty: false,
    cwd: options.cwd ?? ROOT,
    today: () => options.today ?? '2026-11-27',
    ...(options.entry ? { entry: options.entry } : {}),
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}
