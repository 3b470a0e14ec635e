import type { Options } from "tsup";

/** The build every package shares: ESM and `.d.ts`, for any runtime (no Node built-ins assumed). */
export const packageBuild: Options = {
  format: ["esm"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
};
