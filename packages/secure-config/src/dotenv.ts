/**
 * A `.env` parser that works on every runtime (it takes text, so it needs no file API), compatible with
 * dotenv and Node's `util.parseEnv`, and stricter where they would guess.
 *
 * @module
 */
import type { TaggedErrorClass } from "@keel/result";
import type { Result } from "./_internal/external-types.ts";
import { err, ok, TaggedError } from "./_internal/result.ts";
import { scanDotenv } from "./_internal/scan-dotenv.ts";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself. An
// implementation detail: `@ignore` (where deno doc reads a variable's JSDoc, before its name) keeps it out
// of the API docs.
const /** @ignore */ DotenvErrorBase: TaggedErrorClass<"DotenvError"> =
    /* @__PURE__ */ TaggedError("DotenvError");

/**
 * A `.env` text could not be parsed. Names the line and the reason, never a value.
 *
 * @example
 * ```ts
 * import { parseDotenv } from "@keel/secure-config";
 *
 * const parsed = parseDotenv('TOKEN="s3cr3t'); // the closing quote is missing
 * console.assert(parsed.isErr() && parsed.error.line === 1 && !parsed.error.message.includes("s3cr3t"));
 * ```
 */
export class DotenvError extends DotenvErrorBase<{ readonly line: number }> {
  /**
   * Builds the error for a line and a reason (the reason must not quote the text); the message is
   * `.env line <line>: <reason>`. `parseDotenv` makes these for you.
   */
  constructor(fields: { line: number; reason: string }) {
    super({ message: `.env line ${fields.line}: ${fields.reason}`, line: fields.line });
  }
}

/**
 * Parses `.env` text with dotenv's grammar (which Node's `util.parseEnv` shares): `KEY=value` lines,
 * `export KEY=value`, `#` comments (a whole line, or after a value with a blank before the `#`), single
 * quotes and backticks (literal), double quotes (`\n` becomes a newline; nothing else is an escape), any
 * quote spanning lines, unquoted values trimmed of spaces and tabs; LF, CRLF or CR line ends. No variable
 * expansion: `$` is data. A repeated key keeps its last value. It takes time linear in the text's length.
 *
 * Stricter than dotenv and Node on purpose, each time with the line number: an unterminated quote, text
 * after a closing quote (which is how `A="abc` followed by `B="def"` shows), a `#` glued to an unquoted
 * value (`KEY=abc#def`: they would silently cut it to `abc`; quote it), a line that is not `KEY=value`,
 * and dotenv's `KEY: value` form.
 *
 * Returns a new object; nothing is written to the environment.
 *
 * @example
 * ```ts
 * import { parseDotenv } from "@keel/secure-config";
 *
 * const parsed = parseDotenv('# local\nPORT=3000 # dev\nexport GREETING="hello\\nworld"\nRAW=\'$NOT_EXPANDED\'');
 * console.assert(parsed.isOk() && parsed.value.PORT === "3000" && parsed.value.GREETING === "hello\nworld");
 * console.assert(parsed.isOk() && parsed.value.RAW === "$NOT_EXPANDED");
 * ```
 */
export function parseDotenv(text: string): Result<Record<string, string>, DotenvError> {
  const scanned = scanDotenv(text);
  if ("fault" in scanned) return err(new DotenvError(scanned.fault));
  return ok(scanned.vars);
}
