import { runtime } from "@keel/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig, runtimeEnv, string } from "../src/index.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("runtimeEnv()", () => {
  it.skipIf(runtime === "workerd")(
    "reads the runtime's own environment (not on workerd: Workers have no global env)",
    () => {
      const read = runtimeEnv();
      expect(read).toBeDefined();
      const path = read?.("PATH");
      expect(typeof path).toBe("string");
      expect(loadConfig({ PATH: string() })._unsafeUnwrap().PATH).toBe(path);
    },
  );

  it.runIf(runtime === "workerd")(
    "is undefined on workerd, and loading without a source says to pass the binding",
    () => {
      expect(runtimeEnv()).toBeUndefined();
      const error = loadConfig({ A: string() })._unsafeUnwrapErr();
      expect(error.issues[0]?.reason).toContain("pass the env binding as `source`");
    },
  );

  it("explains a missing Deno env permission per key, without a stack", () => {
    const denied = new Error('Requires env access to "API_KEY", run again with the --allow-env flag');
    vi.stubGlobal("Deno", {
      env: {
        get: () => {
          throw denied;
        },
      },
    });
    const error = loadConfig({ API_KEY: string() }, { environment: "production" })._unsafeUnwrapErr();
    expect(error.issues).toEqual([
      { key: "API_KEY", reason: "Deno may not read it: run with --allow-env=API_KEY (or --allow-env)" },
    ]);
    expect(error.stack).not.toContain("Requires env access");
    // Without `environment`, NODE_ENV must be readable: guessing "development" would skip production's rules.
    const unknownEnvironment = loadConfig({ API_KEY: string() })._unsafeUnwrapErr();
    expect(unknownEnvironment.issues[0]).toEqual({
      key: "NODE_ENV",
      reason: "Deno may not read it: run with --allow-env=NODE_ENV (or --allow-env), or pass `environment`",
    });
  });

  it.skipIf(runtime === "workerd")(
    "reads only the environment's own variables, never a key inherited from a polluted Object.prototype",
    () => {
      const proto = Object.prototype as Record<string, unknown>;
      const key = "KEEL_POLLUTED_VARIABLE";
      proto[key] = "from-the-prototype";
      proto.NODE_ENV = "development";
      try {
        expect(runtimeEnv()?.(key)).toBeUndefined();
        const error = loadConfig({ [key]: string() }, { environment: "production" })._unsafeUnwrapErr();
        expect(error.issues).toEqual([{ key, reason: "missing" }]);
      } finally {
        delete proto[key];
        delete proto.NODE_ENV;
      }
    },
  );

  it("reads Deno.env key by key, so a scoped --allow-env is enough", () => {
    const asked: string[] = [];
    vi.stubGlobal("Deno", {
      env: {
        get: (key: string) => {
          asked.push(key);
          return key === "A" ? "a" : undefined;
        },
      },
    });
    expect(loadConfig({ A: string() })._unsafeUnwrap().A).toBe("a");
    // The stub has no toObject(): loading worked by asking for single keys only.
    expect(asked).toContain("A");
  });
});
