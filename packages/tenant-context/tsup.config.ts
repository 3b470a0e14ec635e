import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared.ts";

export default defineConfig({
  ...packageBuild,
  entry: {
    index: "src/index.ts",
    hono: "src/hono.ts",
    pg: "src/pg.ts",
    postgres: "src/postgres.ts",
    pglite: "src/pglite.ts",
    drizzle: "src/drizzle.ts",
    kysely: "src/kysely.ts",
    // The `keel-rls-check` bin (package.json "bin"); its shebang line is kept.
    "keel-rls-check": "bin/keel-rls-check.ts",
  },
  // Workers resolve Node modules only by their "node:" name: keep it, and leave the module to the runtime.
  removeNodeProtocol: false,
  external: ["node:async_hooks"],
});
