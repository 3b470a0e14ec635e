import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { crockfordBase32 } from "../src/_internal/crockford-base32.ts";
import { uuidText } from "../src/_internal/uuid-text.ts";
import { createUuidV7Generator, sharedUuidV7State } from "../src/_internal/uuid-v7-generator.ts";

/** A random source that answers `fill` for every byte, so generated ids are exact strings. */
const constantRandom = (fill: number) => (length: number) => new Uint8Array(length).fill(fill);
const at = (ms: number) => () => ms;

describe("the UUIDv7 generator with injected clock and randomness", () => {
  it("makes exact ids: the millisecond, a counter from a random start, then random bits", () => {
    const next = createUuidV7Generator({ clock: at(0x0190b6a46f3b), random: constantRandom(0xff) });
    expect(uuidText(next())).toBe("0190b6a4-6f3b-77ff-bfff-ffffffffffff");
    expect(uuidText(next())).toBe("0190b6a4-6f3b-7800-bfff-ffffffffffff"); // same ms: counter + 1
    expect(crockfordBase32(next())).toBe("01j2va8vsvf00vzzzzzzzzzzzz"); // counter 0x801, in base32
  });

  it("starts the counter at a random value in the lower half, leaving room to count up", () => {
    const next = createUuidV7Generator({ clock: at(1), random: constantRandom(0) });
    expect(uuidText(next())).toBe("00000000-0001-7000-8000-000000000000");
  });

  it("borrows the next millisecond when 4096 ids share one, staying sorted and unique", () => {
    const next = createUuidV7Generator({ clock: at(5), random: constantRandom(0) });
    const ids = Array.from({ length: 10_000 }, () => uuidText(next()));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[4095]).toBe("00000000-0005-7fff-8000-000000000000");
    expect(ids[4096]).toBe("00000000-0006-7000-8000-000000000000");
  });

  it("keeps counting up when the clock goes backwards", () => {
    let now = 2 ** 46;
    const next = createUuidV7Generator({ clock: () => now, random: constantRandom(0x12) });
    const late = uuidText(next());
    now = 1000;
    const early = uuidText(next());
    expect(early > late).toBe(true);
  });

  it("ids sort by time across given timestamps (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 47 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 255 }),
        (earlier, gap, fill) => {
          let now = earlier;
          const next = createUuidV7Generator({ clock: () => now, random: constantRandom(fill) });
          const first = uuidText(next());
          now = earlier + gap;
          expect(first < uuidText(next())).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("generators that share one state sort together, whatever order they are called in (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 0, max: 255 }),
        (turns, fill) => {
          const state = { lastMs: 0, counter: 0 };
          const a = createUuidV7Generator({ clock: at(7), random: constantRandom(fill), state });
          const b = createUuidV7Generator({ clock: at(7), random: constantRandom(255 - fill), state });
          const ids = turns.map((first) => uuidText(first ? a() : b()));
          expect([...ids].sort()).toEqual(ids);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("one UUIDv7 state per process", () => {
  it("ids made alternately by two installed copies of @keel/brand still sort", async (context) => {
    const first = await import("../src/index.ts");
    try {
      vi.resetModules(); // the next import is a second, independent copy of the package's modules
    } catch {
      context.skip(); // a runner that bundles every test into one Worker has one copy only
    }
    const second = await import("../src/index.ts");
    expect(second.UuidV7).not.toBe(first.UuidV7); // really two module instances, as two copies in node_modules
    const UserA = first.definePrefixedId("UserId", "usr");
    const UserB = second.definePrefixedId("UserId", "usr");
    const uuids = Array.from({ length: 4_000 }, (_, i) => (i % 2 === 0 ? first : second).UuidV7.generate());
    expect([...uuids].sort()).toEqual(uuids);
    const prefixed = Array.from({ length: 4_000 }, (_, i) => (i % 2 === 0 ? UserA : UserB).generate());
    expect([...prefixed].sort()).toEqual(prefixed);
  });

  it("keeps the state on globalThis under a registered symbol, out of enumeration", () => {
    const state = sharedUuidV7State();
    expect(sharedUuidV7State()).toBe(state);
    const key = Symbol.for("@keel/brand:uuid-v7-state@1");
    expect((globalThis as Record<symbol, unknown>)[key]).toBe(state);
    expect(Object.getOwnPropertyDescriptor(globalThis, key)?.enumerable).toBe(false);
  });
});
