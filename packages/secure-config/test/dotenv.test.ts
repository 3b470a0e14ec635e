import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DotenvError, parseDotenv } from "../src/index.ts";

describe("parseDotenv()", () => {
  it("parses the common forms", () => {
    const text = [
      "\uFEFF# comment",
      "PLAIN=value",
      "SPACED = padded value  ",
      "export EXPORTED=yes",
      "WITH_COMMENT=abc # trailing comment",
      "HASH_INSIDE=abc#def",
      "SINGLE='literal $HOME \\n # not a comment'",
      'DOUBLE="line1\\nline2 \\"quoted\\" # kept"',
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
      HASH_INSIDE: "abc#def",
      SINGLE: "literal $HOME \\n # not a comment",
      DOUBLE: 'line1\nline2 "quoted" # kept',
      MULTI: "first\nsecond",
      EMPTY: "",
      URL: "postgres://u:p@h:5432/db?sslmode=require",
    });
  });

  it.each([
    ["no equals sign", "JUST_A_WORD", 1],
    ["a bad key", "1KEY=x", 1],
    ["an unterminated single quote", "OK=1\nA='open", 2],
    ["an unterminated double quote", 'A="open\nstill open', 1],
  ])("refuses %s with the line number and no value", (_, text, line) => {
    const error = parseDotenv(text)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(DotenvError);
    expect(error.line).toBe(line);
    expect(error.message).not.toContain("open");
  });

  it("has no prototype pitfalls", () => {
    const vars = parseDotenv("__proto__=x\nconstructor=y")._unsafeUnwrap();
    expect(Object.getOwnPropertyDescriptor(vars, "__proto__")?.value).toBe("x");
    expect(vars.constructor).toBe("y");
  });

  it("never throws on any text, and round-trips generated KEY=value files (fast-check)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const parsed = parseDotenv(text);
        if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(DotenvError);
      }),
      { numRuns: 1000 },
    );
    const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/);
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
});
