/**
 * @module
 * A `.env` parser for development that works on every runtime (it takes text, so it needs no file API).
 */
import { err, ok, type Result, TaggedError, type TaggedErrorClass } from "@keel/result";

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const DotenvErrorBase: TaggedErrorClass<"DotenvError"> = /* @__PURE__ */ TaggedError("DotenvError");

/**
 * A `.env` text could not be parsed. Names the line, never its value.
 *
 * @example
 * ```ts
 * import { parseDotenv } from "@keel/secure-config";
 * const error = parseDotenv('TOKEN="s3cr3t')._unsafeUnwrapErr(); // the closing quote is missing
 * console.assert(error.line === 1 && !error.message.includes("s3cr3t"));
 * ```
 */
export class DotenvError extends DotenvErrorBase<{ readonly line: number }> {
  constructor(fields: { line: number; reason: string }) {
    super({ message: `.env line ${fields.line}: ${fields.reason}`, line: fields.line });
  }
}

const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const escapes: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/**
 * Parses `.env` text: `KEY=value` lines, `export KEY=value`, `#` comments (whole-line, or after an unquoted
 * value following a space), single quotes (literal), double quotes (`\n`, `\t`, `\"`, `\\` escapes; may span
 * lines), and unquoted values trimmed. No variable expansion, on purpose: `$` is data. A repeated key keeps
 * its last value. Returns a new object; nothing is written to the environment.
 *
 * @example
 * ```ts
 * import { parseDotenv } from "@keel/secure-config";
 * const vars = parseDotenv('# local\nPORT=3000\nexport GREETING="hello\\nworld"\nRAW=\'$NOT_EXPANDED\'').
 *   _unsafeUnwrap();
 * console.assert(vars.PORT === "3000" && vars.GREETING === "hello\nworld" && vars.RAW === "$NOT_EXPANDED");
 * ```
 */
export function parseDotenv(text: string): Result<Record<string, string>, DotenvError> {
  const vars: Record<string, string> = Object.create(null);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const match = assignment.exec(line);
    if (match === null) return err(new DotenvError({ line: index + 1, reason: "expected KEY=value" }));
    const [, key, rest] = match as unknown as [string, string, string];
    const start = index + 1;
    let value: string;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end === -1) return err(new DotenvError({ line: start, reason: "unterminated single quote" }));
      value = rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      let body = rest.slice(1);
      let end = closingQuote(body);
      // A double-quoted value may continue on the next lines.
      while (end === -1 && index + 1 < lines.length) {
        body += `\n${lines[++index]}`;
        end = closingQuote(body);
      }
      if (end === -1) return err(new DotenvError({ line: start, reason: "unterminated double quote" }));
      value = body.slice(0, end).replace(/\\(.)/g, (whole, char: string) => escapes[char] ?? whole);
    } else {
      value = rest.replace(/\s+#.*$/, "").trim();
    }
    vars[key] = value;
  }
  return ok({ ...vars });
}

/** Index of the first unescaped `"`, or -1. */
function closingQuote(body: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") i++;
    else if (body[i] === '"') return i;
  }
  return -1;
}
