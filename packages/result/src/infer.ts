/**
 * Type helpers for reading the ok and error types out of `Result` and `ResultAsync`.
 *
 * @module
 */
import type { Result } from "./neverthrow.ts";

/**
 * Any `Result`, typed by shape only. Used as a constraint instead of `Result<unknown, unknown>` because
 * that contextual type makes `ok(1)` in an argument infer its error type as `unknown` instead of `never`.
 */
export interface ResultLike {
  /** True for an `Ok`; the one member every `Result` has that a constraint needs. */
  isOk(): boolean;
}

/**
 * Any `Result`, `ResultAsync` or promise of a `Result`, typed by shape only (see {@link ResultLike}).
 * `ResultAsync` is not assignable to `PromiseLike` (its `then` refuses `null`), hence the loose `then`.
 */
export type MaybeAsyncResultLike = ResultLike | { readonly then: (...args: never[]) => unknown };

/**
 * The ok type of a `Result`, a `ResultAsync` or a promise of a `Result`.
 *
 * @example
 * ```ts
 * import type { InferOk, Result } from "@keel/result";
 * const value: InferOk<Result<number, string>> = 1;
 * ```
 */
export type InferOk<R> = Awaited<R> extends Result<infer T, unknown> ? T : never;

/**
 * The error type of a `Result`, a `ResultAsync` or a promise of a `Result`.
 *
 * @example
 * ```ts
 * import type { InferErr, ResultAsync } from "@keel/result";
 * const error: InferErr<ResultAsync<number, "timeout">> = "timeout";
 * ```
 */
export type InferErr<R> = Awaited<R> extends Result<unknown, infer E> ? E : never;
