/**
 * Combine an object of Results into a Result of an object, keeping every key's type.
 *
 * @module
 */

import { defineField } from "./_internal/define-field.ts";
import type { InferErr, InferOk, MaybeAsyncResultLike, ResultLike } from "./infer.ts";
import { err, ok, type Result, ResultAsync } from "./neverthrow.ts";

type AnyResult = Result<unknown, unknown>;
/** What {@link combineObject} takes: an object whose every value is a `Result`. */
export type ResultRecord = Readonly<Record<PropertyKey, ResultLike>>;
/** What {@link combineObjectAsync} takes: an object of `Result`s, `ResultAsync`s or promises of a `Result`. */
export type AsyncResultRecord = Readonly<Record<PropertyKey, MaybeAsyncResultLike>>;

/** `{ a: Result<A, E1>, b: Result<B, E2> }` becomes `{ a: A, b: B }`. */
export type OkRecord<R> = { -readonly [K in keyof R]: InferOk<R[K]> };
/** The union of the errors of an object of Results. */
export type ErrRecord<R> = { [K in keyof R]: InferErr<R[K]> }[keyof R];

/** Own enumerable keys, strings then symbols: an `err` stored under a symbol key must not be lost. */
function keysOf(results: object): PropertyKey[] {
  const keys: PropertyKey[] = Object.keys(results);
  // Symbol keys are rare: the common object pays for one empty array.
  for (const symbol of Object.getOwnPropertySymbols(results)) {
    if (Object.prototype.propertyIsEnumerable.call(results, symbol)) keys.push(symbol);
  }
  return keys;
}

function collect(results: object, allErrors: boolean) {
  const values: Record<PropertyKey, unknown> = {};
  const errors: unknown[] = [];
  for (const key of keysOf(results)) {
    const result = (results as Record<PropertyKey, unknown>)[key] as AnyResult;
    if (result.isOk()) {
      // Plain assignment is fast; only "__proto__" needs defineField to stay data.
      if (key === "__proto__") defineField(values, key, result.value);
      else values[key] = result.value;
      continue;
    }
    if (!allErrors) return err(result.error);
    errors.push(result.error);
  }
  return errors.length > 0 ? err(errors) : ok(values);
}

/**
 * Combines an object of Results: `ok` of an object of all values, or the first error in key order (string
 * keys, then symbol keys).
 *
 * @example
 * ```ts
 * import { combineObject, ok } from "@keel/result";
 * const combined = combineObject({ id: ok(1), name: ok("Ada") }); // Result<{ id: number; name: string }, never>
 * console.assert(combined.isOk() && combined.value.name === "Ada");
 * ```
 */
export function combineObject<const R extends ResultRecord>(results: R): Result<OkRecord<R>, ErrRecord<R>> {
  return collect(results, false) as Result<OkRecord<R>, ErrRecord<R>>;
}

/**
 * Combines an object of Results, collecting every error (in key order) instead of stopping at the first.
 *
 * @example
 * ```ts
 * import { combineObjectWithAllErrors, err, ok } from "@keel/result";
 * const combined = combineObjectWithAllErrors({ a: err("bad a"), b: ok(2), c: err("bad c") });
 * console.assert(combined.isErr() && combined.error.join() === "bad a,bad c");
 * ```
 */
export function combineObjectWithAllErrors<const R extends ResultRecord>(
  results: R,
): Result<OkRecord<R>, ErrRecord<R>[]> {
  return collect(results, true) as Result<OkRecord<R>, ErrRecord<R>[]>;
}

async function settle(results: AsyncResultRecord, allErrors: boolean) {
  const keys = keysOf(results);
  const settled = await Promise.all(keys.map((key) => (results as Record<PropertyKey, unknown>)[key]));
  // Object.fromEntries defines properties, so a "__proto__" key stays data here too.
  return collect(Object.fromEntries(keys.map((key, index) => [key, settled[index]])), allErrors);
}

/**
 * Async {@link combineObject}: the values may be `Result`s or `ResultAsync`s, which run concurrently.
 *
 * @example
 * ```ts
 * import { combineObjectAsync, ok, okAsync } from "@keel/result";
 * const combined = await combineObjectAsync({ user: okAsync({ id: 1 }), flags: ok(["beta"]) });
 * console.assert(combined.isOk() && combined.value.flags[0] === "beta");
 * ```
 */
export function combineObjectAsync<const R extends AsyncResultRecord>(
  results: R,
): ResultAsync<OkRecord<R>, ErrRecord<R>> {
  return new ResultAsync(settle(results, false)) as ResultAsync<OkRecord<R>, ErrRecord<R>>;
}

/**
 * Async {@link combineObjectWithAllErrors}.
 *
 * @example
 * ```ts
 * import { combineObjectWithAllErrorsAsync, errAsync, ok } from "@keel/result";
 * const combined = await combineObjectWithAllErrorsAsync({ a: errAsync("down"), b: ok(1) });
 * console.assert(combined.isErr() && combined.error[0] === "down");
 * ```
 */
export function combineObjectWithAllErrorsAsync<const R extends AsyncResultRecord>(
  results: R,
): ResultAsync<OkRecord<R>, ErrRecord<R>[]> {
  return new ResultAsync(settle(results, true)) as ResultAsync<OkRecord<R>, ErrRecord<R>[]>;
}
