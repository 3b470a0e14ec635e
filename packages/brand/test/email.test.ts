import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrandError, Email } from "../src/index.ts";
import { anyString } from "./fixtures/arbitraries.ts";

// The surrounding whitespace Email removes: ASCII only (what String#trim removes among ASCII characters).
const asciiTrim = (text: string): string => text.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "");
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
const messageOf = (input: unknown): string | undefined =>
  Email.parse(input).match(
    () => undefined,
    (e) => e.issues[0]?.message,
  );

// The rules as one ASCII regular expression, independent of the implementation: the oracle of the properties.
const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const oracle = new RegExp(
  `^(?=[^@]{1,64}@)${atext}+(?:\\.${atext}+)*@(?:${label}\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])$`,
);
const oracleAccepts = (input: string): boolean => {
  const core = asciiTrim(input);
  return core.length <= 254 && oracle.test(core);
};

// Characters that case-fold or look like ASCII, and Unicode whitespace String#trim would remove.
const tricky = [
  "\u212A",
  "\u212B",
  "\u017F",
  "\u0130",
  "\u0131",
  "\u00A0",
  "\uFEFF",
  "\u2028",
  "\u3000",
  "\u200B",
];

/** Email-shaped strings, some with one character swapped for a tricky one, some with whitespace around. */
const emailish = fc
  .tuple(
    fc.emailAddress(),
    fc.nat(),
    fc.constantFrom(...tricky, "K", "A", "."),
    fc.boolean(),
    fc.constantFrom("", " ", "\t", "\r\n", "\v\f", "\u00A0", "\u3000"),
  )
  .map(([address, at, swap, doSwap, pad]) => {
    const base = address.toUpperCase().includes("K") ? address : address.replace(/k/gi, "K");
    const i = at % base.length;
    const swapped = doSwap ? base.slice(0, i) + swap + base.slice(i + 1) : base;
    return pad + swapped + pad;
  });

describe("Email", () => {
  it.each([
    ["ada@example.com", "ada@example.com"],
    ["  Ada.Lovelace@Example.COM\n", "Ada.Lovelace@example.com"],
    ["\t\r\n\v\fada@example.com \t", "ada@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["x@a-b.io", "x@a-b.io"],
    ["ada@KEEL.com", "ada@keel.com"],
  ])("accepts %j as %j", (input, normalised) => {
    expect(Email.parse(input)._unsafeUnwrap()).toBe(normalised);
  });

  it.each([
    ["", "but got an empty string"],
    [" \t ", "but got an empty string"],
    ["ada", "but it has no @"],
    ["@example.com", "but it has nothing before the @"],
    ["ada@", "but it has nothing after the @"],
    ["ada@localhost", "but its domain has a single label"],
    ["ada@example.123", "but its top-level domain does not start with a letter"],
    ["ada@example.c", "but its top-level domain does not start with a letter or is a single character"],
    ["ada@-example.com", "but a domain label is not 1 to 63"],
    ["ada@example-.com", "but a domain label is not 1 to 63"],
    ["ada@example..com", "but its domain starts or ends with a dot, or has two in a row"],
    ["ada@exa mple.com", "but it has whitespace or a control character inside"],
    ["ada@example.com\r\nBcc: victim@example.com", "but it has whitespace or a control character inside"],
    ["ada\u0000@example.com", "but it has whitespace or a control character inside"],
    ["a..b@example.com", "but the part before the @ starts or ends with a dot, or has two in a row"],
    [".ada@example.com", "but the part before the @ starts or ends with a dot, or has two in a row"],
    ["a(b)@example.com", "but the part before the @ has a character that is not allowed there"],
    ['"ada"@example.com', "but it has a quoted part or more than one @"],
    ["ada@b@example.com", "but it has a quoted part or more than one @"],
    ["ada@[127.0.0.1]", "but its domain is an IP address literal"],
    ["ada@exämple.com", "but it has a non-ASCII character"],
    [`${"a".repeat(65)}@example.com`, "but the part before the @ is longer than 64 characters"],
    [`a@${"b".repeat(64)}.com`, "but a domain label is not 1 to 63"],
    [`a@${"b.".repeat(130)}com`, "but it is longer than 254 characters"],
    [42, "but got a number"],
    [null, "but got null"],
    [["ada@example.com"], "but got an array"],
  ])("refuses %j, saying %j", (input, reason) => {
    const error = Email.parse(input)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(BrandError);
    expect(error.brand).toBe("Email");
    expect(error.issues[0]?.message).toContain(`Expected an email address, ${reason}`);
  });

  it("refuses a domain with KELVIN SIGN rather than folding it into k (normalise after validating)", () => {
    expect(Email.parse("ada@keel.com")._unsafeUnwrap()).toBe("ada@keel.com");
    expect(messageOf("ada@\u212Aeel.com")).toContain("non-ASCII");
    expect(Email.parse("ada@KEEL.COM")._unsafeUnwrap()).toBe("ada@keel.com");
    expect(Email.is("\u212A@keel.com")).toBe(false);
    expect(Email.parse("ada@\u212B.com").isErr()).toBe(true);
  });

  it.each([
    ["NBSP", "\u00A0"],
    ["BOM", "\uFEFF"],
    ["LINE SEPARATOR", "\u2028"],
    ["IDEOGRAPHIC SPACE", "\u3000"],
    ["ZERO WIDTH SPACE", "\u200B"],
  ])("does not trim %s: only ASCII whitespace counts as surrounding whitespace", (_, space) => {
    expect(Email.parse(`${space}ada@example.com`).isErr()).toBe(true);
    expect(Email.parse(`ada@example.com${space}`).isErr()).toBe(true);
    expect(messageOf(`ada@example.com${space}`)).toContain("non-ASCII");
  });

  it("does not echo the address in the error", () => {
    const error = Email.parse("ada.lovelace@@example.com")._unsafeUnwrapErr();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("lovelace");
  });

  it("answers a long hostile string at once (no catastrophic backtracking)", () => {
    expect(Email.is(`${"a.".repeat(50_000)}@example.com`)).toBe(false);
    expect(Email.is(`a@${"a-".repeat(50_000)}`)).toBe(false);
    expect(Email.is(`${" ".repeat(50_000)}a${" ".repeat(50_000)}`)).toBe(false);
  });
});

describe("Email properties (fast-check)", () => {
  it("never throws, and everything it accepts parses again unchanged", () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), emailish, fc.string(), fc.anything()), (input) => {
        const parsed = Email.parse(input);
        if (parsed.isErr()) expect(parsed.error).toBeInstanceOf(BrandError);
        else expect(Email.parse(parsed.value)._unsafeUnwrap()).toBe(parsed.value);
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts exactly what the ASCII rules accept, whatever Unicode is around or inside", () => {
    fc.assert(
      fc.property(fc.oneof(emailish, anyString({ maxLength: 40 }), fc.string()), (input) => {
        expect(Email.parse(input).isOk()).toBe(oracleAccepts(input));
      }),
      { numRuns: 1000 },
    );
  });

  it("normalises only an accepted address, and only by ASCII trimming and ASCII lower-casing of the domain", () => {
    fc.assert(
      fc.property(emailish, (input) => {
        const parsed = Email.parse(input);
        if (parsed.isErr()) return;
        const core = asciiTrim(input);
        const at = core.lastIndexOf("@");
        expect(parsed.value).toBe(`${core.slice(0, at)}@${asciiLower(core.slice(at + 1))}`);
        // So two accepted inputs that become one address differ only in ASCII whitespace and domain case.
        expect(/^[\x21-\x7e]+$/.test(core)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses every string with a non-ASCII character, naming that reason", () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.nat(),
        anyString({ minLength: 1, maxLength: 2 }).filter((s) => [...s].some((c) => c.charCodeAt(0) > 0x7f)),
        (address, at, inserted) => {
          const i = at % (address.length + 1);
          const input = address.slice(0, i) + inserted + address.slice(i);
          const message = messageOf(input);
          expect(message).toBeDefined();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
