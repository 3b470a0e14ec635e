/**
 * The one error for a bad configuration: every problem, by key, and never a value.
 *
 * @module
 */
import type { TaggedErrorClass } from "@keel/result";
import { TaggedError } from "./_internal/result.ts";

/** One thing wrong with the configuration. */
export interface ConfigIssue {
  /** The variable's name, e.g. `DATABASE_URL`. */
  readonly key: string;
  /** What is wrong, without the value: "missing", "expected an integer from 1 to 65535". */
  readonly reason: string;
}

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself. An
// implementation detail: `@ignore` (where deno doc reads a variable's JSDoc, before its name) keeps it out
// of the API docs.
const /** @ignore */ ConfigErrorBase: TaggedErrorClass<"ConfigError"> =
    /* @__PURE__ */ TaggedError("ConfigError");

/**
 * Everything wrong with a configuration, in one error. Its message, `issues`, JSON and stack name keys and
 * reasons only: a secret pasted into the wrong variable never prints.
 *
 * @example
 * ```ts
 * import { ConfigError } from "@keel/secure-config";
 * const error = new ConfigError({ issues: [{ key: "PORT", reason: "missing" }] });
 * console.assert(error.message.includes("PORT: missing"));
 * ```
 */
export class ConfigError extends ConfigErrorBase<{ readonly issues: readonly ConfigIssue[] }> {
  /**
   * Builds the error from its issues; the message lists them, one `KEY: reason` line each. `loadConfig`
   * makes these for you: construct one yourself only to report your own checks the same way.
   */
  constructor(fields: { issues: readonly ConfigIssue[] }) {
    const count = fields.issues.length;
    const lines = fields.issues.map((issue) => `\n  ${issue.key}: ${issue.reason}`).join("");
    super({
      message: `Invalid configuration (${count} problem${count === 1 ? "" : "s"}):${lines}`,
      ...fields,
    });
  }
}
