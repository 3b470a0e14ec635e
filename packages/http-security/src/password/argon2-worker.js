// @ts-check
/**
 * The worker thread that derives Argon2id keys off the main thread, for runtimes with threads but no native
 * Argon2id (Node < 24.7, Deno). Plain JavaScript, so every runtime loads it from src and from dist alike
 * (Node 20 has no type stripping). It answers `{ ready: engine }` once, then one `{ id, key }` or
 * `{ id, error }` per `{ id, password, salt, memoryCost, timeCost, parallelism, length }` it is sent, in turn.
 * The engine is hash-wasm's WebAssembly Argon2id (several times faster than pure JS) or, where WebAssembly
 * cannot be compiled, @noble/hashes. The password's copy is zeroed after use.
 *
 * @module
 */

/** @typedef {{ id: number, password: Uint8Array, salt: Uint8Array, memoryCost: number, timeCost: number, parallelism: number, length: number }} Job */

/** node:worker_threads' port where this is one (Node, Deno, Bun), else the Web Worker scope. */
async function channel() {
  try {
    const { parentPort } = await import("node:worker_threads");
    if (parentPort) {
      return {
        /** @param {unknown} message */
        send: (message) => parentPort.postMessage(message),
        /** @param {(job: Job) => void} listener */
        listen: (listener) => parentPort.on("message", listener),
      };
    }
  } catch {
    // not a Node-compatible runtime: a Web Worker
  }
  const scope = /** @type {any} */ (globalThis);
  return {
    /** @param {unknown} message */
    send: (message) => scope.postMessage(message),
    /** @param {(job: Job) => void} listener */
    listen: (listener) =>
      scope.addEventListener("message", (/** @type {any} */ event) => listener(event.data)),
  };
}

/** @returns {Promise<{ name: string, derive: (job: Job) => Promise<Uint8Array> }>} */
async function engine() {
  try {
    const { argon2id } = await import("hash-wasm");
    /** @param {Job} job */
    const derive = (job) =>
      argon2id({
        password: job.password,
        salt: job.salt,
        parallelism: job.parallelism,
        iterations: job.timeCost,
        memorySize: job.memoryCost,
        hashLength: job.length,
        outputType: "binary",
      });
    await derive({
      id: 0,
      password: new Uint8Array(1),
      salt: new Uint8Array(8),
      memoryCost: 8,
      timeCost: 1,
      parallelism: 1,
      length: 16,
    });
    return { name: "hash-wasm", derive };
  } catch {
    const { argon2idAsync } = await import("@noble/hashes/argon2.js");
    return {
      name: "@noble/hashes",
      derive: (job) =>
        argon2idAsync(job.password, job.salt, {
          m: job.memoryCost,
          t: job.timeCost,
          p: job.parallelism,
          dkLen: job.length,
          asyncTick: 1000, // nothing else runs on this thread
        }),
    };
  }
}

const port = await channel();
const kdf = await engine();
port.listen(async (job) => {
  try {
    const key = await kdf.derive(job);
    port.send({ id: job.id, key });
  } catch (error) {
    port.send({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    job.password.fill(0);
  }
});
port.send({ ready: kdf.name });
