/**
 * Values that recur across the repositories of an audit, kept once. Repositories judged by the
 * same packs share most of what their reports hold: the same point summaries, the same findings
 * word for word, the same list of packs, the same practices found. Kept once each, 10,000
 * repositories' results fit in a fraction of the memory; what is written is unchanged, since a
 * value is shared only with values whose JSON is the same.
 */
export class SharedValues {
  readonly #pool = new Map<string, object>();
  #keptChars = 0;

  /**
   * @param maxChars how much JSON the pool may hold as keys: once full, values not yet seen are
   * no longer kept for sharing (a portfolio of unlike repositories would gain nothing from them).
   */
  constructor(private readonly maxChars = 8 * 1024 * 1024) {}

  /** The value first seen with the same JSON as this one, or this one. Shared values are frozen. */
  share<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const key = JSON.stringify(value);
    const known = this.#pool.get(key);
    if (known !== undefined) return known as T;
    if (this.#keptChars + key.length <= this.maxChars) {
      this.#pool.set(key, Object.freeze(value));
      this.#keptChars += key.length;
    }
    return value;
  }

  /** Each item shared; the list itself is new. */
  shareEach<T>(values: readonly T[]): T[] {
    return values.map((v) => this.share(v));
  }

  /**
   * These values, for results that arrived together from a worker thread. The worker shared
   * their recurring values among them, and a structured clone keeps one object one object, so
   * each is looked up by its JSON once per batch rather than once per repository.
   */
  forBatch(): Sharing {
    const sharedAs = new Map<object, object>();
    const share = <T>(value: T): T => {
      if (value === null || typeof value !== 'object') return value;
      let known = sharedAs.get(value);
      if (known === undefined) sharedAs.set(value, (known = this.share(value)));
      return known as T;
    };
    return { share, shareEach: (values) => values.map(share) };
  }
}

/** What shares values: SharedValues itself, or its view for one batch. */
export type Sharing = Pick<SharedValues, 'share' | 'shareEach'>;
