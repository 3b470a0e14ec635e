import { setOwn } from "./own.ts";

/** Where and why a `.env` text was refused; the reason never quotes the text. */
export interface DotenvFault {
  readonly line: number;
  readonly reason: string;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const EQUALS = 61;
const COLON = 58;

const isBlank = (code: number): boolean => code === SPACE || code === TAB;
const isLineEnd = (code: number): boolean => code === LF || code === CR;
// dotenv's key characters: letters, digits, `_`, `.` and `-`.
const isKeyChar = (code: number): boolean =>
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  code === 95 ||
  code === 46 ||
  code === 45;

const quoteNames: Readonly<Record<string, string>> = { '"': "double", "'": "single", "`": "backtick" };

/**
 * The `.env` grammar of dotenv (and Node's `util.parseEnv`), read in one pass: every character is looked at
 * a bounded number of times, so the time is linear in the text's length whatever it holds. Where dotenv
 * and Node would silently guess (an unterminated quote, text after a closing quote, a `#` glued to a value,
 * a line that is not an assignment), it refuses with the line number instead.
 */
export function scanDotenv(
  input: string,
): { readonly vars: Record<string, string> } | { readonly fault: DotenvFault } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const vars: Record<string, string> = {};
  const length = text.length;
  let at = 0;
  let line = 1;

  const skipBlanks = (): void => {
    while (at < length && isBlank(text.charCodeAt(at))) at++;
  };
  /** Past the line end at `at` (CRLF, LF or CR alone); counts the line. */
  const endLine = (): void => {
    if (at >= length) return;
    if (text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF) at++;
    at++;
    line++;
  };
  const readKey = (): string => {
    const start = at;
    while (at < length && isKeyChar(text.charCodeAt(at))) at++;
    return text.slice(start, at);
  };
  /** After a value: blanks, then a comment or the line end; anything else is a fault. */
  const endOfValue = (): boolean => {
    skipBlanks();
    if (at < length && text.charCodeAt(at) === HASH)
      while (at < length && !isLineEnd(text.charCodeAt(at))) at++;
    return at >= length || isLineEnd(text.charCodeAt(at));
  };

  while (at < length) {
    skipBlanks();
    if (at >= length) break;
    const first = text.charCodeAt(at);
    if (isLineEnd(first)) {
      endLine();
      continue;
    }
    if (first === HASH) {
      while (at < length && !isLineEnd(text.charCodeAt(at))) at++;
      continue;
    }
    const startLine = line;
    let key = readKey();
    // `export KEY=value` (a space after the word); `export=1` and `export =1` assign the key "export".
    if (key === "export" && text.charCodeAt(at) === SPACE) {
      skipBlanks();
      if (at < length && isKeyChar(text.charCodeAt(at))) key = readKey();
    }
    skipBlanks();
    if (key === "" || text.charCodeAt(at) !== EQUALS) {
      const colon = key !== "" && text.charCodeAt(at) === COLON;
      return {
        fault: {
          line,
          reason: colon ? "`KEY: value` is not supported: write KEY=value" : "expected KEY=value",
        },
      };
    }
    at++;
    const afterEquals = at;
    skipBlanks();
    const spaced = at > afterEquals;
    const quote = text[at];
    let value: string;
    if (quote === '"' || quote === "'" || quote === "`") {
      const close = text.indexOf(quote, at + 1);
      if (close === -1)
        return { fault: { line: startLine, reason: `unterminated ${quoteNames[quote]} quote` } };
      const body = text.slice(at + 1, close);
      for (let i = 0; i < body.length; i++) {
        const code = body.charCodeAt(i);
        if (code === LF || (code === CR && body.charCodeAt(i + 1) !== LF)) line++;
      }
      at = close + 1;
      if (!endOfValue()) {
        const reason =
          line === startLine
            ? "unexpected text after the closing quote"
            : `unexpected text after a closing quote on line ${line}: is the closing quote of line ${startLine} missing?`;
        return { fault: { line: startLine, reason } };
      }
      const lines = body.replace(/\r\n?/g, "\n");
      value = quote === '"' ? lines.replaceAll("\\n", "\n") : lines;
    } else {
      const start = at;
      let hash = -1;
      while (at < length && !isLineEnd(text.charCodeAt(at))) {
        if (hash === -1 && text.charCodeAt(at) === HASH) hash = at;
        at++;
      }
      let end = hash === -1 ? at : hash;
      // A comment starts at a `#` with a blank before it: `KEY=value # note`, `KEY= # note`.
      if (hash !== -1 && !(hash === start ? spaced : isBlank(text.charCodeAt(hash - 1)))) {
        return {
          fault: {
            line,
            reason:
              "a # inside an unquoted value (dotenv and Node cut the value there): quote the value, or put a space before the comment",
          },
        };
      }
      while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
      value = text.slice(start, end);
    }
    setOwn(vars, key, value);
  }
  return { vars };
}
