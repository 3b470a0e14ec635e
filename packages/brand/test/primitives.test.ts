import type { Result } from "@keel/result";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, NonEmptyString, PositiveInt, Slug } from "../src/index.ts";

const messageOf = (brand: { parse(input: unknown): Result<unknown, BrandError> }, input: unknown) =>
  brand.parse(input).match(
    () => undefined,
    (error) => error.issues[0]?.message,
  );

// Characters that show nothing on their own.
const invisibles = [
  " ",
  "\t",
  "\n",
  "\r",
  "\v",
  "\f",
  "\u0000",
  "\u0007",
  "\u007F",
  "\u0085",
  "\u00A0",
  "\u00AD",
  "\u115F",
  "\u1680",
  "\u180E",
  "\u2000",
  "\u200A",
  "\u200B",
  "\u200C",
  "\u200D",
  "\u200E",
  "\u200F",
  "\u2028",
  "\u2029",
  "\u202A",
  "\u202E",
  "\u202F",
  "\u205F",
  "\u2060",
  "\u2066",
  "\u2069",
  "\u3000",
  "\u3164",
  "\uFE0F",
  "\uFEFF",
  "\uFFA0",
  "\uD800",
  "\u{E0001}",
  "\u{E0041}",
];

describe("NonEmptyString", () => {
  it.each([
    ["a", true],
    [" padded ", true],
    ["\u200Bx\u200B", true],
    ["日本", true],
    ["😀", true],
    ["", false],
    [" \t\n", false],
    [5, false],
  ])("is(%j) is %s, and keeps the value as given", (input, valid) => {
    expect(NonEmptyString.is(input)).toBe(valid);
  });

  it.each([
    ["ZERO WIDTH SPACE", "\u200B"],
    ["NUL", "\u0000"],
    ["RIGHT-TO-LEFT OVERRIDE", "\u202E"],
    ["BOM", "\uFEFF"],
    ["NBSP", "\u00A0"],
    ["IDEOGRAPHIC SPACE", "\u3000"],
    ["LINE SEPARATOR", "\u2028"],
    ["HANGUL FILLER", "\u3164"],
    ["a lone surrogate", "\uD800"],
    ["a mix", " \u200B\u0000\u202E\uFEFF\u00A0\u3000 "],
  ])("refuses a string of nothing visible: %s", (_, input) => {
    expect(NonEmptyString.is(input)).toBe(false);
    expect(messageOf(NonEmptyString, input)).toBe(
      "Expected a non-empty string, but it has no visible character (only whitespace, control or invisible formatting characters)",
    );
  });

  it("says what is wrong", () => {
    expect(messageOf(NonEmptyString, "")).toBe("Expected a non-empty string, but got an empty string");
    expect(messageOf(NonEmptyString, 5)).toBe("Expected a non-empty string, but got a number");
  });

  it("refuses exactly the strings made of invisible characters, and keeps accepted ones as given (fast-check)", () => {
    const invisible = fc.constantFrom(...invisibles);
    const visible = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 1 })
      .filter((c) => /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) && !/\p{Default_Ignorable_Code_Point}/u.test(c));
    fc.assert(
      fc.property(fc.array(invisible, { maxLength: 8 }), fc.option(visible), fc.nat(), (noise, shown, at) => {
        const i = at % (noise.length + 1);
        const input =
          shown === null ? noise.join("") : [...noise.slice(0, i), shown, ...noise.slice(i)].join("");
        const parsed = NonEmptyString.parse(input);
        expect(parsed.isOk()).toBe(shown !== null);
        if (parsed.isOk()) expect(parsed.value).toBe(input);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("PositiveInt", () => {
  it.each([
    [1, true],
    [Number.MAX_SAFE_INTEGER, true],
    [0, false],
    [-1, false],
    [1.5, false],
    [Number.MAX_SAFE_INTEGER + 1, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ["3", false],
    [3n, false],
  ])("is(%s) is %s", (input, valid) => {
    expect(PositiveInt.is(input)).toBe(valid);
  });

  it.each([
    ["3", "Expected a positive integer, but got a string (strings are not converted)"],
    [1.5, "Expected a positive integer, but got a number that is not an integer"],
    [Number.NaN, "Expected a positive integer, but got a number that is not an integer"],
    [0, "Expected a positive integer, but got a number that is not greater than 0"],
    [-4, "Expected a positive integer, but got a number that is not greater than 0"],
    [2 ** 53, "Expected a positive integer, but got a number above Number.MAX_SAFE_INTEGER"],
    [3n, "Expected a positive integer, but got a bigint"],
  ])("says what is wrong with %s", (input, message) => {
    expect(messageOf(PositiveInt, input)).toBe(message);
  });
});

describe("Slug", () => {
  it.each([
    ["hello", true],
    ["hello-world-2", true],
    ["Hello", false],
    ["-hello", false],
    ["hello-", false],
    ["a--b", false],
    ["a_b", false],
    ["a".repeat(101), false],
  ])("is(%j) is %s", (input, valid) => {
    expect(Slug.is(input)).toBe(valid);
  });

  it.each([
    ["", "Expected a slug, but got an empty string"],
    ["a".repeat(101), "Expected a slug, but it is longer than 100 characters"],
    ["Hello", "Expected a slug, but it has upper-case letters (slugs are lower case)"],
    ["a_b", "Expected a slug, but it has a character other than a-z, 0-9 and -"],
    ["caf\u00E9", "Expected a slug, but it has a character other than a-z, 0-9 and -"],
    ["a--b", "Expected a slug, but it starts or ends with a hyphen, or has two in a row"],
    ["-a", "Expected a slug, but it starts or ends with a hyphen, or has two in a row"],
  ])("says what is wrong with %j", (input, message) => {
    expect(messageOf(Slug, input)).toBe(message);
  });
});

describe("built-in primitives on hostile input", () => {
  it("never throw and answer a BrandError (fast-check)", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true }), (input) => {
        for (const brand of [NonEmptyString, PositiveInt, Slug]) {
          const parsed = brand.parse(input);
          if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
