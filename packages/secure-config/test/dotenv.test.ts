import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DotenvError, parseDotenv } from "../src/index.ts";

// Node's own .env parser (Node >= 20.12 has it; Node 24 is the reference leg). Deno and Bun expose
// node:util too, but not everywhere with parseEnv; workerd's nodejs_compat may lack it.
const nodeUtil = await import("node:util").catch(() => undefined);
const parseEnv = (nodeUtil as { parseEnv?: (text: string) => Record<string, string> } | undefined)?.parseEnv;
// Node 24's parser is the reference; Node 20's older util.parseEnv differs from dotenv in more places.
const nodeMajor = Number(
  (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node?.split(".")[0] ?? 0,
);
const isNode24 =
  nodeMajor >= 24 &&
  !("Bun" in globalThis) &&
  !("Deno" in globalThis) &&
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent !== "Cloudflare-Workers";

describe("parseDotenv()", () => {
  it("parses the common forms", () => {
    const text = [
      "\uFEFF# comment",
      "PLAIN=value",
      "SPACED = padded value  ",
      "export EXPORTED=yes",
      "WITH_COMMENT=abc # trailing comment",
      "SINGLE='literal $HOME \\n # not a comment'",
      'DOUBLE="line1\\nline2 # kept"',
      'MULTI="first',
      'second"',
      "EMPTY=",
      "URL=postgres://u:p@h:5432/db?sslmode=require",
      "",
      "PLAIN=overridden",
    ].join("\r\n");
    expect(parseDotenv(text)._unsafeUnwrap()).toEqual({
      PLAIN: "overridden",
      SPACED: "padded value",
      EXPORTED: "yes",
      WITH_COMMENT: "abc",
      SINGLE: "literal $HOME \\n # not a comment",
      DOUBLE: "line1\nline2 # kept",
      MULTI: "first\nsecond",
      EMPTY: "",
      URL: "postgres://u:p@h:5432/db?sslmode=require",
    });
  });

  it.each([
    ["a comment after an empty value is not the value", "KEY= # comment", { KEY: "" }],
    ["backticks are quotes", 'A=`it\'s "quoted"` # c', { A: 'it\'s "quoted"' }],
    ["a multi-line backtick value", "A=`one\ntwo`", { A: "one\ntwo" }],
    ["CR-only line ends", "A=1\rB=2\r", { A: "1", B: "2" }],
    ["U+2028 and U+2029 inside values", "A=x\u2028y\nB='\u2029'", { A: "x\u2028y", B: "\u2029" }],
    ["a tab before a comment", "A=1\t# c", { A: "1" }],
    ["dots and dashes in keys", "A.B-C=1", { "A.B-C": "1" }],
    ["the key export", "export=1", { export: "1" }],
    ["a double-quoted \\n and nothing else", 'A="a\\tb\\\\nc"', { A: "a\\tb\\\nc" }],
    ["a CRLF inside quotes", 'A="x\r\ny"', { A: "x\ny" }],
  ])("%s", (_, text, expected) => {
    expect(parseDotenv(text)._unsafeUnwrap()).toEqual(expected);
  });

  it.each([
    ["no equals sign", "JUST_A_WORD", 1],
    ["a bad key", "KEY WITH SPACE=x", 1],
    ["dotenv's colon form", "KEY: value", 1],
    ["an unterminated single quote", "OK=1\nA='open", 2],
    ["an unterminated double quote", 'A="open\nstill open', 1],
    ["an unterminated backtick", "A=`open", 1],
    ["a quote that swallows the next assignment", 'A="abc\nB="def"', 1],
    ["text after a closing quote", 'A="x" open', 1],
    ["a # glued to an unquoted value", "A=open#x", 1],
    ["a # right after the equals sign", "A=#open", 1],
    ["an escaped quote (dotenv and Node read it differently)", 'A="a\\"open"', 1],
  ])("refuses %s with the line number and no value", (_, text, line) => {
    const error = parseDotenv(text)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(DotenvError);
    expect(error.line).toBe(line);
    expect(error.message).not.toContain("open");
  });

  it("has no prototype pitfalls", () => {
    const vars = parseDotenv("__proto__=x\nconstructor=y")._unsafeUnwrap();
    expect(Object.getPrototypeOf(vars)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(vars, "__proto__")?.value).toBe("x");
    expect(vars.constructor).toBe("y");
  });

  // A generous timeout: 1,000 runs of error construction are slow on Bun (not the parser: see bench/).
  it("never throws on any text (fast-check)", { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: "binary" }), (text) => {
        const parsed = parseDotenv(text);
        if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(DotenvError);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips generated KEY=value files (fast-check)", () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9:/@.+-]{0,20}$/);
    fc.assert(
      fc.property(fc.dictionary(key, value), (vars) => {
        const text = Object.entries(vars)
          .map(([k, v]) => `${k}=${v}`)
          .join("\n");
        expect(parseDotenv(text)._unsafeUnwrap()).toEqual(vars);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads any value back the way each quote writes it, with any line ends and comments (fast-check)", () => {
    const line = fc.constantFrom("\n", "\r\n", "\r");
    const quoted = fc.oneof(
      fc
        .string({ unit: fc.constantFrom("a", "b", " ", "#", '"', "`", "\n", "=", "$", "\\") })
        .filter((v) => !v.includes("'"))
        .map((v) => [`'${v}'`, v.replace(/\r\n?/g, "\n")] as const),
      fc
        .string({ unit: fc.constantFrom("a", "b", " ", "#", "'", '"', "\n", "=", "$") })
        .filter((v) => !v.includes("`"))
        .map((v) => [`\`${v}\``, v] as const),
      fc
        .string({ unit: fc.constantFrom("a", "b", " ", "#", "'", "`", "\n", "=", "$") })
        .map((v) => [`"${v}"`, v] as const),
      fc
        .string({ unit: fc.constantFrom("a", "b", "'", '"', "`", "=", "$", "-") })
        .filter((v) => !/^['"`]/.test(v))
        .map((v) => [v, v] as const),
    );
    const comment = fc.constantFrom("", " # note", "\t#", " #'\"`");
    fc.assert(
      fc.property(fc.array(fc.tuple(quoted, comment)), line, (entries, end) => {
        const text = entries.map(([[written], note], index) => `K${index} = ${written}${note}`).join(end);
        const expected = Object.fromEntries(entries.map(([[, value]], index) => [`K${index}`, value]));
        expect(parseDotenv(text)._unsafeUnwrap()).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it.runIf(isNode24 && parseEnv !== undefined)(
    "agrees with Node's util.parseEnv wherever it accepts (fast-check; Node 24 only: Node 20's parseEnv is older, Bun, Deno and workerd are not the reference)",
    () => {
      const unit = fc.constantFrom(
        "A",
        "b",
        "_",
        "=",
        " ",
        "\t",
        "#",
        "'",
        '"',
        "`",
        "\\",
        "n",
        "\n",
        "\r\n",
        "x",
        "export ",
        "\u2028",
        "-",
      );
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
          const parsed = parseDotenv(text);
          if (parsed.isErr()) return;
          const node = parseEnv?.(text) ?? {};
          // Node's one known slip: `export A=` with an empty value keeps "export A" as the key (dotenv reads A).
          if (Object.keys(node).some((key) => key.startsWith("export"))) return;
          expect({ ...parsed.value }).toEqual({ ...node });
        }),
        { numRuns: 1000 },
      );
    },
  );
});
