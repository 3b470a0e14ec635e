import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared.ts";

export default defineConfig({
  ...packageBuild,
  entry: ["src/index.ts", "src/hono.ts", "src/password.ts"],
  // Workers resolve Node modules only by their "node:" name: keep it, and leave the module to the runtime
  // (src/password.ts imports node:crypto dynamically, behind feature detection).
  removeNodeProtocol: false,
  external: ["node:crypto"],
});
