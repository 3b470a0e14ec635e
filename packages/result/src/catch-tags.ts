/**
 * Handle some tags of a `Result`'s error union and keep the rest, narrowed in the type.
 *
 * @module
 */

import type { InferErr, InferOk, MaybeAsyncResultLike, ResultLike } from "./infer.ts";
import { err, type Result, type ResultAsync } from "./neverthrow.ts";
import { isTagged, type Tagged } from "./tagged-error.ts";

type AnyResultLike = Result<unknown, unknown> | ResultAsync<unknown, unknown>;

/** Handlers for some tags of `E`; each returns a `Result` (or, for `ResultAsync` input, a `ResultAsync`). */
export type PartialErrorHandlers<E extends Tagged, R> = {
  readonly [Tag in E["_tag"]]?: (error: Extract<E, Tagged<Tag>>) => R;
};

/** The union of what the handlers of a handler table `H` return, as {@link catchTags} types its result. */
export type Returned<H> = { [K in keyof H]: H[K] extends (...args: never[]) => infer R ? R : never }[keyof H];

/** The error union left after the handled tags are removed and the handlers' own errors added. */
export type RemainingError<E, H> = Exclude<E, Tagged<keyof H & string>> | InferErr<Returned<H>>;

function recover(handlers: Record<string, ((error: Tagged) => AnyResultLike) | undefined>) {
  return (error: unknown): AnyResultLike => {
    // hasOwn: a tag such as "constructor" must not find Object.prototype's.
    const handler = isTagged(error) && Object.hasOwn(handlers, error._tag) ? handlers[error._tag] : undefined;
    return handler === undefined ? err(error) : handler(error as Tagged);
  };
}

/**
 * Handles the errors whose tag has a handler; the others pass through. The result type drops the handled
 * tags from the error union and adds whatever the handlers can return.
 *
 * @param result A `Result` or `ResultAsync` whose error is a tagged union.
 * @param handlers Some tags, each mapped to a recovery that returns a `Result` (or `ResultAsync`).
 *
 * @example
 * ```ts
 * import { TaggedError, catchTags, err, ok, type Result } from "@keel/result";
 * class NotFound extends TaggedError("NotFound") {}
 * class Timeout extends TaggedError("Timeout") {}
 *
 * const found: Result<string, NotFound | Timeout> = err(new NotFound());
 * const recovered = catchTags(found, { NotFound: () => ok("guest") }); // Result<string, Timeout>
 * console.assert(recovered.unwrapOr("nobody") === "guest");
 * ```
 */
export function catchTags<T, E extends Tagged, const H extends PartialErrorHandlers<E, ResultLike>>(
  result: Result<T, E>,
  handlers: H & Record<Exclude<keyof H, E["_tag"]>, never>,
): Result<T | InferOk<Returned<H>>, RemainingError<E, H>>;
/**
 * Handles the errors whose tag has a handler on a `ResultAsync`; the others pass through. A handler may
 * return a `Result`, a `ResultAsync` or a promise of a `Result`, and the outcome stays a `ResultAsync`.
 *
 * @param result A `ResultAsync` whose error is a tagged union.
 * @param handlers Some tags, each mapped to a recovery.
 *
 * @example
 * ```ts
 * import { TaggedError, catchTags, errAsync, ok, okAsync, type ResultAsync } from "@keel/result";
 * class NotFound extends TaggedError("NotFound") {}
 * class RateLimited extends TaggedError("RateLimited") {}
 * class Timeout extends TaggedError("Timeout") {}
 *
 * const fetched: ResultAsync<string, NotFound | RateLimited | Timeout> = errAsync(new RateLimited());
 * const recovered = await catchTags(fetched, {
 *   NotFound: () => ok("guest"),
 *   RateLimited: () => okAsync("cached"),
 * }); // Result<string, Timeout>
 * console.assert(recovered.unwrapOr("nobody") === "cached");
 * ```
 */
export function catchTags<T, E extends Tagged, const H extends PartialErrorHandlers<E, MaybeAsyncResultLike>>(
  result: ResultAsync<T, E>,
  handlers: H & Record<Exclude<keyof H, E["_tag"]>, never>,
): ResultAsync<T | InferOk<Returned<H>>, RemainingError<E, H>>;
export function catchTags(
  result: AnyResultLike,
  handlers: Record<string, (error: Tagged) => AnyResultLike>,
): AnyResultLike {
  const handle = recover(handlers);
  // Both Result and ResultAsync have orElse; ResultAsync's accepts a Result or a ResultAsync.
  return (result as ResultAsync<unknown, unknown>).orElse(handle);
}

/**
 * Handles one tag; shorthand for `catchTags(result, { [tag]: handler })`.
 *
 * @example
 * ```ts
 * import { TaggedError, catchTag, errAsync, okAsync, type ResultAsync } from "@keel/result";
 * class CacheMiss extends TaggedError("CacheMiss") {}
 *
 * const cached: ResultAsync<number, CacheMiss> = errAsync(new CacheMiss());
 * const value = await catchTag(cached, "CacheMiss", () => okAsync(0)); // ResultAsync<number, never>
 * console.assert(value.unwrapOr(-1) === 0);
 * ```
 */
export function catchTag<T, E extends Tagged, Tag extends E["_tag"], R extends ResultLike>(
  result: Result<T, E>,
  tag: Tag,
  handler: (error: Extract<E, Tagged<Tag>>) => R,
): Result<T | InferOk<R>, Exclude<E, Tagged<Tag>> | InferErr<R>>;
/**
 * Handles one tag of a `ResultAsync`'s error; shorthand for `catchTags(result, { [tag]: handler })`. The
 * handler may return a `Result`, a `ResultAsync` or a promise of a `Result`.
 *
 * @example
 * ```ts
 * import { TaggedError, catchTag, errAsync, ok, type ResultAsync } from "@keel/result";
 * class Missing extends TaggedError("Missing") {}
 *
 * const loaded: ResultAsync<string[], Missing> = errAsync(new Missing());
 * const tags = await catchTag(loaded, "Missing", () => ok([])); // ResultAsync<string[], never>
 * console.assert(tags.isOk() && tags.value.length === 0);
 * ```
 */
export function catchTag<T, E extends Tagged, Tag extends E["_tag"], R extends MaybeAsyncResultLike>(
  result: ResultAsync<T, E>,
  tag: Tag,
  handler: (error: Extract<E, Tagged<Tag>>) => R,
): ResultAsync<T | InferOk<R>, Exclude<E, Tagged<Tag>> | InferErr<R>>;
export function catchTag(
  result: AnyResultLike,
  tag: string,
  handler: (error: Tagged) => AnyResultLike,
): AnyResultLike {
  // Not catchTags(result, { [tag]: handler }): this path allocates no handler table, and runs per request.
  return (result as ResultAsync<unknown, unknown>).orElse((error) =>
    isTagged(error, tag) ? handler(error) : err(error),
  );
}
