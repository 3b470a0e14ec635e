/**
 * A bounded map whose entries expire: at most `maxEntries` (the least recently used goes first) and each for
 * `ttlMs`. No timer runs: an expired entry is dropped when it is next read. `now` is injectable for tests.
 */
export class TtlCache<Value> {
  readonly #entries = new Map<string, { readonly value: Value; readonly expires: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { readonly ttlMs: number; readonly maxEntries: number; readonly now?: () => number }) {
    if (!(options.ttlMs > 0) || !Number.isFinite(options.ttlMs)) {
      throw new RangeError("cache: ttlMs must be a positive, finite number of milliseconds");
    }
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError("cache: maxEntries must be a positive integer");
    }
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  get(key: string): Value | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) return undefined;
    this.#entries.set(key, entry); // most recently used last
    return entry.value;
  }

  set(key: string, value: Value): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
