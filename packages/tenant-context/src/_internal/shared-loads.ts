import { ok, type Result } from "@keel/result";
import type { TtlCache } from "./ttl-cache.ts";

/**
 * Loads by key with one load per key at a time (concurrent callers share it), keeping `ok` values in an
 * optional {@link TtlCache}: what the tenant lookup and the tenant settings both need. `forget(key)` drops
 * a kept value, and a load already running when it was called is not kept.
 */
export class SharedLoads<Value, Failure> {
  readonly #load: (key: string) => Promise<Result<Value, Failure>>;
  readonly #cache: TtlCache<Value> | undefined;
  readonly #running = new Map<string, Promise<Result<Value, Failure>>>();
  // Bumped by forget(): a load that started before may have read what was forgotten.
  #epoch = 0;

  constructor(load: (key: string) => Promise<Result<Value, Failure>>, cache?: TtlCache<Value>) {
    this.#load = load;
    this.#cache = cache;
  }

  get(key: string): Promise<Result<Value, Failure>> {
    const cached = this.#cache?.get(key);
    if (cached !== undefined) return Promise.resolve(ok(cached));
    let running = this.#running.get(key);
    if (running === undefined) {
      running = this.#loadAndKeep(key).finally(() => this.#running.delete(key));
      this.#running.set(key, running);
    }
    return running;
  }

  forget(key: string): void {
    this.#cache?.delete(key);
    this.#running.delete(key);
    this.#epoch++;
  }

  async #loadAndKeep(key: string): Promise<Result<Value, Failure>> {
    const epoch = this.#epoch;
    const loaded = await this.#load(key);
    if (loaded.isOk() && epoch === this.#epoch) this.#cache?.set(key, loaded.value);
    return loaded;
  }
}
