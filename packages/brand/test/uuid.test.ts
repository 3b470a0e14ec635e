import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, Uuid, UuidV4, UuidV7 } from "../src/index.ts";
import { uuidV7Generator } from "../src/uuid.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

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

  it("never throws on hostile input (fast-check)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.uuid()), (input) => {
        const parsed = Uuid.parse(input);
        if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
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
    for (let i = 0; i < 1000; i++) expect(UuidV4.is(UuidV4.generate())).toBe(true);
  });

  it("refuses other versions", () => {
    expect(UuidV4.is(UuidV7.generate())).toBe(false);
  });
});

describe("UuidV7", () => {
  it("generate() always validates and never repeats (10,000 ids)", () => {
    const ids = Array.from({ length: 10_000 }, () => UuidV7.generate());
    expect(ids.every((id) => UuidV7.is(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("ids sort in creation order as plain strings, even within one millisecond", () => {
    const ids = Array.from({ length: 5_000 }, () => UuidV7.generate());
    expect([...ids].sort()).toEqual(ids);
  });

  it("ids sort by time across given timestamps (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 47 }),
        fc.integer({ min: 1, max: 10_000 }),
        (earlier, gap) => {
          const next = uuidV7Generator();
          expect(hex(next(earlier)) < hex(next(earlier + gap))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("borrows the next millisecond when 4096 ids share one, staying sorted and unique", () => {
    const next = uuidV7Generator();
    const ids = Array.from({ length: 10_000 }, () => hex(next(5)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("timestampOf() reads the creation time back", () => {
    const before = Date.now();
    const id = UuidV7.generate();
    expect(UuidV7.timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(UuidV7.timestampOf(id)).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("keeps counting up when the clock goes backwards", () => {
    const next = uuidV7Generator();
    const late = hex(next(2 ** 46));
    const early = hex(next(1000));
    expect(early > late).toBe(true);
  });
});
