/**
 * The error every brand constructor returns: tagged, naming the brand, with issues and no input value.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass, ValidationIssue } from "./_internal/external-types.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ BrandErrorBase: TaggedErrorClass<"BrandError"> =
    /* @__PURE__ */ TaggedError("BrandError");

/**
 * A value was refused by a brand's validator. Carries the brand's name and the validator's issues (each says
 * what is wrong, never quoting the value); the rejected value only when the brand was defined with
 * `includeInput: true` (ids and emails are PII). Its `message` is `Not a valid <brand>: <first issue>`.
 *
 * @example
 * ```ts
 * import { Email } from "@keel/brand";
 * const parsed = Email.parse("ada.example.com");
 * console.assert(parsed.isErr());
 * if (parsed.isErr()) {
 *   const error = parsed.error;
 *   console.assert(error._tag === "BrandError" && error.brand === "Email" && !("input" in error));
 *   console.assert(error.message === "Not a valid Email: Expected an email address, but it has no @");
 * }
 * ```
 */
export class BrandError extends BrandErrorBase<{
  readonly brand: string;
  readonly issues: readonly ValidationIssue[];
  readonly input?: unknown;
}> {
  /**
   * Records a refusal by the brand's validator; the message names the brand and gives the first issue.
   *
   * @param fields `brand`: the brand's name; `issues`: what the validator found; `input`: the rejected
   * value, only for a brand defined with `includeInput: true`; `cause`: what a throwing schema threw.
   */
  constructor(fields: {
    brand: string;
    issues: readonly ValidationIssue[];
    input?: unknown;
    cause?: unknown;
  }) {
    const first = fields.issues[0]?.message ?? "invalid";
    super({ ...fields, message: `Not a valid ${fields.brand}: ${first}` });
  }
}
