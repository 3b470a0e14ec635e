/**
 * `finally` for `ResultAsync`: cleanup that runs on both paths and whose own failure is never lost.
 *
 * @module
 */
import { err, type Result, ResultAsync } from "./neverthrow.ts";
import { TaggedError, type TaggedErrorClass } from "./tagged-error.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ CleanupErrorBase: TaggedErrorClass<"CleanupError"> =
    /* @__PURE__ */ TaggedError("CleanupError");

/**
 * The cleanup step failed. `cause` is the cleanup's throw or error. When the work itself had failed too,
 * its error is kept as `primary`, so neither failure is lost.
 *
 * @example
 * ```ts
 * import { CleanupError } from "@keel/result";
 * const error = new CleanupError({ cause: new Error("close failed") });
 * console.assert(error._tag === "CleanupError" && error.primary === undefined);
 * ```
 */
export class CleanupError extends CleanupErrorBase<{ readonly primary?: unknown }> {
  /**
   * Records a failed cleanup; the message is always `Cleanup failed`.
   *
   * @param fields `cause`: what the cleanup threw or its `err`; `primary`: the work's own error or
   * rejection, when it had failed too.
   */
  constructor(fields: { cause: unknown; primary?: unknown }) {
    super({ ...fields, message: "Cleanup failed" });
  }
}

/** A cleanup step: may return nothing, a promise, a `Result` or a `ResultAsync`. */
export type Cleanup = () =>
  | void
  | PromiseLike<void>
  | Result<unknown, unknown>
  | ResultAsync<unknown, unknown>;

async function runCleanup(cleanup: Cleanup): Promise<{ failed: false } | { failed: true; cause: unknown }> {
  try {
    const outcome = await cleanup();
    // Only a Result's err is a failure; a cleanup that returns something else (a count, a client) succeeded.
    if (typeof outcome === "object" && outcome !== null && "isErr" in outcome && outcome.isErr()) {
      return { failed: true, cause: outcome.error };
    }
    return { failed: false };
  } catch (thrown) {
    return { failed: true, cause: thrown };
  }
}

/**
 * Runs `cleanup` after `work` settles, on the ok and the error path, and returns `work`'s result unchanged
 * unless the cleanup fails: then the result is a {@link CleanupError} (keeping `work`'s error as `primary`).
 * A `work` promise that rejects (a bug, not an `err`) still runs the cleanup and then rejects again: with
 * the same rejection, or, when the cleanup failed too, with a `CleanupError` holding both (`primary` is the
 * rejection), so no failure is swallowed.
 *
 * @example
 * ```ts
 * import { andFinally, okAsync } from "@keel/result";
 * let closed = false;
 * const result = await andFinally(okAsync("rows"), () => {
 *   closed = true;
 * });
 * console.assert(result.unwrapOr("none") === "rows" && closed);
 * ```
 */
export function andFinally<T, E>(
  work: ResultAsync<T, E>,
  cleanup: Cleanup,
): ResultAsync<T, E | CleanupError> {
  return new ResultAsync(
    (async (): Promise<Result<T, E | CleanupError>> => {
      let result: Result<T, E>;
      try {
        result = await work;
      } catch (rejection) {
        const cleaned = await runCleanup(cleanup);
        throw cleaned.failed ? new CleanupError({ cause: cleaned.cause, primary: rejection }) : rejection;
      }
      const cleaned = await runCleanup(cleanup);
      if (!cleaned.failed) return result;
      return err(
        new CleanupError(
          result.isErr() ? { cause: cleaned.cause, primary: result.error } : { cause: cleaned.cause },
        ),
      );
    })(),
  );
}
