import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/hono.ts", "src/pg.ts", "src/postgres.ts", "src/pglite.ts", "src/drizzle.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  // Workers resolve Node modules only by their "node:" name: keep it, and leave the module to the runtime.
  removeNodeProtocol: false,
  external: ["node:async_hooks"],
});
