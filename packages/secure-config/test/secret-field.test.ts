import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig, Secret, secret } from "../src/index.ts";
import { keyEncodings as encodings } from "./_internal/key-encodings.ts";

const environments = [undefined, "development", "staging", "test", "prod", "Production", "production"];

/** The issues of loading `value` into one `secret(options)`, in `environment` (or NODE_ENV unset). */
function issuesOf(value: string, environment: string | undefined, options?: Parameters<typeof secret>[0]) {
  const loaded = loadConfig(
    { KEY: secret(options) },
    environment === undefined ? { source: { KEY: value } } : { source: { KEY: value }, environment },
  );
  return loaded.isOk() ? [] : loaded.error.issues;
}

describe("secret({ minLength }) holds in every environment", () => {
  it.each(environments)("refuses a 5-character secret under minLength 32 (environment %s)", (environment) => {
    expect(issuesOf("abcde", environment, { minLength: 32 })).toEqual([
      { key: "KEY", reason: "is shorter than 32 characters" },
    ]);
  });

  it.each(environments)("accepts a random 32-character secret (environment %s)", (environment) => {
    const value = encodings.hex(crypto.getRandomValues(new Uint8Array(16)));
    expect(issuesOf(value, environment, { minLength: 32 })).toEqual([]);
  });

  it("counts characters, not UTF-16 units: 16 emoji are 16 characters", () => {
    expect(issuesOf("🔑".repeat(16), "development", { minLength: 17 })[0]?.reason).toBe(
      "is shorter than 17 characters",
    );
    expect(issuesOf("🔑".repeat(17), "development", { minLength: 17 })).toEqual([]);
  });

  it("holds for a default too: a short default throws at set-up, without the value", () => {
    expect(() => secret({ minLength: 32, default: "dev-only" })).toThrow(
      new TypeError("secret(): its default is refused: is shorter than 32 characters"),
    );
    expect(() => secret({ minLength: 32, default: new Secret("dev-only") })).toThrow(TypeError);
    expect(() => secret({ minLength: 8, default: "dev-only" })).not.toThrow();
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses minLength %s at set-up",
    (minLength) => {
      expect(() => secret({ minLength })).toThrow(
        new TypeError("secret(): minLength must be a positive integer"),
      );
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses minEntropyBits %s at set-up",
    (minEntropyBits) => {
      expect(() => secret({ minEntropyBits })).toThrow(TypeError);
    },
  );

  it("without minLength, only production asks for 16 characters, and says it is production's rule", () => {
    expect(issuesOf("dev-only", "development")).toEqual([]);
    expect(issuesOf("x7Kq!m2Z", "production")).toEqual([
      { key: "KEY", reason: "is shorter than 16 characters (production)" },
    ]);
  });

  it("keeps placeholders and weak defaults production-only, named as such", () => {
    for (const environment of ["development", "staging"]) {
      expect(issuesOf("CHANGE_ME_IN_PRODUCTION", environment)).toEqual([]);
    }
    expect(issuesOf("CHANGE_ME_IN_PRODUCTION", "production")).toEqual([
      { key: "KEY", reason: "looks like a placeholder (production)" },
    ]);
  });
});

describe("production refuses secrets made of common words and sequences", () => {
  it.each([
    "password1234567890",
    "admin1234567890123",
    "qwerty1234567890ab",
    "PASSWORD1234567890",
    "Admin_1234567890123",
    "ｐａｓｓｗｏｒｄ１２３４５６７８９０", // full-width: NFKD folds it to ASCII
    "ＡＤＭＩＮ１２３４５６７８９０１２３",
    "pass-word_1234.5678.90",
    "p.a.s.s.w.o.r.d.1.2.3.4.5.6.7.8",
    "pass\u200Bword\u200B1234567890", // zero-width spaces
    "pässwörd1234567890", // accents
    "p@ssw0rd-1234567890", // leetspeak
    "P@$$W0RD!2024!adm1n",
    "1234567890abcdefghijklmnop",
    "qwertyuiopasdfghjkl",
    "supersecretpassword2024",
    "my-super-secret-jwt-key-2024",
    "letmein-letmein-2024-admin",
    "passwordX7kQ2mP9",
  ])("%j", (weak) => {
    const issues = issuesOf(weak, "production");
    expect(issues).toEqual([{ key: "KEY", reason: "is made of common words or sequences (production)" }]);
    expect(issuesOf(weak, "development")).toEqual([]);
  });

  it("accepts random hex, base64 and base64url secrets of 32+ characters (fast-check)", () => {
    fc.assert(
      fc.property(
        // noBias: a secret is uniformly random bytes. fast-check's bias toward small and neighbouring values
        // makes runs like 00 00 … 01 02 03 04, which are rightly refused as sequences.
        fc.noBias(fc.uint8Array({ minLength: 16, maxLength: 96 })),
        fc.constantFrom(...(Object.keys(encodings) as (keyof typeof encodings)[])),
        (bytes, encoding) => {
          const value = encodings[encoding](bytes);
          fc.pre(value.length >= 32 && new Set(bytes).size >= bytes.length / 2);
          expect(issuesOf(value, "production", { minLength: 32 })).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("accepts a random secret with a common word in it when the rest is random", () => {
    const random = encodings.base64url(crypto.getRandomValues(new Uint8Array(32)));
    expect(issuesOf(`admin-${random}`, "production")).toEqual([]);
  });
});
