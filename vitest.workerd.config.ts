import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import runtimes from "./runtimes.json" with { type: "json" };

/**
 * The workerd leg: the same suites, run inside workerd by @cloudflare/vitest-plugin.
 * This pool always has Buffer and process (its runner needs them), so it cannot catch Node-API use;
 * scripts/workerd-suite.ts (the "workerd []" column of `npm test`) runs the same suites against dist in
 * plain workerd with no compatibility flags, and the consumer check runs the packed tarball there.
 */
export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: runtimes.workerdCompatibilityDate,
        compatibilityFlags: ["nodejs_compat"],
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Timeouts are hang detectors, not speed checks: vitest's 5 s default failed heavy tests on a busy
    // machine (npm test -- --busy 2). A test that needs more names its own budget.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
