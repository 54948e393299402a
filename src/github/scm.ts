import type { FileRead, Scm } from '../scm/scm.js';
import { type BlobReader, readBlobFile } from './blob-reader.js';
import type { GitHub } from './client.js';

interface TreeEntry {
  path: string;
  type: string;
  size?: number;
}

/**
 * A repository read through the GitHub API: one recursive tree request per ref (which also
 * gives every file's size, so nothing too large is ever fetched), and file contents batched
 * through GraphQL.
 */
export class GitHubScm implements Scm {
  #trees = new Map<string, Promise<Map<string, number>>>();

  constructor(
    readonly github: GitHub,
    private readonly blobs: BlobReader,
    readonly owner: string,
    readonly repo: string,
    /** The commit judged when no ref is given. */
    readonly headSha: string,
    /** The head's files and sizes when already listed (an audit's depth-limited GraphQL tree). */
    listed?: Map<string, number>,
  ) {
    if (listed) this.#trees.set(headSha, Promise.resolve(listed));
  }

  /** GitHub truncates trees above 100,000 entries or 7 MB; evidence then comes from what was listed. */
  #tree(ref: string): Promise<Map<string, number>> {
    let tree = this.#trees.get(ref);
    if (!tree) {
      tree = this.github
        .request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
          owner: this.owner,
          repo: this.repo,
          tree_sha: ref,
          recursive: '1',
        })
        .then(
          ({ data }) =>
            new Map(
              (data.tree as TreeEntry[])
                .filter((e) => e.type === 'blob')
                .map((e) => [e.path, e.size ?? 0]),
            ),
        );
      this.#trees.set(ref, tree);
    }
    return tree;
  }

  async sizes(ref = this.headSha): Promise<ReadonlyMap<string, number> | undefined> {
    return ref === this.headSha ? this.#tree(ref) : undefined;
  }

  async listPaths(ref = this.headSha): Promise<string[]> {
    return [...(await this.#tree(ref)).keys()];
  }

  async readFile(
    path: string,
    options: { ref?: string; maxBytes?: number } = {},
  ): Promise<FileRead> {
    const ref = options.ref ?? this.headSha;
    if (ref !== this.headSha)
      return this.readElsewhere(this.owner, this.repo, `${ref}:${path}`, options.maxBytes);
    const size = (await this.#tree(ref)).get(path);
    if (size === undefined) return { status: 'missing' };
    if (size > (options.maxBytes ?? Infinity)) return { status: 'too-large', bytes: size };
    const blob = await this.blobs.read({
      owner: this.owner,
      name: this.repo,
      expression: `${ref}:${path}`,
      bytes: size,
    });
    return blob?.text == null ? { status: 'missing' } : { status: 'ok', text: blob.text };
  }

  /**
   * Reads a file at another ref or in another repository (the base manifest, policy files).
   * These are not untrusted pull-request content, so the size is checked on arrival; waiting
   * for the head tree first lets the read share the head's GraphQL request.
   */
  async readElsewhere(
    owner: string,
    name: string,
    expression: string,
    maxBytes = Infinity,
  ): Promise<FileRead> {
    await this.#tree(this.headSha).catch(() => undefined);
    return readBlobFile(this.blobs, owner, name, expression, maxBytes);
  }

  async readFiles(
    paths: readonly string[],
    options: { ref?: string; maxBytes?: number } = {},
  ): Promise<Map<string, string>> {
    const reads = await Promise.all(
      paths.map(async (p) => [p, await this.readFile(p, options)] as const),
    );
    return new Map(reads.flatMap(([p, r]) => (r.status === 'ok' ? [[p, r.text]] : [])));
  }
}
