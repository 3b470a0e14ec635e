import { runtime } from "@keel/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Argon2idBackend, ScryptBackend } from "../../src/password/backend.ts";
import { findBunPassword } from "../../src/password/backend-bun.ts";
import type { NodeCryptoKdf } from "../../src/password/backend-node.ts";
import { createPasswordHasher, type PasswordHasherOptions } from "../../src/password/index.ts";
import { type Argon2idPhc, parsePhc, type ScryptPhc, serializePhc } from "../../src/password/phc.ts";
import { selectBackends } from "../../src/password/select-backends.ts";
import { startArgon2idPool } from "../../src/password/worker-pool.ts";

// Key stretching at OWASP's costs takes up to a second or two in pure JS on the slower legs.
const SLOW = 60_000;

/** Cheap costs, so the suite stays fast; the tests marked "defaults" use OWASP's. */
const cheap = (options: PasswordHasherOptions = {}) =>
  createPasswordHasher({
    allowWeakParameters: true,
    argon2id: { memoryCost: 256, timeCost: 1 },
    scrypt: { cost: 1024, blockSize: 8, parallelization: 1 },
    ...options,
  });

const horse = "correct horse battery staple";
const umlauts = "p\u00e4ssw\u00f6rd \u{1F511}"; // NFC

/**
 * Hashes made elsewhere, committed: each leg verifies every one (a hash made on one runtime verifies on
 * every other). Made by node-argon2 0.45 (which writes m,p,t), node:crypto on Node 24, Bun.password on
 * Bun 1.4, and @noble/hashes (the Deno and workerd path).
 */
const fixtures: readonly { source: string; password: string; phc: string }[] = [
  {
    source: "node-argon2",
    password: horse,
    phc: "$argon2id$v=19$m=256,p=1,t=1$5KgCAxq2VVgmXCvUW2zXJw$/Ssxr65eX2D+w0dMq/Sy0RFGTrZ8xkAp2A4b36fipQg",
  },
  {
    source: "node-argon2, p=2, 16-byte hash, 8-byte salt",
    password: umlauts,
    phc: "$argon2id$v=19$m=512,p=2,t=2$c2FsdHNhbHQ$q5x4j6IpmmJGFuezkVz5+w",
  },
  {
    source: "node-argon2, p=4, 64-byte hash, NUL in the password",
    password: "a\u0000b",
    phc: "$argon2id$v=19$m=256,p=4,t=3$nEugmBNz+WOpq4jBxDnF8w$hEALcEz4EmtS6oTnWptzEGerRzmSRmzTDTTbb2rw/p2EYxVUosbFbKywlPxkrPNkT3Un/6ebZ20qcPtzUc32PA",
  },
  {
    source: "node:crypto.argon2, 32-byte salt",
    password: horse,
    phc: "$argon2id$v=19$m=384,t=1,p=1$tjPrXHsN9dGpJPe5Wp6irDQj1JmTCEKda9mFXB8kgig$cz+DJU9B+Iim4DcZbRq1yS34NSJaA8npT9QH020eSV0",
  },
  {
    source: "Bun.password",
    password: horse,
    phc: "$argon2id$v=19$m=256,t=1,p=1$li9l1BZUXWfzlQaPZO6Y1+tg3PO2NKuaMelzLxvCgs8$X4LZwTZluxYl3lQCCsC7JuY6mrfoQinTpb8ym4JTkSc",
  },
  {
    source: "@noble/hashes argon2id",
    password: umlauts,
    phc: "$argon2id$v=19$m=256,t=2,p=1$wW4CLUTGM3z9qjq6Vq2o4A$roKdzMdkg2jUyhIrgG1kCiNn4xlbaWqp+IstSNdzE9E",
  },
  {
    source: "node:crypto.scrypt",
    password: horse,
    phc: "$scrypt$ln=10,r=8,p=1$B5Zl4VkQqriZjB2Kq+zbNg$WqrCMWXVo5jQ9fNN6nOriIPrD8kiPA5tWCg/lwqLhhA",
  },
  {
    source: "node:crypto.scrypt, r=4, p=2, 64-byte hash, NUL in the password",
    password: "a\u0000b",
    phc: "$scrypt$ln=8,r=4,p=2$mzpJzBt56wdRcMhvRTlXNoVWes5CoZhAcTRwwF64hXk$ZnW9Li1rJrt1HNFPD27ZB2WF9cuxBA7ecYbYR69gMUlpY1ebYWnVlxNeEMwkl7uRohrhZ3dCiEkeNd5Rd/Fzfw",
  },
  {
    source: "the Argon2 reference implementation's test vector (src/test.c, t=2, m=2^8, p=1)",
    password: "password",
    phc: "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
  },
  {
    source: "the Argon2 reference implementation's test vector (src/test.c, t=2, m=2^8, p=2)",
    password: "password",
    phc: "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
  },
  {
    source: "RFC 7914's scrypt test vector (pleaseletmein, SodiumChloride, N=16384, r=8, p=1)",
    password: "pleaseletmein",
    phc: "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw",
  },
  {
    source: "@noble/hashes scrypt",
    password: umlauts,
    phc: "$scrypt$ln=9,r=8,p=1$kXCvCgSQcBA+KB3/p0+4Ww$UFd4CrWztgqThHauj5n5LgLmjuSL6mE3VNq3sC0gq7s",
  },
];

/** At OWASP's Argon2id costs (19 MiB), and passlib's published scrypt example (64 MiB). */
const defaultFixtures: readonly { source: string; password: string; phc: string }[] = [
  {
    source: "node-argon2 at OWASP's costs",
    password: horse,
    phc: "$argon2id$v=19$m=19456,p=1,t=2$BIju39deDzFZVX4chO7Geg$y8yvgq6YmrBghTIZnPuutTZw6KZ3UMOdcJxPaZa5mRE",
  },
  {
    source: "passlib's scrypt example",
    password: "password",
    phc: "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
  },
];

const encoder = new TextEncoder();
const limits = { maxMemoryKiB: 131_072 };
const parsed = (phc: string) => {
  const result = parsePhc(phc, limits);
  if (result.isErr()) throw result.error;
  return result.value;
};

async function importNodeCrypto(): Promise<NodeCryptoKdf | undefined> {
  try {
    return await import("node:crypto");
  } catch {
    return undefined;
  }
}

/** Every backend this runtime has, each on its own (not only the one the hasher picks). */
async function everyBackend(): Promise<{ argon2id: Argon2idBackend[]; scrypt: ScryptBackend[] }> {
  const nodeCrypto = await importNodeCrypto();
  const bunPassword = findBunPassword();
  const argon2idPool = await startArgon2idPool(1); // undefined where there are no threads (workerd)
  const argon2id = new Map<string, Argon2idBackend>();
  const scrypt = new Map<string, ScryptBackend>();
  for (const env of [
    { nodeCrypto, bunPassword: undefined },
    { nodeCrypto: undefined, bunPassword },
    { nodeCrypto: undefined, bunPassword: undefined, argon2idPool },
    { nodeCrypto: undefined, bunPassword: undefined },
  ]) {
    const backends = selectBackends(env);
    argon2id.set(`${backends.argon2id.name} (${backends.argon2id.runsOn})`, backends.argon2id);
    scrypt.set(`${backends.scrypt.name} (${backends.scrypt.runsOn})`, backends.scrypt);
  }
  return { argon2id: [...argon2id.values()], scrypt: [...scrypt.values()] };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createPasswordHasher: defaults", () => {
  it(
    "hashes with OWASP's Argon2id costs and verifies (defaults, on every leg)",
    async () => {
      const passwords = createPasswordHasher();
      const stored = await passwords.hash(horse);
      expect(stored.isOk()).toBe(true);
      const phc = stored._unsafeUnwrap();
      expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect((await passwords.verify(phc, horse))._unsafeUnwrap()).toBe(true);
      expect(passwords.needsRehash(phc)).toBe(false);
    },
    SLOW,
  );

  it("picks the fastest backend this runtime has, off the main thread where there are threads", async () => {
    const nodeCrypto = await importNodeCrypto();
    const info = await createPasswordHasher().backends();
    const nativeArgon2 = typeof nodeCrypto?.argon2 === "function";
    const threads = runtime !== "workerd";
    expect(info.argon2id).toBe(
      nativeArgon2
        ? "node:crypto"
        : findBunPassword()
          ? "Bun.password"
          : threads
            ? "hash-wasm"
            : "@noble/hashes",
    );
    expect(info.argon2idRunsOn).toBe(
      nativeArgon2 || findBunPassword() ? "thread pool" : threads ? "worker" : "main thread",
    );
    expect(info.scrypt).toBe(typeof nodeCrypto?.scrypt === "function" ? "node:crypto" : "@noble/hashes");
    expect(info.scryptRunsOn).toBe(typeof nodeCrypto?.scrypt === "function" ? "thread pool" : "main thread");
    expect(info.algorithm).toBe("argon2id");
    if (runtime === "node" || runtime === "bun") {
      const [major = 0, minor = 0] = (globalThis.process?.versions.node ?? "0.0").split(".").map(Number);
      expect(nativeArgon2).toBe(runtime === "bun" || major > 24 || (major === 24 && minor >= 7));
    }
    if (runtime === "deno") {
      expect(info).toEqual({
        algorithm: "argon2id",
        argon2id: "hash-wasm",
        scrypt: "node:crypto",
        argon2idRunsOn: "worker",
        scryptRunsOn: "thread pool",
      });
    }
  });

  it('"best" writes Argon2id where it is native and scrypt where it is not', async () => {
    const passwords = cheap({ algorithm: "best" });
    const info = await passwords.backends();
    expect(info.algorithm).toBe(info.argon2id === "@noble/hashes" ? "scrypt" : "argon2id");
    const phc = (await passwords.hash(horse))._unsafeUnwrap();
    expect(phc.startsWith(`$${info.algorithm}$`)).toBe(true);
    expect((await passwords.hash(horse))._unsafeUnwrap()).not.toBe(phc); // a fresh salt each time
    expect((await passwords.verify(phc, horse))._unsafeUnwrap()).toBe(true);
  });

  it("scrypt when asked, with the PHC form passlib writes", async () => {
    const passwords = cheap({ algorithm: "scrypt" });
    const phc = (await passwords.hash(horse))._unsafeUnwrap();
    expect(phc).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect((await passwords.verify(phc, horse))._unsafeUnwrap()).toBe(true);
    expect((await passwords.verify(phc, "Correct horse battery staple"))._unsafeUnwrap()).toBe(false);
  });
});

describe("hashes made elsewhere verify on every leg", () => {
  const passwords = cheap();
  for (const { source, password, phc } of fixtures) {
    it(`${source}: ${phc.slice(0, 30)}…`, async () => {
      expect((await passwords.verify(phc, password))._unsafeUnwrap()).toBe(true);
      expect((await passwords.verify(phc, `${password}x`))._unsafeUnwrap()).toBe(false);
      expect((await passwords.verify(phc, password.slice(1)))._unsafeUnwrap()).toBe(false);
    });
  }

  const defaults = createPasswordHasher();
  for (const { source, password, phc } of defaultFixtures) {
    it(
      `${source} (defaults: 19 to 128 MiB)`,
      async () => {
        expect((await defaults.verify(phc, password))._unsafeUnwrap()).toBe(true);
      },
      SLOW,
    );
  }
});

describe("each backend of this runtime agrees with every other", () => {
  it("verifies every fixture of its algorithm, and its hashes verify on the others", async () => {
    const { argon2id, scrypt } = await everyBackend();
    expect(argon2id.map((backend) => backend.name)).toContain("@noble/hashes");
    if (runtime !== "workerd") expect(argon2id.map((backend) => backend.runsOn)).toContain("worker");
    expect(scrypt.map((backend) => backend.name)).toContain("@noble/hashes");
    for (const { password, phc } of fixtures) {
      const stored = parsed(phc);
      const secret = encoder.encode(password);
      const wrong = encoder.encode(`${password}.`);
      const backends: (Argon2idBackend | ScryptBackend)[] =
        stored.algorithm === "argon2id" ? argon2id : scrypt;
      for (const backend of backends) {
        const verify = (bytes: Uint8Array) =>
          stored.algorithm === "argon2id"
            ? (backend as Argon2idBackend).verify(bytes, stored as Argon2idPhc)
            : (backend as ScryptBackend).verify(bytes, stored as ScryptPhc);
        expect([backend.name, await verify(secret)]).toEqual([backend.name, true]);
        expect([backend.name, await verify(wrong)]).toEqual([backend.name, false]);
      }
    }
    const secret = encoder.encode(umlauts);
    for (const maker of argon2id) {
      const made = await maker.hash(secret, { memoryCost: 256, timeCost: 2, parallelism: 1 });
      const text = serializePhc(made);
      for (const checker of argon2id) {
        expect([maker.name, checker.name, await checker.verify(secret, parsed(text) as Argon2idPhc)]).toEqual(
          [maker.name, checker.name, true],
        );
      }
    }
    for (const maker of scrypt) {
      const made = await maker.hash(secret, { cost: 512, blockSize: 8, parallelization: 2 });
      for (const checker of scrypt) {
        expect(await checker.verify(secret, parsed(serializePhc(made)) as ScryptPhc)).toBe(true);
      }
    }
  });

  it.skipIf(runtime !== "bun")(
    "Bun.password, for a Bun without node:crypto.argon2 (Bun only: it is Bun's API)",
    async () => {
      const bunPassword = findBunPassword();
      expect(bunPassword).toBeDefined();
      const backend = selectBackends({ nodeCrypto: undefined, bunPassword }).argon2id;
      expect(backend.name).toBe("Bun.password");
      const secret = encoder.encode(horse);
      const made = await backend.hash(secret, { memoryCost: 256, timeCost: 1, parallelism: 1 });
      expect(made.salt.length).toBe(32);
      const noble = selectBackends({ nodeCrypto: undefined, bunPassword: undefined }).argon2id;
      expect(await noble.verify(secret, made)).toBe(true);
      // p > 1 is not Bun.password's: the fallback hashes it, and Bun verifies it.
      const wide = await backend.hash(secret, { memoryCost: 256, timeCost: 1, parallelism: 2 });
      expect(wide.parallelism).toBe(2);
      expect(await backend.verify(secret, wide)).toBe(true);
    },
  );
});

const nodeMajor = Number(globalThis.process?.versions?.node?.split(".")[0] ?? 0);

describe.skipIf(runtime !== "node" || nodeMajor < 22)(
  "node-argon2 interoperability (Node >= 22 only: node-argon2 is a Node addon, and its 0.45 prebuild segfaults on Node 20)",
  () => {
    it(
      "node-argon2 verifies our hashes (defaults), and we verify its hashes",
      async () => {
        const argon2 = await import("argon2");
        const ours = createPasswordHasher();
        const mine = (await ours.hash(umlauts))._unsafeUnwrap();
        const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
        expect(await argon2.verify(mine, umlauts)).toBe(true);
        expect(await argon2.verify(mine, `${umlauts}x`)).toBe(false);
        expect(argon2.needsRehash(mine, options)).toBe(false);
        const theirs = await argon2.hash(umlauts, options);
        expect(theirs).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
        expect((await ours.verify(theirs, umlauts))._unsafeUnwrap()).toBe(true);
        expect((await ours.verify(theirs, umlauts.normalize("NFD")))._unsafeUnwrap()).toBe(true);
        expect(ours.needsRehash(theirs)).toBe(false); // m,p,t: the same costs
        const cheapTheirs = await argon2.hash("a\u0000b", {
          type: argon2.argon2id,
          memoryCost: 256,
          timeCost: 1,
          parallelism: 2,
        });
        const passwords = cheap();
        expect((await passwords.verify(cheapTheirs, "a\u0000b"))._unsafeUnwrap()).toBe(true);
        expect((await passwords.verify(cheapTheirs, "a"))._unsafeUnwrap()).toBe(false);
        expect(passwords.needsRehash(cheapTheirs)).toBe(true); // p=2, configured p=1
      },
      SLOW,
    );
  },
);

describe("bad input", () => {
  const passwords = cheap({ maxPasswordBytes: 64 });
  const known = passwords.hash(horse).then((result) => result._unsafeUnwrap());

  it("an empty password is refused when hashing and when verifying", async () => {
    expect((await passwords.hash(""))._unsafeUnwrapErr()._tag).toBe("PasswordEmpty");
    expect((await passwords.verify(await known, ""))._unsafeUnwrapErr()._tag).toBe("PasswordEmpty");
    expect((await passwords.verifyUser(undefined, ""))._unsafeUnwrapErr()._tag).toBe("PasswordEmpty");
  });

  it("a password over maxPasswordBytes is refused, never truncated; 1 MB costs no key stretching", async () => {
    const max = "x".repeat(64);
    const stored = (await passwords.hash(max))._unsafeUnwrap();
    expect((await passwords.verify(stored, max))._unsafeUnwrap()).toBe(true);
    const over = await passwords.hash(`${max}x`);
    expect(over._unsafeUnwrapErr()._tag).toBe("PasswordTooLong");
    expect(over._unsafeUnwrapErr().message).not.toContain(max);
    expect((await passwords.verify(stored, `${max}x`))._unsafeUnwrapErr()._tag).toBe("PasswordTooLong");
    expect((await passwords.hash("é".repeat(33)))._unsafeUnwrapErr()._tag).toBe("PasswordTooLong"); // 66 bytes
    const sign = vi.spyOn(crypto.subtle, "sign");
    const huge = "\u{1F511}".repeat(262_144); // 1 MiB of UTF-8
    for (const hasher of [passwords, createPasswordHasher()]) {
      expect((await hasher.hash(huge))._unsafeUnwrapErr()._tag).toBe("PasswordTooLong");
      expect((await hasher.verify(await known, huge))._unsafeUnwrapErr()._tag).toBe("PasswordTooLong");
      expect((await hasher.verifyUser(undefined, huge))._unsafeUnwrapErr()._tag).toBe("PasswordTooLong");
    }
    expect(sign).not.toHaveBeenCalled(); // no derivation ran, so no comparison either
  });

  it("NUL bytes are kept: a\\0b, a and ab are three passwords", async () => {
    const stored = (await passwords.hash("a\u0000b"))._unsafeUnwrap();
    for (const [password, expected] of [
      ["a\u0000b", true],
      ["a", false],
      ["a\u0000", false],
      ["ab", false],
      ["a\u0000b\u0000", false],
    ] as const) {
      expect([password, (await passwords.verify(stored, password))._unsafeUnwrap()]).toEqual([
        password,
        expected,
      ]);
    }
  });

  it("NFC by default: é precomposed and decomposed are one password; the bound counts the NFC bytes", async () => {
    const nfd = "caf\u0065\u0301 cr\u0065\u0300me";
    const nfc = nfd.normalize("NFC");
    expect(nfc).not.toBe(nfd);
    const stored = (await passwords.hash(nfd))._unsafeUnwrap();
    expect((await passwords.verify(stored, nfc))._unsafeUnwrap()).toBe(true);
    expect((await passwords.verify(stored, nfd))._unsafeUnwrap()).toBe(true);
    // A hash of the NFC bytes made by another library verifies with the NFD form too.
    expect(
      (await passwords.verify(fixtures[1]!.phc, fixtures[1]!.password.normalize("NFD")))._unsafeUnwrap(),
    ).toBe(true);
    // 32 × "é": 64 bytes in NFC (accepted), 96 in NFD (accepted too: counted after normalization).
    const tight = "e\u0301".repeat(32);
    expect((await passwords.hash(tight)).isOk()).toBe(true);
    // Compatibility forms are not folded: NFC, not NFKC.
    expect(
      (await passwords.verify((await passwords.hash("\uFB01"))._unsafeUnwrap(), "fi"))._unsafeUnwrap(),
    ).toBe(false);
  });

  it('normalization: "none" hashes the code points as given', async () => {
    const raw = cheap({ normalization: "none", maxPasswordBytes: 64 });
    const stored = (await raw.hash("caf\u0065\u0301"))._unsafeUnwrap();
    expect((await raw.verify(stored, "caf\u00e9"))._unsafeUnwrap()).toBe(false);
    expect((await raw.verify(stored, "caf\u0065\u0301"))._unsafeUnwrap()).toBe(true);
    expect((await raw.hash("e\u0301".repeat(32)))._unsafeUnwrapErr()._tag).toBe("PasswordTooLong");
  });

  it("a lone surrogate is refused (it has no UTF-8 form); a pair is fine", async () => {
    for (const password of ["\ud800", "a\udfffb", "\udc00\ud800"]) {
      expect((await passwords.hash(password))._unsafeUnwrapErr()._tag).toBe("PasswordNotWellFormed");
      expect((await passwords.verify(await known, password))._unsafeUnwrapErr()._tag).toBe(
        "PasswordNotWellFormed",
      );
    }
    expect((await passwords.hash("\ud83d\udd11")).isOk()).toBe(true);
  });

  it("a password that is not a string is a programmer error: TypeError", async () => {
    await expect(passwords.hash(42 as unknown as string)).rejects.toThrow(TypeError);
  });

  it("stored hashes that cannot be read are tagged errors, never throws, never verified", async () => {
    const table: [string, string][] = [
      ["", "PasswordHashMalformed"],
      ["$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "PasswordHashUnsupported"],
      [
        "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "PasswordHashUnsupported",
      ],
      [
        "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "PasswordHashUnsupported",
      ],
      [
        "$scrypt$ln=25,r=8,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "PasswordHashUnsupported",
      ],
      [`$argon2id$v=19$m=64,t=1,p=1$${"A".repeat(100_000)}$x`, "PasswordHashMalformed"],
    ];
    for (const [phc, tag] of table) {
      const result = await passwords.verify(phc, horse);
      expect(result._unsafeUnwrapErr()._tag).toBe(tag);
      expect(result._unsafeUnwrapErr().message).not.toContain("c29tZXNhbHQ");
      expect((await passwords.verifyUser(phc, horse))._unsafeUnwrapErr()._tag).toBe(tag);
      expect(passwords.needsRehash(phc)).toBe(true);
    }
    expect((await passwords.verify(null as unknown as string, horse))._unsafeUnwrapErr()._tag).toBe(
      "PasswordHashMalformed",
    );
  });

  it("maxMemoryKiB lowers what a stored hash may ask for", async () => {
    const frugal = cheap({ maxMemoryKiB: 300, scrypt: { cost: 256, blockSize: 8 } });
    expect((await frugal.verify(fixtures[0]!.phc, horse))._unsafeUnwrap()).toBe(true); // m=256
    expect((await frugal.verify(fixtures[3]!.phc, horse))._unsafeUnwrapErr()._tag).toBe(
      "PasswordHashUnsupported",
    ); // m=384
  });
});

describe("verifyUser: no user enumeration by timing", () => {
  it("with no stored hash it derives a dummy hash at the current costs and answers false", async () => {
    for (const algorithm of ["argon2id", "scrypt"] as const) {
      const passwords = cheap({ algorithm });
      const stored = (await passwords.hash(horse))._unsafeUnwrap();
      const sign = vi.spyOn(crypto.subtle, "sign");
      expect((await passwords.verifyUser(stored, horse))._unsafeUnwrap()).toBe(true);
      const real = sign.mock.calls.length;
      expect(real).toBe(2); // one constant-time comparison: two HMACs
      expect((await passwords.verifyUser(undefined, horse))._unsafeUnwrap()).toBe(false);
      expect((await passwords.verifyUser(null, horse))._unsafeUnwrap()).toBe(false);
      expect(sign.mock.calls.length).toBe(3 * real); // the same work, twice more
      sign.mockRestore();
      expect((await passwords.verifyUser(stored, "wrong"))._unsafeUnwrap()).toBe(false);
    }
  });
});

describe("needsRehash", () => {
  const passwords = cheap();
  it("is false for the current algorithm and costs, true for anything else", async () => {
    const current = (await passwords.hash(horse))._unsafeUnwrap();
    expect(passwords.needsRehash(current)).toBe(false);
    expect(passwords.needsRehash(current.replace("m=256,t=1,p=1", "m=256,p=1,t=1"))).toBe(false);
    expect(cheap({ argon2id: { memoryCost: 512, timeCost: 1 } }).needsRehash(current)).toBe(true); // stronger now
    expect(cheap({ argon2id: { memoryCost: 256, timeCost: 2 } }).needsRehash(current)).toBe(true);
    expect(cheap({ argon2id: { memoryCost: 256, timeCost: 1, parallelism: 2 } }).needsRehash(current)).toBe(
      true,
    );
    expect(cheap({ algorithm: "scrypt" }).needsRehash(current)).toBe(true); // another algorithm
    expect(createPasswordHasher().needsRehash(current)).toBe(true); // weaker than the defaults
    const scrypt = (await cheap({ algorithm: "scrypt" }).hash(horse))._unsafeUnwrap();
    expect(passwords.needsRehash(scrypt)).toBe(true);
    expect(cheap({ algorithm: "scrypt", scrypt: { cost: 2048, blockSize: 8 } }).needsRehash(scrypt)).toBe(
      true,
    );
    // OWASP's 128 MiB scrypt row (made by node:crypto) is within the default limits, and current when
    // configured; the default is its 32 MiB equivalent (N = 2^15, p = 3), so it is rehashed to that.
    const owaspScrypt =
      "$scrypt$ln=17,r=8,p=1$BHrygtL3HwzjTMTbwiG1wA$nWD6sgJz/YN6qDXydaXesWT3M3qnzilIyB8dKKAZPI4";
    const owaspCosts = { cost: 2 ** 17, blockSize: 8, parallelization: 1 };
    expect(createPasswordHasher({ algorithm: "scrypt", scrypt: owaspCosts }).needsRehash(owaspScrypt)).toBe(
      false,
    );
    expect(createPasswordHasher({ algorithm: "scrypt" }).needsRehash(owaspScrypt)).toBe(true);
    expect(createPasswordHasher().needsRehash(owaspScrypt)).toBe(true);
    // "best": either algorithm at its configured costs is current, so mixed fleets do not flip-flop.
    expect(cheap({ algorithm: "best" }).needsRehash(current)).toBe(false);
    expect(cheap({ algorithm: "best" }).needsRehash(scrypt)).toBe(false);
    // A short salt or a short output is rehashed; so is what cannot be read.
    expect(
      cheap({ argon2id: { memoryCost: 512, timeCost: 2, parallelism: 2 } }).needsRehash(fixtures[1]!.phc),
    ).toBe(true);
    expect(passwords.needsRehash("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")).toBe(true);
  });
});

describe("options are checked once, at set-up", () => {
  it("throws a TypeError naming the option", () => {
    const bad: [PasswordHasherOptions, string][] = [
      [{ algorithm: "md5" as "scrypt" }, "algorithm"],
      [{ normalization: "NFKC" as "NFC" }, "normalization"],
      [{ maxPasswordBytes: 0 }, "maxPasswordBytes"],
      [{ maxPasswordBytes: 1.5 }, "maxPasswordBytes"],
      [{ argon2id: { memoryCost: 4096, timeCost: 1 } }, "argon2id"],
      [{ scrypt: { cost: 2 ** 14, blockSize: 8 } }, "scrypt"],
      [{ scrypt: { cost: 1000 } }, "scrypt"],
      [{ argon2id: { parallelism: 0 } }, "argon2id.parallelism"],
      [{ maxMemoryKiB: 1024 }, "argon2id"],
      [{ allowWeakParameters: "yes" as unknown as boolean }, "allowWeakParameters"],
      // Unknown keys (a JavaScript caller, a config file): refused, with the nearest known name.
      [
        { maxPaswordBytes: 64 } as PasswordHasherOptions,
        "unknown option maxPaswordBytes \\(did you mean maxPasswordBytes\\?\\)",
      ],
      [{ argon2id: { memory: 19_456 } } as PasswordHasherOptions, "unknown option argon2id.memory"],
      [{ scrypt: { N: 2 ** 15 } } as PasswordHasherOptions, "unknown option scrypt.N"],
      [{ argon2: {} } as PasswordHasherOptions, "unknown option argon2 \\(did you mean argon2id\\?\\)"],
    ];
    for (const [options, name] of bad) {
      expect(() => createPasswordHasher(options)).toThrow(
        new RegExp(`^createPasswordHasher: ${name.replaceAll(".", "\\.")}`),
      );
      expect(() => createPasswordHasher(options)).toThrow(TypeError);
    }
    expect(() => createPasswordHasher({ argon2id: { memoryCost: 47_104, timeCost: 1 } })).not.toThrow(); // OWASP's m=46 MiB, t=1
    expect(() => createPasswordHasher({ scrypt: { cost: 2 ** 13, parallelization: 10 } })).not.toThrow(); // OWASP's N=2^13, p=10
    // Costs over the default memory limit raise it, unless maxMemoryKiB says otherwise.
    expect(() => createPasswordHasher({ argon2id: { memoryCost: 262_144, timeCost: 1 } })).not.toThrow();
  });
});
