import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timingSafeEqual } from "../../src/index.ts";

const PROPERTY_TIMEOUT = 120_000;

describe("timingSafeEqual", () => {
  it.each([
    ["same string", "token-123", "token-123", true],
    ["different string", "token-123", "token-124", false],
    ["prefix", "token", "token-123", false],
    ["empty and empty", "", "", true],
    ["empty and non-empty", "", "a", false],
    ["unicode", "pässwörd", "pässwörd", true],
    ["NFC vs NFD (different bytes)", "é", "e\u0301", false],
    ["string vs same bytes", "abc", new TextEncoder().encode("abc"), true],
    ["bytes", new Uint8Array([0, 1, 2]), new Uint8Array([0, 1, 2]), true],
    ["bytes with a trailing zero", new Uint8Array([0, 1, 2]), new Uint8Array([0, 1, 2, 0]), false],
  ] as const)("%s", async (_name, a, b, expected) => {
    expect(await timingSafeEqual(a, b)).toBe(expected);
    expect(await timingSafeEqual(b, a)).toBe(expected);
  });

  it("compares a view of a larger buffer by its own bytes", async () => {
    const buffer = new Uint8Array([9, 1, 2, 3, 9]);
    expect(await timingSafeEqual(buffer.subarray(1, 4), new Uint8Array([1, 2, 3]))).toBe(true);
  });

  it("compares 100 KB values", async () => {
    const big = "x".repeat(100_000);
    expect(await timingSafeEqual(big, `${big}`)).toBe(true);
    expect(await timingSafeEqual(big, `${big.slice(1)}y`)).toBe(false);
  });

  it("throws a TypeError for a value that is neither a string nor bytes", async () => {
    await expect(timingSafeEqual(42 as unknown as string, "42")).rejects.toThrow(TypeError);
    await expect(timingSafeEqual("a", {} as unknown as string)).rejects.toThrow(/b must be/);
  });

  it.each([
    ["null and a value", null, "s3cr3t"],
    ["a value and undefined", "s3cr3t", undefined],
    ["null and null", null, null],
    ["undefined and undefined", undefined, undefined],
    ["null and an empty string", null, ""],
  ] as const)("answers false for a missing value (%s), not a rejection", async (_name, a, b) => {
    await expect(timingSafeEqual(a, b)).resolves.toBe(false);
    await expect(timingSafeEqual(b, a)).resolves.toBe(false);
  });

  it("answers false for a header the request did not send, passed straight in", async () => {
    const request = new Request("https://api.example.com/");
    expect(await timingSafeEqual(request.headers.get("x-api-key"), "s3cr3t")).toBe(false);
  });

  it(
    "agrees with plain equality (property, 1,000 runs)",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string(), fc.string(), async (a, b) => {
          expect(await timingSafeEqual(a, b)).toBe(a === b);
          expect(await timingSafeEqual(a, a)).toBe(true);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
