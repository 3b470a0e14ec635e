import type { Result } from "@keel/result";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, Uuid, UuidV4, UuidV7 } from "../src/index.ts";
import { anyString } from "./fixtures/arbitraries.ts";

const messageOf = (brand: { parse(input: unknown): Result<unknown, BrandError> }, input: unknown) =>
  brand.parse(input).match(
    () => undefined,
    (error) => error.issues[0]?.message,
  );

// The rule as one case-insensitive ASCII expression: the oracle of the properties.
const anyVersion = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

describe("Uuid", () => {
  it.each([
    ["6fa459ea-ee8a-3ca4-894e-db77e160355e", true],
    ["6FA459EA-EE8A-3CA4-894E-DB77E160355E", true],
    ["00000000-0000-0000-0000-000000000000", false], // nil: no version
    ["6fa459ea-ee8a-9ca4-894e-db77e160355e", false], // version 9 does not exist
    ["6fa459ea-ee8a-3ca4-c94e-db77e160355e", false], // wrong variant
    ["6fa459eaee8a3ca4894edb77e160355e", false], // no hyphens
    [" 6fa459ea-ee8a-3ca4-894e-db77e160355e", false],
    ["{6fa459ea-ee8a-3ca4-894e-db77e160355e}", false],
  ])("Uuid.parse(%s) ok is %s", (input, valid) => {
    expect(Uuid.parse(input).isOk()).toBe(valid);
  });

  it("stores the canonical lower-case form", () => {
    expect(Uuid.parse("6FA459EA-EE8A-3CA4-894E-DB77E160355E")._unsafeUnwrap()).toBe(
      "6fa459ea-ee8a-3ca4-894e-db77e160355e",
    );
  });

  it.each([
    ["6fa459eaee8a3ca4894edb77e160355e", "Expected a UUID (36 characters), but got 32 characters"],
    ["6fa459ea-ee8a-3ca4-894e-db77e160355", "Expected a UUID (36 characters), but got 35 characters"],
    [
      "6fa459eae-e8a-3ca4-894e-db77e160355e",
      "Expected a UUID, but its hyphens are not where 8-4-4-4-12 hex digits put them",
    ],
    [
      "6fa459ea-ee8a-3ca4-894e-db77e160355g",
      "Expected a UUID, but it has a character that is not a hex digit",
    ],
    [
      "6fa459ea-ee8a-\u212Aca4-894e-db77e160355e",
      "Expected a UUID, but it has a character that is not a hex digit",
    ],
    [
      "6fa459ea-ee8a-9ca4-894e-db77e160355e",
      "Expected a UUID, but its version digit (the 15th character) is not 1 to 8",
    ],
    [
      "6fa459ea-ee8a-3ca4-c94e-db77e160355e",
      "Expected a UUID, but its variant digit (the 20th character) is not 8, 9, a or b (RFC 9562)",
    ],
    [42, "Expected a UUID, but got a number"],
  ])("says what is wrong with %j", (input, message) => {
    expect(messageOf(Uuid, input)).toBe(message);
  });

  it("names the version a versioned brand wants", () => {
    expect(messageOf(UuidV7, "6fa459ea-ee8a-3ca4-894e-db77e160355e")).toBe(
      "Expected a UUID v7, but its version digit (the 15th character) is not 7",
    );
    expect(messageOf(UuidV4, UuidV7.generate())).toBe(
      "Expected a UUID v4, but its version digit (the 15th character) is not 4",
    );
  });

  it("never throws on hostile input (fast-check)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.uuid()), (input) => {
        const parsed = Uuid.parse(input);
        if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
      }),
      { numRuns: 1000 },
    );
  });

  it("checks the text as given and lower-cases only ASCII hex: accepts exactly the ASCII rule (fast-check)", () => {
    const swapped = fc
      .tuple(
        fc.uuid({ version: [1, 4, 7] }),
        fc.nat(35),
        fc.constantFrom("\u212A", "\u0130", "A", "F", "G", "-", "0"),
        fc.boolean(),
      )
      .map(([id, at, swap, upper]) => {
        const text = upper ? id.toUpperCase() : id;
        return text.slice(0, at) + swap + text.slice(at + 1);
      });
    fc.assert(
      fc.property(fc.oneof(swapped, anyString({ minLength: 36, maxLength: 36 })), (input) => {
        const parsed = Uuid.parse(input);
        expect(parsed.isOk()).toBe(anyVersion.test(input));
        if (parsed.isOk()) expect(parsed.value).toBe(input.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts every RFC 9562 UUID fast-check generates", () => {
    fc.assert(
      fc.property(fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }), (id) => {
        expect(Uuid.is(id)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("UuidV4", () => {
  it("generate() always validates (1000 ids)", () => {
    const ids = Array.from({ length: 1000 }, () => UuidV4.generate());
    expect(ids.filter((id) => !UuidV4.is(id))).toEqual([]);
  });

  it("refuses other versions", () => {
    expect(UuidV4.is(UuidV7.generate())).toBe(false);
  });
});

describe("UuidV7", () => {
  it("generate() always validates and never repeats (10,000 ids)", () => {
    const ids = Array.from({ length: 10_000 }, () => UuidV7.generate());
    expect(ids.filter((id) => !UuidV7.is(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("ids sort in creation order as plain strings, even within one millisecond", () => {
    const ids = Array.from({ length: 5_000 }, () => UuidV7.generate());
    expect([...ids].sort()).toEqual(ids);
  });

  it("timestampOf() reads the creation time back", () => {
    const before = Date.now();
    const id = UuidV7.generate();
    expect(UuidV7.timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(UuidV7.timestampOf(id)).toBeLessThanOrEqual(Date.now() + 1);
  });
});
