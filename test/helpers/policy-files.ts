import type { FileRead } from '../../src/scm/scm.js';
import type { PolicySource } from '../../src/github/policy.js';

/**
 * Policy files on default branches, as GitHub would serve them to the policy loader: keyed by
 * "owner/repo:path". It stands in for the GraphQL blob reads only; every rule about which files
 * are read, and how they merge, is the loader's.
 */
export function policyFiles(
  owner: string,
  repo: string,
  files: Readonly<Record<string, string>>,
): PolicySource & { reads: string[] } {
  const reads: string[] = [];
  return {
    owner,
    repo,
    reads,
    async readElsewhere(o, n, expression, maxBytes = Infinity): Promise<FileRead> {
      const path = expression.slice(expression.indexOf(':') + 1);
      const key = `${o}/${n}:${path}`;
      reads.push(key);
      const text = files[key];
      if (text === undefined) return { status: 'missing' };
      const bytes = Buffer.byteLength(text);
      return bytes > maxBytes ? { status: 'too-large', bytes } : { status: 'ok', text };
    },
  };
}
