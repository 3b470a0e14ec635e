import { defineConfig } from "vitest/config";

/** The vitest config every package shares on Node, Bun and Deno (the workerd leg uses vitest.workerd.config.ts). */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { enabled: false },
  },
});
