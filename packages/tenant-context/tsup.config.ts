import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared.ts";

export default defineConfig({
  ...packageBuild,
  entry: ["src/index.ts", "src/hono.ts", "src/pg.ts", "src/postgres.ts", "src/pglite.ts", "src/drizzle.ts"],
  // Workers resolve Node modules only by their "node:" name: keep it, and leave the module to the runtime.
  removeNodeProtocol: false,
  external: ["node:async_hooks"],
});
