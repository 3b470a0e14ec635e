/**
 * The error a schema bridge returns: tagged, with issue paths and messages, and no input values.
 *
 * @module
 */
import type { StandardSchemaV1 } from "./_internal/external-types.ts";
import { toValidationIssues } from "./_internal/run-schema.ts";
import { TaggedError, type TaggedErrorClass } from "./tagged-error.ts";

/** One problem found by a schema: where it is and what is wrong. */
export interface ValidationIssue {
  /** Keys from the root of the input to the offending value; empty for the root itself. */
  readonly path: readonly (string | number)[];
  /** What is wrong, as the validator worded it. */
  readonly message: string;
}

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ ValidationErrorBase: TaggedErrorClass<"ValidationError"> =
    /* @__PURE__ */ TaggedError("ValidationError");

/**
 * Input failed a schema. Carries every issue (path + message) and, only when asked for, the input. The
 * `input` field never reaches a problem response or the wire, at any depth.
 *
 * @example
 * ```ts
 * import { ValidationError } from "@keel/result";
 * const error = new ValidationError({ issues: [{ path: ["email"], message: "Invalid email" }] });
 * console.assert(error._tag === "ValidationError" && error.message === "email: Invalid email");
 * ```
 */
export class ValidationError extends ValidationErrorBase<{
  readonly issues: readonly ValidationIssue[];
  readonly input?: unknown;
}> {
  /**
   * Records a failed validation; the default message lists the issues (at most five).
   *
   * @param fields `issues`: every problem found; `input`: the rejected value, only when the caller opted in;
   * `message`: replaces the default; `cause`: what a throwing schema threw.
   */
  constructor(fields: {
    issues: readonly ValidationIssue[];
    input?: unknown;
    message?: string;
    cause?: unknown;
  }) {
    super({ ...fields, message: fields.message ?? describeIssues(fields.issues) });
  }

  /**
   * A `ValidationError` from raw Standard Schema issues, as a validator hook receives them (symbol keys in
   * paths become strings).
   *
   * @example
   * ```ts
   * import { ValidationError } from "@keel/result";
   * const error = ValidationError.fromIssues([{ message: "Required", path: [{ key: "user" }, "name"] }]);
   * console.assert(error.issues[0]?.path.join(".") === "user.name");
   * ```
   */
  static fromIssues(issues: readonly StandardSchemaV1.Issue[]): ValidationError {
    return new ValidationError({ issues: toValidationIssues(issues) });
  }
}

const MAX_LISTED_ISSUES = 5;

/** "email: Invalid email; age: Too small", at most five issues. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`));
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : "";
  return listed.join("; ") + more;
}
