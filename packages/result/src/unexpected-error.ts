/**
 * The error for a throw nobody mapped: keeps the original as `cause` for logs, shows nothing of it.
 *
 * @module
 */
import { TaggedError, type TaggedErrorClass } from "./tagged-error.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ UnexpectedErrorBase: TaggedErrorClass<"UnexpectedError"> =
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
  /**
   * Wraps a throw nobody mapped, with a message that is safe to show.
   *
   * @param fields `cause`: the original throw or rejection, kept for logs; `message`: replaces the generic
   * `Unexpected error` (keep it free of the cause's details, as it may be shown).
   */
  constructor(fields: { cause?: unknown; message?: string } = {}) {
    super({ ...fields, message: fields.message ?? "Unexpected error" });
  }
}
