// The password hasher against node:crypto used directly, in the same process (see scripts/lib/bench.ts), at
// OWASP's costs: what the Result, the normalization, the PHC string and the constant-time comparison add to
// a native Argon2id hash. Key stretching is slow by design, so the pure-JS fallback (@noble/hashes) and
// scrypt are timed apart, with a few runs each, and printed per hash. Run this file on its own (the figures
// are per runtime):
//
//   node packages/http-security/bench/password.bench.ts          (Node 24; Node 20 needs it built to .mjs)
//   bun packages/http-security/bench/password.bench.ts
//   deno run -A packages/http-security/bench/password.bench.ts
import { createPasswordHasher } from "@keel/http-security/password";
import { compare, runCases } from "../../../scripts/lib/bench.ts";
import { selectBackends } from "../src/_internal/password-backends.ts";
import { parsePhc } from "../src/_internal/phc.ts";

type Callback = (error: Error | null, key: Uint8Array) => void;
interface NodeCrypto {
  argon2?: (algorithm: "argon2id", parameters: Record<string, unknown>, callback: Callback) => void;
  scrypt?: (
    p: Uint8Array,
    s: Uint8Array,
    length: number,
    options: Record<string, number>,
    cb: Callback,
  ) => void;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

const nodeCrypto = (await import("node:crypto")) as unknown as NodeCrypto;
const password = "correct horse battery staple";
const owasp = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const hasher = createPasswordHasher();
const info = await hasher.backends();
const encoder = new TextEncoder();

const nativeArgon2 = (salt: Uint8Array): Promise<Uint8Array> =>
  new Promise((resolve, reject) =>
    nodeCrypto.argon2?.(
      "argon2id",
      { message: password, nonce: salt, parallelism: 1, tagLength: 32, memory: 19_456, passes: 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );

if (typeof nodeCrypto.argon2 === "function") {
  const stored = (await hasher.hash(password)).unwrapOr("");
  const parsed = parsePhc(stored, { maxMemoryKiB: 131_072 });
  const salt = parsed.isOk() ? parsed.value.salt : new Uint8Array(16);
  const expected = parsed.isOk() ? parsed.value.hash : new Uint8Array(32);
  compare({
    name: "Argon2id hash, OWASP costs (m=19456, t=2, p=1)",
    anchor: {
      label: "node:crypto.argon2 directly",
      run: () => nativeArgon2(crypto.getRandomValues(new Uint8Array(16))),
    },
    keel: { label: "createPasswordHasher().hash()", run: () => hasher.hash(password) },
  });
  compare({
    name: "Argon2id verify, OWASP costs",
    anchor: {
      label: "node:crypto.argon2 + timingSafeEqual",
      run: async () => nodeCrypto.timingSafeEqual(await nativeArgon2(salt), expected),
    },
    keel: { label: "createPasswordHasher().verify()", run: () => hasher.verify(stored, password) },
  });
}

/** Mean milliseconds of `runs` sequential calls, after one warm-up. */
async function timeMs(runs: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const started = performance.now();
  for (let index = 0; index < runs; index++) await run();
  return (performance.now() - started) / runs;
}

/** Per-hash times of every backend this runtime has, at OWASP's costs. */
async function perHashFigures(): Promise<string[]> {
  const secret = encoder.encode(password);
  const noble = selectBackends({ nodeCrypto: undefined, bunPassword: undefined });
  const native = selectBackends({ nodeCrypto, bunPassword: undefined });
  const scrypt = { cost: 2 ** 17, blockSize: 8, parallelization: 1 };
  const lines = [
    `Argon2id @noble/hashes (pure JS) hash: ${(await timeMs(3, () => noble.argon2id.hash(secret, owasp))).toFixed(0)} ms`,
  ];
  if (native.argon2id.name !== "@noble/hashes") {
    lines.push(
      `Argon2id node:crypto hash: ${(await timeMs(10, () => native.argon2id.hash(secret, owasp))).toFixed(1)} ms`,
    );
  }
  const bun = (globalThis as { Bun?: { password: { hash(p: string, o: object): Promise<string> } } }).Bun;
  if (bun !== undefined) {
    const ms = await timeMs(10, () =>
      bun.password.hash(password, { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 }),
    );
    lines.push(`Argon2id Bun.password.hash: ${ms.toFixed(1)} ms`);
  }
  if (native.scrypt.name !== "@noble/hashes") {
    lines.push(
      `scrypt node:crypto hash (N=2^17, r=8, p=1): ${(await timeMs(3, () => native.scrypt.hash(secret, scrypt))).toFixed(0)} ms`,
    );
  }
  lines.push(
    `scrypt @noble/hashes (pure JS) hash: ${(await timeMs(2, () => noble.scrypt.hash(secret, scrypt))).toFixed(0)} ms`,
  );
  return lines;
}

// Run on its own (not imported by scripts/bench.ts): print the ratios and the per-hash figures.
const main =
  (import.meta as { main?: boolean }).main ?? import.meta.url.endsWith(String(globalThis.process?.argv[1]));
if (main) {
  const runtime = [
    (globalThis as { Deno?: { version: { deno: string } } }).Deno?.version.deno &&
      `Deno ${(globalThis as { Deno?: { version: { deno: string } } }).Deno?.version.deno}`,
    (globalThis as { Bun?: { version: string } }).Bun &&
      `Bun ${(globalThis as { Bun?: { version: string } }).Bun?.version}`,
    `node:process ${globalThis.process?.version}`,
  ]
    .filter(Boolean)
    .join(", ");
  console.log(`${runtime}; backends: ${JSON.stringify(info)}`);
  for (const row of await runCases()) {
    console.log(
      `${row.name}: ${row.anchorLabel} ${(row.anchorNs / 1e6).toFixed(2)} ms, ${row.keelLabel} ${(row.keelNs / 1e6).toFixed(2)} ms, ratio ${row.ratio.toFixed(3)}x`,
    );
  }
  for (const line of await perHashFigures()) console.log(line);
}
