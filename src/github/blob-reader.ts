import type { FileRead } from '../scm/scm.js';
import type { GitHub } from './client.js';

/** One file to read through GraphQL: `expression` is "<ref>:<path>" in repository owner/name. */
export interface BlobRequest {
  owner: string;
  name: string;
  expression: string;
  /** Its size when known (from a tree listing), so a request stays within the byte budget. */
  bytes?: number;
}

export interface BlobResult {
  text: string | null;
  byteSize: number;
}

/** Files per GraphQL request, and the sizes (from tree listings) one request may add up to. */
export interface BlobBudget {
  filesPerQuery: number;
  bytesPerQuery: number;
}

export const DEFAULT_BLOB_BUDGET: BlobBudget = {
  filesPerQuery: 100,
  bytesPerQuery: 4 * 1024 * 1024,
};

interface RawBlob {
  text: string | null;
  byteSize: number;
  isTruncated?: boolean;
  oid?: string;
}

/**
 * A GraphQL field that rides along with the next file read instead of costing a request of
 * its own (the App's lookup of its check runs and PR comment). `alias` prefixes its variables.
 */
export interface ExtraField<T> {
  build(alias: string): {
    selection: string;
    variables: Record<string, [type: string, value: unknown]>;
  };
  parse(value: unknown): T;
}

interface PendingExtra {
  field: ExtraField<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Reads many files, across repositories, in one GraphQL request per budget of files and bytes
 * (REST would take one request per file). Requests made in the same tick are batched together.
 * GitHub truncates a large blob's `text`: such a blob is read again through the REST blob
 * endpoint, so a large lockfile is never judged from the start of it.
 */
export class BlobReader {
  #queue: {
    request: BlobRequest;
    resolve: (r: BlobResult | undefined) => void;
    reject: (e: unknown) => void;
  }[] = [];
  #extras: PendingExtra[] = [];
  #scheduled = false;
  /** Requests sent (GraphQL, and REST for truncated blobs): part of the API budget reported by tests and the benchmark. */
  requests = 0;

  constructor(
    private readonly github: GitHub,
    private readonly budget: BlobBudget = DEFAULT_BLOB_BUDGET,
  ) {}

  read(request: BlobRequest): Promise<BlobResult | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Queues `field` to go with the next file read. The returned function gives its value; if no
   * read has taken it along by then, it is sent on its own.
   */
  alongside<T>(field: ExtraField<T>): () => Promise<T> {
    const entry = {} as PendingExtra;
    const value = new Promise<T>((resolve, reject) =>
      Object.assign(entry, { field, resolve, reject }),
    );
    value.catch(() => undefined); // observed by whoever asks for it
    this.#extras.push(entry);
    return () => {
      if (this.#extras.includes(entry)) this.#schedule();
      return value;
    };
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#queue.splice(0);
    const parts = chunks(batch, this.budget);
    for (let i = 0; i === 0 || i < parts.length; i++) {
      const chunk = parts[i] ?? [];
      const extras = i === 0 ? this.#extras.splice(0) : [];
      if (chunk.length === 0 && extras.length === 0) return;
      try {
        const { files, extra } = await this.#query(
          chunk.map((c) => c.request),
          extras.map((x) => x.field),
        );
        chunk.forEach((c, j) => c.resolve(files[j]));
        extras.forEach((x, j) => {
          try {
            x.resolve(x.field.parse(extra[j]));
          } catch (e) {
            x.reject(e);
          }
        });
      } catch (e) {
        for (const c of [...chunk, ...extras]) c.reject(e);
      }
    }
  }

  async #query(
    requests: BlobRequest[],
    extras: ExtraField<unknown>[] = [],
  ): Promise<{ files: (BlobResult | undefined)[]; extra: unknown[] }> {
    const repos = new Map<string, number>();
    const variables: Record<string, unknown> = {};
    const types: Record<string, string> = {};
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
        `f${i}: repository(owner: $o${repos.get(key)}, name: $n${repos.get(key)}) { object(expression: $e${i}) { ... on Blob { text byteSize isTruncated oid } } }`,
      );
    });
    extras.forEach((x, i) => {
      const { selection, variables: vars } = x.build(`x${i}`);
      fields.push(selection);
      for (const [name, [type, value]] of Object.entries(vars)) {
        types[name] = type;
        variables[name] = value;
      }
    });
    const declarations = Object.keys(variables)
      .map((v) => `$${v}: ${types[v] ?? 'String!'}`)
      .join(', ');
    this.requests++;
    let data: Record<string, { object?: RawBlob | null } | null>;
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
    const files = await Promise.all(
      requests.map(async (r, i) => {
        const blob = data[`f${i}`]?.object ?? undefined;
        if (!blob?.isTruncated) return blob && { text: blob.text, byteSize: blob.byteSize };
        return { text: await this.#whole(r, blob), byteSize: blob.byteSize };
      }),
    );
    return { files, extra: extras.map((_, i) => data[`x${i}`] ?? null) };
  }

  /** The whole text of a blob GraphQL truncated, through REST; null if it cannot be had. */
  async #whole(r: BlobRequest, blob: RawBlob): Promise<string | null> {
    if (!blob.oid) return null;
    this.requests++;
    const { data } = await this.github.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      owner: r.owner,
      repo: r.name,
      file_sha: blob.oid,
      headers: { accept: 'application/vnd.github.raw+json' },
    });
    return typeof data === 'string' ? data : null;
  }
}

/** Splits a batch so each request stays within the file count and the known byte sizes. */
function chunks<T extends { request: BlobRequest }>(batch: T[], budget: BlobBudget): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of batch) {
    const size = item.request.bytes ?? 0;
    if (
      current.length > 0 &&
      (current.length >= budget.filesPerQuery || bytes + size > budget.bytesPerQuery)
    ) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
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
