/**
 * A JSON-safe form of `Result`, so a Result can cross an RPC or queue boundary.
 *
 * @module
 */

import { readString } from "./_internal/read-string.ts";
import { wireFields } from "./_internal/wire-data.ts";
import type { Result, ResultAsync } from "./neverthrow.ts";

/**
 * A serialised error: its tag, its message and its fields. Internal fields (`input`, `primary`, `cause`,
 * `stack`) never cross the wire, at any depth.
 */
export interface SerializedError {
  /** The error's tag, which `createResultDeserializer` looks up to rebuild the class. */
  readonly _tag: string;
  /** The error's message; the tag when it had none. */
  readonly message: string;
  /** The error's own fields, made JSON-safe. */
  readonly [field: string]: unknown;
}

/** The JSON-safe form of a `Result<T, E>`. */
export type SerializedResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SerializedError };

const unexpected: SerializedError = { _tag: "UnexpectedError", message: "Unexpected error" };

function serializeError(error: unknown): SerializedError {
  // An untagged error (or an UnexpectedError) may carry internals in its message: send nothing of it.
  const tag = readString(error, "_tag");
  if (tag === undefined || tag === "UnexpectedError") return unexpected;
  return { ...wireFields(error as object), _tag: tag, message: readString(error, "message") ?? tag };
}

/**
 * Turns a `Result` into plain data for `JSON.stringify`. Tagged errors keep their tag, message and fields
 * (made JSON-safe: a `bigint` becomes a string, cycles and internal fields are dropped at any depth);
 * anything else, and `UnexpectedError`, becomes a bare `UnexpectedError` so no internal detail leaks.
 *
 * @example
 * ```ts
 * import { err, serializeResult, TaggedError } from "@keel/result";
 * class NotFound extends TaggedError("NotFound")<{ id: string }> {}
 *
 * const wire = JSON.stringify(serializeResult(err(new NotFound({ id: "7" }))));
 * console.assert(wire === '{"ok":false,"error":{"_tag":"NotFound","id":"7","message":"NotFound"}}');
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
