/**
 * @module
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
 */
export {
  Err,
  err,
  errAsync,
  fromAsyncThrowable,
  fromPromise,
  fromSafePromise,
  fromThrowable,
  Ok,
  ok,
  okAsync,
  Result,
  ResultAsync,
  safeTry,
} from "neverthrow";
