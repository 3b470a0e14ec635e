/**
 * Run code that may throw or reject and get a `Result` whose error is typed.
 *
 * @module
 */
import { err, ok, type Result, ResultAsync } from "./neverthrow.ts";
import { UnexpectedError } from "./unexpected-error.ts";

/**
 * Maps a thrown value to a domain error, or returns `undefined` to leave it unmapped (it then becomes an
 * {@link UnexpectedError} keeping the throw as `cause`).
 */
export type ThrowMapper<E> = (thrown: unknown) => E | undefined;

function mapThrown<E>(thrown: unknown, mapper: ThrowMapper<E> | undefined): E | UnexpectedError {
  return mapper?.(thrown) ?? new UnexpectedError({ cause: thrown });
}

/**
 * Calls `fn`; a return becomes `ok`, a throw becomes `err` of the mapped error or an `UnexpectedError`.
 *
 * @example
 * ```ts
 * import { attempt, TaggedError } from "@keel/result";
 * class BadJson extends TaggedError("BadJson") {}
 *
 * const parsed = attempt(
 *   () => JSON.parse("{oops"),
 *   (thrown) => (thrown instanceof SyntaxError ? new BadJson({ cause: thrown }) : undefined),
 * );
 * console.assert(parsed.isErr() && parsed.error._tag === "BadJson");
 * ```
 */
export function attempt<T, E = never>(fn: () => T, mapper?: ThrowMapper<E>): Result<T, E | UnexpectedError> {
  try {
    return ok(fn());
  } catch (thrown) {
    return err(mapThrown(thrown, mapper));
  }
}

/**
 * Calls an async `fn`; resolution becomes `ok`, a throw or rejection the mapped error or an `UnexpectedError`.
 *
 * @example
 * ```ts
 * import { attemptAsync } from "@keel/result";
 * const result = await attemptAsync(async () => {
 *   throw new Error("socket hang up");
 * });
 * console.assert(result.isErr() && result.error._tag === "UnexpectedError");
 * ```
 */
export function attemptAsync<T, E = never>(
  fn: () => PromiseLike<T> | T,
  mapper?: ThrowMapper<E>,
): ResultAsync<T, E | UnexpectedError> {
  return new ResultAsync(
    (async () => {
      try {
        return ok(await fn()) as Result<T, E | UnexpectedError>;
      } catch (thrown) {
        return err(mapThrown(thrown, mapper));
      }
    })(),
  );
}
