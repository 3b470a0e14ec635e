import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Argon2idPhc,
  decodeBase64,
  encodeBase64,
  type Phc,
  type PhcLimits,
  parsePhc,
  type ScryptPhc,
  serializePhc,
} from "../../src/password/phc.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs: not a time assertion.
const PROPERTY_TIMEOUT = 120_000;
const runs = { numRuns: 1000 };
const limits: PhcLimits = { maxMemoryKiB: 131_072 };

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
/** A PHC record of `algorithm` with the given cost fields, a salt and a hash. */
const phcOf = <P extends Phc>(
  algorithm: P["algorithm"],
  costs: { [K in Exclude<keyof P, "algorithm" | "salt" | "hash">]: fc.Arbitrary<P[K]> },
): fc.Arbitrary<P> =>
  fc
    .record({ ...costs, salt: bytes(8, 64), hash: bytes(16, 64) })
    .map((value) => ({ algorithm, ...value }) as P);
const argon2id = phcOf<Argon2idPhc>("argon2id", {
  parallelism: fc.integer({ min: 1, max: 16 }),
  memoryCost: fc.integer({ min: 128, max: 131_072 }),
  timeCost: fc.integer({ min: 1, max: 4 }),
});
const scrypt = phcOf<ScryptPhc>("scrypt", {
  cost: fc.integer({ min: 1, max: 17 }).map((ln) => 2 ** ln),
  blockSize: fc.integer({ min: 1, max: 8 }),
  parallelization: fc.integer({ min: 1, max: 4 }),
});
const validPhc = fc.oneof(argon2id, scrypt);

const big = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom("$", ",", "=", "argon2id", "m=1", "AAAA"))
  .map(([text, piece]) => `$${text}${piece}`.repeat(Math.ceil(100_000 / (text.length + piece.length + 1))));
const phcLike = fc
  .array(
    fc.oneof(
      fc.constantFrom("argon2id", "scrypt", "argon2i", "v=19", "v=16", "m=64,t=1,p=1", "ln=4,r=8,p=1", ""),
      fc.string({ unit: fc.constantFrom(..."mtplnrv=,0123456789+/AaZz$") }),
      fc.base64String(),
    ),
    { maxLength: 7 },
  )
  .map((parts) => `$${parts.join("$")}`);
const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), phcLike, big);

/** Applies a few edits (replace, insert, delete) to a string. */
const mutated = fc
  .tuple(
    validPhc.map(serializePhc),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 1, 2), fc.string({ minLength: 1, maxLength: 2 })), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [at, kind, insert] of edits) {
      const index = at % (out.length + 1);
      out =
        kind === 0
          ? out.slice(0, index) + insert + out.slice(index + 1)
          : kind === 1
            ? out.slice(0, index) + insert + out.slice(index)
            : out.slice(0, index) + out.slice(index + 1);
    }
    return out;
  });

describe("parsePhc (property)", () => {
  it(
    "never throws on any text (100 KB included): an ok value or a tagged error",
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const result = parsePhc(text, limits);
          if (result.isErr()) {
            expect(["PasswordHashMalformed", "PasswordHashUnsupported"]).toContain(result.error._tag);
          }
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "reads back what it writes, and writes back what it read (canonical)",
    () => {
      fc.assert(
        fc.property(validPhc, (phc) => {
          const text = serializePhc(phc);
          const parsed = parsePhc(text, limits);
          expect(parsed.isOk() && parsed.value).toEqual(phc);
          expect(parsed.isOk() && serializePhc(parsed.value)).toBe(text);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a mutated PHC string is an error or a hash that serializes back to itself in canonical order",
    () => {
      fc.assert(
        fc.property(mutated, (text) => {
          const parsed = parsePhc(text, limits);
          if (parsed.isOk()) {
            const again = parsePhc(serializePhc(parsed.value), limits);
            expect(again.isOk() && again.value).toEqual(parsed.value);
          }
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "accepts the parameters in any order (node-argon2 writes m,p,t), each once",
    () => {
      fc.assert(
        fc.property(
          argon2id,
          fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
          (phc, order) => {
            const [, , version, params, salt, hash] = serializePhc(phc).split("$");
            const shuffled = order.map((index) => params?.split(",")[index]).join(",");
            const parsed = parsePhc(`$argon2id$${version}$${shuffled}$${salt}$${hash}`, limits);
            expect(parsed.isOk() && parsed.value).toEqual(phc);
          },
        ),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("PHC base64", () => {
  it(
    "round-trips any bytes, and refuses anything but canonical unpadded base64",
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 20 }), (value, text) => {
          const encoded = encodeBase64(value);
          expect(encoded).not.toContain("=");
          expect(decodeBase64(encoded)).toEqual(value);
          const decoded = decodeBase64(text);
          if (decoded !== undefined) expect(encodeBase64(decoded)).toBe(text);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it("refuses padding, URL-safe characters, a dangling character and non-zero trailing bits", () => {
    expect(decodeBase64("c29tZXNhbHQ=")).toBeUndefined();
    expect(decodeBase64("c29tZXNhbHQ")).toEqual(new TextEncoder().encode("somesalt"));
    expect(decodeBase64("ab-_")).toBeUndefined();
    expect(decodeBase64("abcde")).toBeUndefined();
    expect(decodeBase64("AB")).toBeUndefined(); // 0b000000_000001: the last 4 bits must be 0
    expect(decodeBase64("AA")).toEqual(new Uint8Array([0]));
  });
});

describe("parsePhc (adversarial table)", () => {
  const salt = "c29tZXNhbHQ"; // "somesalt", 8 bytes
  const hash = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"; // 32 bytes
  const table: [string, string, "PasswordHashMalformed" | "PasswordHashUnsupported"][] = [
    ["empty", "", "PasswordHashMalformed"],
    ["no $", "argon2id$v=19$m=64,t=1,p=1$x$y", "PasswordHashMalformed"],
    ["bcrypt", "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "PasswordHashUnsupported"],
    ["argon2i", `$argon2i$v=19$m=64,t=1,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["argon2d", `$argon2d$v=19$m=64,t=1,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["version 16", `$argon2id$v=16$m=64,t=1,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["no version", `$argon2id$m=64,t=1,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["no hash", `$argon2id$v=19$m=64,t=1,p=1$${salt}`, "PasswordHashMalformed"],
    ["extra field", `$argon2id$v=19$m=64,t=1,p=1$${salt}$${hash}$`, "PasswordHashMalformed"],
    ["data=", `$argon2id$v=19$m=64,t=1,p=1,data=YWJj$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["keyid=", `$argon2id$v=19$m=64,t=1,p=1,keyid=k1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["m twice", `$argon2id$v=19$m=64,m=64,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["leading zero", `$argon2id$v=19$m=064,t=1,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    ["plus sign", `$argon2id$v=19$m=+64,t=1,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    ["11 digits", `$argon2id$v=19$m=10000000000,t=1,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    ["4 GiB of memory", `$argon2id$v=19$m=4194304,t=1,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["m = 2^32 - 1", `$argon2id$v=19$m=4294967295,t=1,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["a billion passes", `$argon2id$v=19$m=64,t=1000000000,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    [
      "work over 4 × the memory limit",
      `$argon2id$v=19$m=131072,t=5,p=1$${salt}$${hash}`,
      "PasswordHashUnsupported",
    ],
    ["17 lanes", `$argon2id$v=19$m=1024,t=1,p=17$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["m < 8p", `$argon2id$v=19$m=15,t=1,p=2$${salt}$${hash}`, "PasswordHashMalformed"],
    ["t = 0", `$argon2id$v=19$m=64,t=0,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    ["salt of 4 bytes", `$argon2id$v=19$m=64,t=1,p=1$YWJjZA$${hash}`, "PasswordHashUnsupported"],
    ["hash of 8 bytes", `$argon2id$v=19$m=64,t=1,p=1$${salt}$${salt}`, "PasswordHashUnsupported"],
    ["padded salt", `$argon2id$v=19$m=64,t=1,p=1$${salt}=$${hash}`, "PasswordHashMalformed"],
    ["scrypt 4 GiB", `$scrypt$ln=22,r=8,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["scrypt ln=63", `$scrypt$ln=63,r=8,p=1$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["scrypt ln=64", `$scrypt$ln=64,r=8,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    ["scrypt ln=0", `$scrypt$ln=0,r=8,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    ["scrypt p=17", `$scrypt$ln=4,r=8,p=17$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["scrypt work", `$scrypt$ln=17,r=8,p=5$${salt}$${hash}`, "PasswordHashUnsupported"],
    ["scrypt N (names are lower case)", `$scrypt$N=16,r=8,p=1$${salt}$${hash}`, "PasswordHashMalformed"],
    [
      "$7$ (libsodium scrypt)",
      "$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D",
      "PasswordHashUnsupported",
    ],
    ["100 KB", `$argon2id$v=19$m=64,t=1,p=1$${"A".repeat(100_000)}$${hash}`, "PasswordHashMalformed"],
  ];
  for (const [name, text, tag] of table) {
    it(`${name}: ${tag}`, () => {
      const result = parsePhc(text, limits);
      expect(result.isErr() && result.error._tag).toBe(tag);
      // The message is fixed words: it never repeats the stored salt or hash.
      expect(result.isErr() && result.error.message).not.toMatch(/c29tZXNhbHQ|CTFhFdXP|AAAAAAAA/);
    });
  }

  it("accepts the Argon2 reference vector and passlib's scrypt example", () => {
    expect(parsePhc(`$argon2id$v=19$m=65536,t=2,p=1$${salt}$${hash}`, limits).isOk()).toBe(true);
    const passlib =
      "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E";
    const parsed = parsePhc(passlib, limits);
    expect(parsed.isOk() && parsed.value.algorithm === "scrypt" && parsed.value.cost).toBe(65_536);
  });

  it("a non-string stored hash (a NULL column read as null) is an error, not a throw", () => {
    for (const value of [null, undefined, 42, {}, ["$argon2id"]]) {
      const result = parsePhc(value, limits);
      expect(result.isErr() && result.error._tag).toBe("PasswordHashMalformed");
    }
  });
});
