import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * The vitest config every package shares on Node, Bun and Deno (the workerd leg uses vitest.workerd.config.ts).
 * Runtime suites are test/**\/*.test.ts; type-level tests are test/**\/*.test-d.ts and run once, on Node 24,
 * by `vitest run --typecheck.only` (the "types" column of `npm test`), against tsconfig.test.json.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Timeouts are hang detectors, not speed checks: vitest's 5 s default failed heavy tests on a busy
    // machine (npm test -- --busy 2). A test that needs more names its own budget.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: false,
      include: ["test/**/*.test-d.ts"],
      tsconfig: existsSync("tsconfig.test.json") ? "./tsconfig.test.json" : "./tsconfig.json",
    },
  },
});
