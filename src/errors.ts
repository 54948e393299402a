import { type Diagnostic, formatDiagnostic } from './core/diagnostics.js';
import { redactSecrets } from './core/redact.js';

/**
 * The errors that stop a shell before anything is judged. Each says whose mistake it is, so a
 * shell can answer in kind: a usage line (CLI, exit 2), a failed step naming the input (Action),
 * or a neutral check run saying GitHub failed (App). The core never throws these: it returns
 * diagnostics, which become findings.
 */

/** A mistake in how the CLI was called: exit code 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An input a shell cannot go on with (an Action input, the runner's environment, a file). */
export class InputError extends Error {
  override name = 'InputError';
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string | readonly Diagnostic[]) {
    super(typeof message === 'string' ? message : message.map(formatDiagnostic).join('\n'));
    this.diagnostics = typeof message === 'string' ? [] : message;
  }
}

/** GitHub's REST errors carry a status; anything else (network, timeout) does not. */
export function gitHubStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

/** An error message safe to show and log: the status and first line, never headers or tokens. */
export function describeError(error: unknown): string {
  const e = error as { message?: string };
  const code = gitHubStatusOf(error);
  const status = code === undefined ? '' : `GitHub answered ${code}: `;
  return `${status}${redactSecrets(String(e?.message ?? error).split('\n')[0]!).slice(0, 300)}`;
}
