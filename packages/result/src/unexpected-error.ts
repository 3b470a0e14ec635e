/**
 * @module
 * The error for a throw nobody mapped: keeps the original as `cause` for logs, shows nothing of it.
 */
import { TaggedError, type TaggedErrorClass } from "./tagged-error.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const UnexpectedErrorBase: TaggedErrorClass<"UnexpectedError"> =
  /* @__PURE__ */ TaggedError("UnexpectedError");

/**
 * A throw or rejection that no mapper turned into a domain error. The original is kept as `cause`; the
 * message is generic so it is safe to show.
 *
 * @example
 * ```ts
 * import { UnexpectedError } from "@keel/result";
 * const error = new UnexpectedError({ cause: new Error("ECONNRESET") });
 * console.assert(error.message === "Unexpected error" && error.cause instanceof Error);
 * ```
 */
export class UnexpectedError extends UnexpectedErrorBase {
  constructor(fields: { cause?: unknown; message?: string } = {}) {
    super({ ...fields, message: fields.message ?? "Unexpected error" });
  }
}
