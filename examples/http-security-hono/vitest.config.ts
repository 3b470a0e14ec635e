import { defineConfig } from "vitest/config";

/** The e2e suite starts real servers on four runtimes: allow for a slow start on a busy machine. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
