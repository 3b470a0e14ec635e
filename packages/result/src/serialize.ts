/**
 * @module
 * A JSON-safe form of `Result`, so a Result can cross an RPC or queue boundary.
 */
import type { Result, ResultAsync } from "./neverthrow.ts";
import { errorFields, isTagged } from "./tagged-error.ts";

/** A serialised error: its tag, its message and its fields. `cause` and `stack` never cross the wire. */
export interface SerializedError {
  readonly _tag: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** The JSON-safe form of a `Result<T, E>`. */
export type SerializedResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SerializedError };

const unexpected: SerializedError = { _tag: "UnexpectedError", message: "Unexpected error" };

function serializeError(error: unknown): SerializedError {
  // An untagged error (or an UnexpectedError) may carry internals in its message: send nothing of it.
  if (!isTagged(error) || error._tag === "UnexpectedError") return unexpected;
  const message = (error as { message?: unknown }).message;
  // `input` and `primary` carry internals (a rejected value, another error): they never cross the wire.
  const { input: _input, primary: _primary, ...fields } = errorFields(error);
  return {
    ...fields,
    _tag: error._tag,
    message: typeof message === "string" ? message : error._tag,
  };
}

/**
 * Turns a `Result` into plain data for `JSON.stringify`. Tagged errors keep their tag, message and fields;
 * anything else, and `UnexpectedError`, becomes a bare `UnexpectedError` so no internal detail leaks.
 *
 * @example
 * ```ts
 * import { err, serializeResult, TaggedError } from "@keel/result";
 * class NotFound extends TaggedError("NotFound")<{ id: string }> {}
 *
 * const wire = JSON.stringify(serializeResult(err(new NotFound({ id: "7" }))));
 * console.assert(wire === '{"ok":false,"error":{"id":"7","_tag":"NotFound","message":"NotFound"}}');
 * ```
 */
export function serializeResult<T, E>(result: Result<T, E>): SerializedResult<T> {
  return result.isOk()
    ? { ok: true, value: result.value }
    : { ok: false, error: serializeError(result.error) };
}

/**
 * Awaits a `ResultAsync` and serialises it (see {@link serializeResult}).
 *
 * @example
 * ```ts
 * import { okAsync, serializeResultAsync } from "@keel/result";
 * const wire = await serializeResultAsync(okAsync({ id: 1 }));
 * console.assert(wire.ok && wire.value.id === 1);
 * ```
 */
export async function serializeResultAsync<T, E>(result: ResultAsync<T, E>): Promise<SerializedResult<T>> {
  return serializeResult(await result);
}
