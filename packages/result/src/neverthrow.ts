/**
 * neverthrow, re-exported unchanged, so a service imports its whole error model from `@keel/result`.
 * These are the very same functions and classes: a `Result` made by plain `neverthrow` works with every
 * Keel helper, and the other way round.
 *
 * @example
 * ```ts
 * import { ok, Result } from "@keel/result";
 * const both = Result.combine([ok(1), ok(2)]);
 * console.assert(both.isOk() && both.value[1] === 2);
 * ```
 *
 * @module
 */
// neverthrow documents these itself. `@ignore` keeps its declarations (which carry little JSDoc) out of this
// package's generated documentation, as JSR leaves out any npm dependency; they are exported all the same.
export {
  /** @ignore */
  Err,
  /** @ignore */
  err,
  /** @ignore */
  errAsync,
  /** @ignore */
  fromAsyncThrowable,
  /** @ignore */
  fromPromise,
  /** @ignore */
  fromSafePromise,
  /** @ignore */
  fromThrowable,
  /** @ignore */
  Ok,
  /** @ignore */
  ok,
  /** @ignore */
  okAsync,
  /** @ignore */
  Result,
  /** @ignore */
  ResultAsync,
  /** @ignore */
  safeTry,
} from "neverthrow";
