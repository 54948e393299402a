import type { FileRead, Scm } from './scm.js';

/** A repository already read into memory (a portfolio audit's batch, a test). */
export class MemoryScm implements Scm {
  constructor(
    private readonly paths: readonly string[],
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  async listPaths(): Promise<string[]> {
    return [...this.paths];
  }

  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<FileRead> {
    const text = this.files.get(path);
    if (text === undefined) return { status: 'missing' };
    const bytes = Buffer.byteLength(text);
    return bytes > (options.maxBytes ?? Infinity)
      ? { status: 'too-large', bytes }
      : { status: 'ok', text };
  }

  async readFiles(
    paths: readonly string[],
    options: { maxBytes?: number } = {},
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const p of paths) {
      const r = await this.readFile(p, options);
      if (r.status === 'ok') out.set(p, r.text);
    }
    return out;
  }
}
