// The password hasher against node:crypto used directly, in the same process (see scripts/lib/bench.ts), at
// OWASP's costs: what the Result, the normalization, the PHC string and the constant-time comparison add to
// a native Argon2id hash. Then, printed per runtime: one hash at OWASP's costs by Keel, node:crypto.argon2,
// @node-rs/argon2, hash-wasm in a worker thread and @noble/hashes; and the event loop's worst stall while 50
// hashes run at once (a setTimeout(0) chain's longest gap), next to the same loop idle. Run it on its own:
//
//   npx node packages/http-security/bench/password.bench.ts [--workerd]   (Node 24; --workerd: miniflare too)
//   bun packages/http-security/bench/password.bench.ts
//   deno run -A packages/http-security/bench/password.bench.ts
//   Node 20: bundle it first (esbuild --bundle --platform=node --format=esm --packages=external), then run it
import { createPasswordHasher } from "@keel/http-security/password";
import { compare, runCases } from "../../../scripts/lib/bench.ts";
import { parsePhc } from "../src/password/phc.ts";
import { selectBackends } from "../src/password/select-backends.ts";
import { startArgon2idPool } from "../src/password/worker-pool.ts";

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

/** Per-hash times at OWASP's costs: Keel's default hasher next to the native libraries, where they load. */
async function perHashFigures(): Promise<string[]> {
  const secret = encoder.encode(password);
  const noble = selectBackends({ nodeCrypto: undefined, bunPassword: undefined });
  const native = selectBackends({ nodeCrypto, bunPassword: undefined });
  const lines = [
    `Argon2id Keel createPasswordHasher().hash() [${info.argon2id}, ${info.argon2idRunsOn}]: ${(await timeMs(5, () => hasher.hash(password))).toFixed(0)} ms`,
  ];
  if (typeof nodeCrypto.argon2 === "function") {
    lines.push(
      `Argon2id node:crypto.argon2: ${(await timeMs(5, () => nativeArgon2(crypto.getRandomValues(new Uint8Array(16))))).toFixed(0)} ms`,
    );
  }
  try {
    const rs = (await import("@node-rs/argon2")) as {
      hash(p: string, o: { memoryCost: number; timeCost: number; parallelism: number }): Promise<string>;
    };
    const ms = await timeMs(5, () => rs.hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 }));
    lines.push(`Argon2id @node-rs/argon2: ${ms.toFixed(0)} ms`);
  } catch (error) {
    lines.push(`Argon2id @node-rs/argon2: does not load here (${(error as Error).message.slice(0, 80)})`);
  }
  const pool = await startArgon2idPool(1);
  if (pool !== undefined) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const ms = await timeMs(5, () => pool.derive(secret, salt, owasp, 32));
    lines.push(`Argon2id ${pool.engine} in a worker thread: ${ms.toFixed(0)} ms`);
  }
  lines.push(
    `Argon2id @noble/hashes (pure JS, main thread): ${(await timeMs(2, () => noble.argon2id.hash(secret, owasp))).toFixed(0)} ms`,
  );
  if (native.scrypt.name !== "@noble/hashes") {
    const scrypt = { cost: 2 ** 15, blockSize: 8, parallelization: 3 };
    lines.push(
      `scrypt node:crypto hash (N=2^15, r=8, p=3): ${(await timeMs(3, () => native.scrypt.hash(secret, scrypt))).toFixed(0)} ms`,
    );
  }
  return lines;
}

/** The longest gap between two turns of a setTimeout(0) chain while `work` runs. */
async function worstStall(
  work: () => Promise<unknown>,
): Promise<{ worst: number; turns: number; ms: number }> {
  let last = performance.now();
  let worst = 0;
  let turns = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    turns++;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  const started = performance.now();
  await work();
  running = false;
  return { worst, turns, ms: performance.now() - started };
}

/** 50 logins at once at OWASP's costs: the event loop's worst stall, and the same loop idle for as long. */
async function stallFigures(): Promise<string[]> {
  await hasher.hash(password); // warm: the backend is detected, the worker thread started
  const busy = await worstStall(() => Promise.all(Array.from({ length: 50 }, () => hasher.hash(password))));
  const idle = await worstStall(() => new Promise((resolve) => setTimeout(resolve, busy.ms)));
  return [
    `50 concurrent hashes (OWASP costs): worst stall ${busy.worst.toFixed(1)} ms over ${(busy.ms / 1000).toFixed(1)} s (${busy.turns} turns); idle loop on this machine: worst ${idle.worst.toFixed(1)} ms`,
  ];
}

/** The same 50 hashes in workerd (miniflare, no flags), through the Workers entry. Node only. */
async function workerdStallFigures(): Promise<string[]> {
  const { build } = await import("esbuild");
  const { Miniflare, convertV4MiniflareOptions } = await import("miniflare");
  const here = new URL("..", import.meta.url).pathname;
  const code = `
import { createPasswordHasher } from "./src/password/workerd.ts";
const hasher = createPasswordHasher();
export default { async fetch() {
  await hasher.hash("warm up");
  let last = Date.now(), worst = 0, turns = 0, running = true;
  const tick = () => { const now = Date.now(); worst = Math.max(worst, now - last); last = now; turns++; if (running) setTimeout(tick, 0); };
  setTimeout(tick, 0);
  const started = Date.now();
  const one = Date.now(); await hasher.hash("correct horse battery staple"); const single = Date.now() - one;
  await Promise.all(Array.from({ length: 50 }, () => hasher.hash("correct horse battery staple")));
  running = false;
  return Response.json({ worst, turns, ms: Date.now() - started, single });
} };`;
  const bundle = await build({
    stdin: { contents: code, resolveDir: here, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? "",
      compatibilityDate: "2026-08-01",
    }),
    telemetry: { enabled: false },
  });
  try {
    const figures = (await (await mf.dispatchFetch("http://bench/")).json()) as Record<string, number>;
    return [
      `workerd (miniflare, no flags): one hash ${figures.single} ms; 50 concurrent hashes: worst stall ${figures.worst} ms over ${((figures.ms ?? 0) / 1000).toFixed(1)} s (${figures.turns} turns)`,
    ];
  } finally {
    await mf.dispose();
  }
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
      `${row.name}: ${row.anchorLabel} ${(row.anchorNs / 1e6).toFixed(2)} ms, ${row.keelLabel} ${(row.keelNs / 1e6).toFixed(2)} ms, speed ${row.speed.toFixed(3)}x`,
    );
  }
  for (const line of await perHashFigures()) console.log(line);
  for (const line of await stallFigures()) console.log(line);
  if (process.argv.includes("--workerd")) for (const line of await workerdStallFigures()) console.log(line);
  process.exit(0); // idle worker threads are unref'd; this only skips waiting for the GC of 50 hashes
}
