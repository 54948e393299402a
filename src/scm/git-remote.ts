import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * OWNER/NAME from a git remote URL, for GitHub.com and GitHub Enterprise Server alike:
 * https://host/owner/name(.git), git@host:owner/name(.git), ssh://git@host[:port]/owner/name.
 */
export function repositoryFromRemoteUrl(url: string): string | undefined {
  const path =
    /^[\w.-]+@[\w.-]+:(?!\/)(.+)$/.exec(url)?.[1] ?? /^[a-z+]+:\/\/[^/]+\/(.+)$/.exec(url)?.[1];
  const match = /^([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(path ?? '');
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The repository `origin` points at, if the folder is a git checkout with such a remote. */
export async function repositoryOfCheckout(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['remote', 'get-url', 'origin'], { cwd: dir });
    return repositoryFromRemoteUrl(stdout.trim());
  } catch {
    return undefined;
  }
}
