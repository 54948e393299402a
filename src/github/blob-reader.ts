import type { FileRead } from '../scm/scm.js';
import type { GitHub } from './client.js';

/** One file to read through GraphQL: `expression` is "<ref>:<path>" in repository owner/name. */
export interface BlobRequest {
  owner: string;
  name: string;
  expression: string;
}

export interface BlobResult {
  text: string | null;
  byteSize: number;
}

const MAX_PER_QUERY = 100;

/**
 * Reads many files, across repositories, in one GraphQL request per 100 files (REST would
 * take one request per file). Requests made in the same tick are batched together.
 */
export class BlobReader {
  #queue: {
    request: BlobRequest;
    resolve: (r: BlobResult | undefined) => void;
    reject: (e: unknown) => void;
  }[] = [];
  #scheduled = false;
  /** GraphQL requests sent: part of the API budget reported by tests and the benchmark. */
  requests = 0;

  constructor(private readonly github: GitHub) {}

  read(request: BlobRequest): Promise<BlobResult | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#queue.splice(0);
    for (let i = 0; i < batch.length; i += MAX_PER_QUERY) {
      const chunk = batch.slice(i, i + MAX_PER_QUERY);
      try {
        const results = await this.#query(chunk.map((c) => c.request));
        chunk.forEach((c, j) => c.resolve(results[j]));
      } catch (e) {
        for (const c of chunk) c.reject(e);
      }
    }
  }

  async #query(requests: BlobRequest[]): Promise<(BlobResult | undefined)[]> {
    const repos = new Map<string, number>();
    const variables: Record<string, string> = {};
    const fields: string[] = [];
    requests.forEach((r, i) => {
      const key = `${r.owner}/${r.name}`;
      if (!repos.has(key)) {
        const n = repos.size;
        repos.set(key, n);
        variables[`o${n}`] = r.owner;
        variables[`n${n}`] = r.name;
      }
      variables[`e${i}`] = r.expression;
      fields.push(
        `f${i}: repository(owner: $o${repos.get(key)}, name: $n${repos.get(key)}) { object(expression: $e${i}) { ... on Blob { text byteSize } } }`,
      );
    });
    const declarations = Object.keys(variables)
      .map((v) => `$${v}: String!`)
      .join(', ');
    this.requests++;
    let data: Record<string, { object: BlobResult | null } | null>;
    try {
      data = await this.github.graphql(
        `query ServiceGateFiles(${declarations}) {\n${fields.join('\n')}\n}`,
        variables,
      );
    } catch (e) {
      // A missing repository (say, an organisation without a .github repository) is a
      // NOT_FOUND error beside partial data: that is an absent file, not a failure.
      const partial = e as { data?: typeof data; errors?: { type?: string }[] };
      if (!partial.data || !partial.errors?.every((x) => x.type === 'NOT_FOUND')) throw e;
      data = partial.data;
    }
    return requests.map((_, i) => data[`f${i}`]?.object ?? undefined);
  }
}

/** A file read through the blob reader, as a FileRead; the size is checked on arrival. */
export async function readBlobFile(
  blobs: BlobReader,
  owner: string,
  name: string,
  expression: string,
  maxBytes = Infinity,
): Promise<FileRead> {
  const blob = await blobs.read({ owner, name, expression });
  if (blob?.text == null) return { status: 'missing' };
  return blob.byteSize > maxBytes
    ? { status: 'too-large', bytes: blob.byteSize }
    : { status: 'ok', text: blob.text };
}

/** Policy files of `owner/repo` (and whatever they extend), read through GraphQL. */
export function blobPolicySource(github: GitHub, owner: string, repo: string) {
  const blobs = new BlobReader(github);
  return {
    owner,
    repo,
    github,
    blobs,
    readElsewhere: (o: string, n: string, expression: string, maxBytes?: number) =>
      readBlobFile(blobs, o, n, expression, maxBytes),
  };
}
