import { build } from "esbuild";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared.ts";
import manifest from "./package.json" with { type: "json" };

export default defineConfig({
  ...packageBuild,
  // One entry per domain (package.json "exports"): dist/ mirrors src/, so each entry loads only its own code.
  entry: [
    "src/index.ts",
    "src/hono.ts",
    "src/rate-limit/index.ts",
    "src/rate-limit/redis.ts",
    "src/rate-limit/workers.ts",
    "src/jwt/index.ts",
    "src/password/index.ts",
    // Plain JavaScript, loaded by URL from dist/password/ (worker-pool.ts): built beside its importer.
    "src/password/argon2-worker.js",
  ],
  // Workers resolve Node modules only by their "node:" name: keep it, and leave the module to the runtime
  // (src/password/backends.ts imports them dynamically, behind feature detection).
  removeNodeProtocol: false,
  external: ["node:crypto", "node:os", "node:worker_threads"],
  // The "workerd" condition's password entry, bundled whole (no shared chunks): a chunk imported only for
  // order is a bare `import "../chunk.js"`, which Wrangler warns about under "sideEffects": false. Workers
  // bundles take this file for every import of "/password", so its own copies of the classes are the only ones.
  onSuccess: async () => {
    await build({
      entryPoints: ["src/password/workerd.ts"],
      outfile: "dist/password/workerd.js",
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      external: [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)],
      logLevel: "warning",
    });
  },
});
