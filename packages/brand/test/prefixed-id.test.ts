import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, definePrefixedId } from "../src/index.ts";
import { anyString } from "./fixtures/arbitraries.ts";

const UserId = definePrefixedId("UserId", "usr");
const TeamId = definePrefixedId("TeamId", "team");

const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
const idPattern = /^usr_[0-7][0-9a-hjkmnp-tv-z]{25}$/;
const VALID = "usr_01j9zk7w3x8q2v5n4m6r8t0y2a";
const messageOf = (input: unknown): string | undefined =>
  UserId.parse(input).match(
    () => undefined,
    (error) => error.issues[0]?.message,
  );

describe("definePrefixedId()", () => {
  it("generate() always validates, never repeats, and sorts by creation (5,000 ids)", () => {
    const ids = Array.from({ length: 5_000 }, () => UserId.generate());
    expect(ids.every((id) => UserId.is(id) && idPattern.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(TeamId.generate().startsWith("team_")).toBe(true);
  });

  it.each([
    ["team_01j9zk7w3x8q2v5n4m6r8t0y2a", false], // another prefix
    ["usr_01j9zk7w3x8q2v5n4m6r8t0y2", false], // 25 digits
    ["usr_81j9zk7w3x8q2v5n4m6r8t0y2a", false], // more than 128 bits
    ["usr_01j9zk7w3x8q2v5n4m6r8t0y2u", false], // u is not Crockford base32
    ["USR_01J9ZK7W3X8Q2V5N4M6R8T0Y2A", false],
    [VALID, true],
  ])("parse(%s) ok is %s", (input, valid) => {
    expect(UserId.parse(input).isOk()).toBe(valid);
  });

  it.each([
    ["usr_abc", "Expected a usr_ id, but it has 3 characters after usr_, not 26"],
    [`${VALID}x`, "Expected a usr_ id, but it has 27 characters after usr_, not 26"],
    ["usr_", "Expected a usr_ id, but it has 0 characters after usr_, not 26"],
    [
      "usr_01j9zk7w3x8q2v5n4m6r8t0y2u",
      "Expected a usr_ id, but it has a character that is not a Crockford base32 digit (0-9 and a-z without i, l, o, u)",
    ],
    [
      "usr_01j9zk7w3x8q2v5n4m6r8t0y-a",
      "Expected a usr_ id, but it has a character that is not a Crockford base32 digit (0-9 and a-z without i, l, o, u)",
    ],
    [
      "usr_01J9ZK7W3X8Q2V5N4M6R8T0Y2A",
      "Expected a usr_ id, but it has upper-case letters (ids are lower case)",
    ],
    [
      "USR_01j9zk7w3x8q2v5n4m6r8t0y2a",
      "Expected a usr_ id, but it has upper-case letters (ids are lower case)",
    ],
    [
      "usr_81j9zk7w3x8q2v5n4m6r8t0y2a",
      "Expected a usr_ id, but its first digit after usr_ is above 7 (more than 128 bits)",
    ],
    ["team_01j9zk7w3x8q2v5n4m6r8t0y2a", "Expected a usr_ id, but it does not start with usr_"],
    ["\u212Asr_01j9zk7w3x8q2v5n4m6r8t0y2a", "Expected a usr_ id, but it does not start with usr_"],
    ["", "Expected a usr_ id, but it does not start with usr_"],
    [42, "Expected a usr_ id, but got a number"],
    [undefined, "Expected a usr_ id, but got undefined"],
  ])("says what is wrong with %j: %s", (input, message) => {
    expect(messageOf(input)).toBe(message);
    expect(UserId.parse(input)._unsafeUnwrapErr().message).toBe(`Not a valid UserId: ${message}`);
  });

  it("refuses a prefix that would break the pattern (a programmer error)", () => {
    expect(() => definePrefixedId("Bad", "us.r")).toThrow(TypeError);
    expect(() => definePrefixedId("Bad", "")).toThrow(TypeError);
    expect(() => definePrefixedId("Bad", "Usr")).toThrow(TypeError);
  });

  it("uncheckedFrom() takes a plain string as given", () => {
    const row = { id: VALID as string };
    expect(UserId.uncheckedFrom(row.id)).toBe(VALID);
  });
});

describe("definePrefixedId() properties (fast-check)", () => {
  it("never throws on hostile input and refuses with a message that never quotes the body", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          anyString({ maxLength: 40 }).map((s) => `usr_${s}`),
        ),
        (input) => {
          const parsed = UserId.parse(input);
          if (parsed.isOk()) return;
          expect(parsed.error).toBeInstanceOf(BrandError);
          const body = typeof input === "string" ? input.slice(4) : "";
          if (body.length >= 3) expect(parsed.error.message).not.toContain(body);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("accepts exactly usr_ + 26 Crockford digits whose first is 0-7, and otherwise gives a reason other than the generic one", () => {
    const digit = fc.constantFrom(...crockford);
    const near = fc
      .tuple(
        fc.array(digit, { minLength: 24, maxLength: 28 }),
        fc.nat(),
        fc.constantFrom("", "i", "L", "u", "-", "\u212A", "8", "z", "A"),
      )
      .map(([digits, at, swap]) => {
        const i = at % digits.length;
        return `usr_${digits.slice(0, i).join("")}${swap}${digits.slice(i + (swap === "" ? 0 : 1)).join("")}`;
      });
    fc.assert(
      fc.property(near, (input) => {
        const parsed = UserId.parse(input);
        expect(parsed.isOk()).toBe(idPattern.test(input));
        if (parsed.isErr()) expect(parsed.error.issues[0]?.message).toMatch(/^Expected a usr_ id, but /);
      }),
      { numRuns: 1000 },
    );
  });
});
