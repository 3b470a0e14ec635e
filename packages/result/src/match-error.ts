/**
 * Exhaustive matching on a union of tagged errors.
 *
 * @module
 */
import type { Tagged } from "./tagged-error.ts";

/** One handler per tag of `E`, each given the error narrowed to that tag. */
export type ErrorHandlers<E extends Tagged> = {
  readonly [Tag in E["_tag"]]: (error: Extract<E, Tagged<Tag>>) => unknown;
};

/**
 * Calls the handler for the error's tag. Fails to compile when a tag of the union has no handler, or when a
 * handler names a tag that is not in the union.
 *
 * @param error A tagged error, typically from `result.error` or `result.match`.
 * @param handlers One function per tag.
 * @returns What the chosen handler returns.
 *
 * @example
 * ```ts
 * import { TaggedError, matchError } from "@keel/result";
 * class NotFound extends TaggedError("NotFound")<{ id: string }> {}
 * class Conflict extends TaggedError("Conflict") {}
 *
 * const statusOf = (error: NotFound | Conflict) => matchError(error, { NotFound: () => 404, Conflict: () => 409 });
 * console.assert(statusOf(new NotFound({ id: "7" })) === 404);
 * ```
 */
export function matchError<E extends Tagged, const H extends ErrorHandlers<E>>(
  error: E,
  handlers: H & Record<Exclude<keyof H, E["_tag"]>, never>,
): ReturnType<H[E["_tag"]]> {
  const table = handlers as Record<string, (error: E) => ReturnType<H[E["_tag"]]>>;
  // hasOwn: a tag such as "toString" must not find Object.prototype's.
  const handler = Object.hasOwn(table, error._tag) ? table[error._tag] : undefined;
  if (handler === undefined) {
    // Only reachable when the types were bypassed (an `as` cast or untyped input): a programmer error.
    throw new TypeError(`matchError: no handler for tag "${error._tag}"`);
  }
  return handler(error);
}
