import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type Brand, BrandError, type BrandOf, prefixedId } from "../src/index.ts";

const UserId = prefixedId("UserId", "usr");
const TeamId = prefixedId("TeamId", "team");
type UserId = BrandOf<typeof UserId>;

describe("prefixedId()", () => {
  it("types the prefix as a template literal and keeps ids of different brands apart", () => {
    const id = UserId.generate();
    expectTypeOf(id).toEqualTypeOf<Brand<`usr_${string}`, "UserId">>();
    const team = TeamId.generate();
    // @ts-expect-error: a TeamId is not a UserId
    const wrong: UserId = team;
    expect(wrong.startsWith("team_")).toBe(true);
  });

  it("generate() always validates, never repeats, and sorts by creation (5,000 ids)", () => {
    const ids = Array.from({ length: 5_000 }, () => UserId.generate());
    expect(ids.every((id) => UserId.is(id) && /^usr_[0-7][0-9a-hjkmnp-tv-z]{25}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it.each([
    ["team_01j9zk7w3x8q2v5n4m6r8t0y2a", false], // another prefix
    ["usr_01j9zk7w3x8q2v5n4m6r8t0y2", false], // 25 digits
    ["usr_81j9zk7w3x8q2v5n4m6r8t0y2a", false], // more than 128 bits
    ["usr_01j9zk7w3x8q2v5n4m6r8t0y2u", false], // u is not Crockford base32
    ["USR_01J9ZK7W3X8Q2V5N4M6R8T0Y2A", false],
    ["usr_01j9zk7w3x8q2v5n4m6r8t0y2a", true],
  ])("parse(%s) ok is %s", (input, valid) => {
    expect(UserId.parse(input).isOk()).toBe(valid);
  });

  it("refuses a prefix that would break the pattern (a programmer error)", () => {
    expect(() => prefixedId("Bad", "us.r")).toThrow(TypeError);
    expect(() => prefixedId("Bad", "")).toThrow(TypeError);
  });

  it("never throws on hostile input (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string().map((s) => `usr_${s}`),
        ),
        (input) => {
          const parsed = UserId.parse(input);
          if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
