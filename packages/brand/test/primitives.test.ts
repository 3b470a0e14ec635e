import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, NonEmptyString, PositiveInt, Slug } from "../src/index.ts";

describe("NonEmptyString", () => {
  it.each([
    ["a", true],
    [" padded ", true],
    ["", false],
    [" \t\n", false],
    [5, false],
  ])("is(%j) is %s, and keeps the value as given", (input, valid) => {
    expect(NonEmptyString.is(input)).toBe(valid);
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
