import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, Email } from "../src/index.ts";

describe("Email", () => {
  it.each([
    ["ada@example.com", "ada@example.com"],
    ["  Ada.Lovelace@Example.COM\n", "Ada.Lovelace@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["x@a-b.io", "x@a-b.io"],
  ])("accepts %j as %j", (input, normalised) => {
    expect(Email.parse(input)._unsafeUnwrap()).toBe(normalised);
  });

  it.each([
    ["", "empty"],
    ["ada", "no @"],
    ["@example.com", "empty local part"],
    ["ada@", "empty domain"],
    ["ada@localhost", "single-label domain"],
    ["ada@example.123", "numeric top level"],
    ["ada@-example.com", "label starting with a hyphen"],
    ["ada@example-.com", "label ending with a hyphen"],
    ["ada@exa mple.com", "space in the domain"],
    ["a..b@example.com", "two dots in a row"],
    [".ada@example.com", "leading dot"],
    ['"ada"@example.com', "quoted local part"],
    ["ada@[127.0.0.1]", "IP literal"],
    ["ada@example.com\r\nBcc: victim@example.com", "header injection"],
    ["ada@exämple.com", "non-ASCII domain"],
    [`${"a".repeat(65)}@example.com`, "local part over 64"],
    [`a@${"b".repeat(64)}.com`, "label over 63"],
    [`a@${"b.".repeat(130)}com`, "over 254 characters"],
    [42, "a number"],
    [null, "null"],
  ])("refuses %j (%s)", (input, _reason) => {
    const error = Email.parse(input)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(BrandError);
    expect(error.brand).toBe("Email");
  });

  it("does not echo the address in the error", () => {
    const error = Email.parse("ada.lovelace@@example.com")._unsafeUnwrapErr();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("lovelace");
  });

  it("answers a long hostile string at once (no catastrophic backtracking)", () => {
    expect(Email.is(`${"a.".repeat(50_000)}@example.com`)).toBe(false);
    expect(Email.is(`a@${"a-".repeat(50_000)}`)).toBe(false);
  });

  it("never throws, and everything it accepts parses again unchanged (fast-check)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string(), fc.anything()), (input) => {
        const parsed = Email.parse(input);
        if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
        else expect(Email.parse(parsed.value)._unsafeUnwrap()).toBe(parsed.value);
      }),
      { numRuns: 1000 },
    );
  });
});
