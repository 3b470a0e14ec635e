import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import {
  bool,
  ConfigError,
  configForBinding,
  duration,
  int,
  json,
  list,
  loadConfig,
  loadConfigAsync,
  oneOf,
  port,
  type Secret,
  safeLoadConfig,
  safeLoadConfigAsync,
  secret,
  string,
  url,
} from "../src/index.ts";

const spec = {
  PORT: port({ default: 3000 }),
  DATABASE_URL: url({ protocols: ["postgres", "postgresql"] }),
  JWT_SECRET: secret(),
  API_KEY: secret({ requiredIn: ["production"] }),
  LOG_LEVEL: oneOf(["debug", "info", "warn"], { optional: true }),
  REGION: z.enum(["eu", "us"]),
};

const strong = "V9vL2qX7mR4tY8wK3nP6sB1c";
const otherStrong = "Q4wE8rT2yU6iO0pA5sD9fG3h";
const good = { DATABASE_URL: "postgres://db.internal:5432/app", JWT_SECRET: strong, REGION: "eu" };

describe("loadConfig()", () => {
  it("returns a typed, deeply frozen config", () => {
    const config = loadConfig(spec, { source: { ...good, LOG_LEVEL: "info" } });
    expectTypeOf(config.PORT).toEqualTypeOf<number>();
    expectTypeOf(config.DATABASE_URL).toEqualTypeOf<URL>();
    expectTypeOf(config.JWT_SECRET).toEqualTypeOf<Secret>();
    expectTypeOf(config.API_KEY).toEqualTypeOf<Secret | undefined>();
    expectTypeOf(config.LOG_LEVEL).toEqualTypeOf<"debug" | "info" | "warn" | undefined>();
    expectTypeOf(config.REGION).toEqualTypeOf<"eu" | "us">();
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL.hostname).toBe("db.internal");
    expect(config.JWT_SECRET.reveal()).toBe(strong);
    expect(config.API_KEY).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it("throws one ConfigError naming every missing or invalid key, with no value", () => {
    const source = {
      PORT: "eighty",
      DATABASE_URL: "mysql://root:hunter2@db/app",
      REGION: "mars",
      JWT_SECRET: "",
    };
    let thrown: unknown;
    try {
      loadConfig(spec, { source });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.issues).toEqual([
      { key: "PORT", reason: "expected an integer from 1 to 65535" },
      { key: "DATABASE_URL", reason: "expected a postgres or postgresql URL" },
      { key: "JWT_SECRET", reason: "empty" },
      { key: "REGION", reason: expect.any(String) },
    ]);
    for (const output of [error.message, error.stack ?? "", JSON.stringify(error), String(error.cause)]) {
      for (const raw of ["eighty", "hunter2", "mars", "mysql"]) expect(output).not.toContain(raw);
    }
  });

  it("never modifies the source", () => {
    const source = { ...good, EMPTY: "" };
    const before = JSON.stringify(source);
    loadConfig({ ...spec, EMPTY: string({ optional: true }) }, { source });
    expect(JSON.stringify(source)).toBe(before);
  });

  it("never passes a validator's message on: validators quote what they reject", () => {
    const echoing = z.string().refine((v) => v === "ok", { message: "bad value: tok_12345" });
    const error = safeLoadConfig({ TOKEN: echoing }, { source: { TOKEN: "tok_12345" } })._unsafeUnwrapErr();
    expect(error.issues[0]?.reason).toBe("failed its schema");
    const limits = json(z.object({ rps: z.number() }));
    const quoted = safeLoadConfig({ LIMITS: limits }, { source: { LIMITS: '{"rps":"sk_live_SECRET"}' } });
    expect(quoted._unsafeUnwrapErr().issues[0]?.reason).toBe("failed its schema at rps");
    expect(quoted._unsafeUnwrapErr().message).not.toContain("sk_live");
  });

  it("gives a reason, not a crash, when a source throws something that is not an Error", () => {
    const source = () => {
      throw null;
    };
    expect(
      safeLoadConfig({ A: string() }, { source, environment: "test" })._unsafeUnwrapErr().issues,
    ).toEqual([{ key: "A", reason: "could not be read" }]);
  });

  it("does not freeze the caller's default values", () => {
    const origins = ["https://a.example"];
    const config = loadConfig({ ORIGINS: list({ default: origins }) }, { source: {} });
    expect(config.ORIGINS).toBe(origins);
    expect(Object.isFrozen(origins)).toBe(false);
    expect(Object.isFrozen(loadConfig({ ORIGINS: list() }, { source: { ORIGINS: "a,b" } }).ORIGINS)).toBe(
      true,
    );
  });

  it("treats an empty string as missing unless allowEmpty", () => {
    expect(safeLoadConfig({ A: string() }, { source: { A: "" } })._unsafeUnwrapErr().issues[0]?.reason).toBe(
      "empty",
    );
    expect(loadConfig({ A: string({ allowEmpty: true }) }, { source: { A: "" } }).A).toBe("");
    expect(loadConfig({ A: port({ default: 1 }) }, { source: { A: "" } }).A).toBe(1);
  });

  it("refuses a non-text binding (a Workers KV or service binding under a config name)", () => {
    const error = safeLoadConfig({ CACHE: string() }, { source: { CACHE: { get() {} } } })._unsafeUnwrapErr();
    expect(error.issues[0]?.reason).toBe("is a binding, not a text variable");
  });
});

describe("per-environment rules", () => {
  it("requires requiredIn keys only in that environment", () => {
    expect(safeLoadConfig(spec, { source: good, environment: "staging" }).isOk()).toBe(true);
    const error = safeLoadConfig(spec, { source: good, environment: "production" })._unsafeUnwrapErr();
    expect(error.issues).toEqual([{ key: "API_KEY", reason: "missing" }]);
  });

  it("reads the environment from NODE_ENV when not given", () => {
    const source = { ...good, NODE_ENV: "production" };
    expect(safeLoadConfig(spec, { source })._unsafeUnwrapErr().issues[0]?.key).toBe("API_KEY");
  });

  it.each([
    ["changeme", "is a well-known default value"],
    ["Change-Me!", "is a well-known default value"],
    ["short-but-x", "is shorter than 16 characters"],
    ["aaaaaaaaaaaaaaaaaaaaaaaa", "has too little entropy (under 64 bits)"],
    ["abababababababababababab", "has too little entropy (under 64 bits)"],
  ])("production refuses the secret %j", (weak, reason) => {
    const source = { ...good, JWT_SECRET: weak, API_KEY: otherStrong };
    const error = safeLoadConfig(spec, { source, environment: "production" })._unsafeUnwrapErr();
    expect(error.issues).toEqual([{ key: "JWT_SECRET", reason: `${reason} (production)` }]);
    expect(error.message).not.toContain(weak);
    expect(safeLoadConfig(spec, { source, environment: "development" }).isOk()).toBe(true);
  });

  it("production reports a secret reused for two keys, naming both keys only", () => {
    const source = { ...good, API_KEY: strong };
    const error = safeLoadConfig(spec, { source, environment: "production" })._unsafeUnwrapErr();
    expect(error.issues).toEqual([
      { key: "API_KEY", reason: "has the same value as JWT_SECRET (production)" },
    ]);
  });
});

describe("coercers", () => {
  it.each([
    [bool(), "TRUE", true],
    [bool(), "off", false],
    [int({ min: -5, max: 5 }), "-5", -5],
    [duration(), "250ms", 250],
    [duration(), "15m", 900_000],
    [duration(), "7d", 604_800_000],
    [duration(), "1500", 1500],
    [list(), " a, ,b ,c", ["a", "b", "c"]],
    [port(), "65535", 65535],
    [port(), " 8080 ", 8080],
  ])("%#: parses %j", (field, raw, expected) => {
    expect(loadConfig({ X: field }, { source: { X: raw } }).X).toEqual(expected);
  });

  it.each([
    [bool(), "ture"],
    [int(), "1e3"],
    [int(), "12abc"],
    [int({ min: 1 }), "-7"],
    [port(), "70000"],
    [port(), "0x50"],
    [duration(), "15 minutes"],
    [duration(), "-5s"],
    [url(), "/relative"],
    [url({ protocols: ["https"] }), "http://example.com"],
    [oneOf(["a", "b"]), "zzz"],
  ])("%#: refuses %j with a typed error", (field, raw) => {
    const error = safeLoadConfig({ X: field }, { source: { X: raw } })._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain(raw);
  });

  it("random env maps give a config or a ConfigError, never another throw, and no value in the error (fast-check)", () => {
    const keys = Object.keys(spec);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys, "NODE_ENV", "OTHER"), fc.string()), (source) => {
        const loaded = safeLoadConfig(spec, { source });
        if (loaded.isOk()) return;
        expect(loaded.error).toBeInstanceOf(ConfigError);
        const printed = `${loaded.error.message}${JSON.stringify(loaded.error)}`;
        for (const [key, raw] of Object.entries(source)) {
          // Only values long enough to be told apart from the fixed reason texts are checked.
          if (raw.length >= 6 && key !== "NODE_ENV" && !/^[\w ]+$/.test(raw))
            expect(printed).not.toContain(raw);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("async providers", () => {
  it("merges provider values before validation", async () => {
    const config = await loadConfigAsync(spec, {
      source: good,
      providers: { API_KEY: async () => otherStrong },
    });
    expect(config.API_KEY?.reveal()).toBe(otherStrong);
  });

  it("a failing or hanging provider is an issue naming its key, not its message", async () => {
    const loaded = await safeLoadConfigAsync(spec, {
      source: good,
      timeoutMs: 50,
      providers: {
        API_KEY: () => Promise.reject(new Error(`its provider said: token ${otherStrong} expired`)),
        JWT_SECRET: () => new Promise(() => {}),
      },
    });
    const error = loaded._unsafeUnwrapErr();
    expect(error.issues).toEqual([
      { key: "API_KEY", reason: "its provider failed" },
      { key: "JWT_SECRET", reason: "its provider did not answer within 50 ms" },
    ]);
    expect(JSON.stringify(error) + error.message).not.toContain(otherStrong);
  });
});

describe("configForBinding()", () => {
  it("validates a Workers env binding once and caches it per binding object", () => {
    let reads = 0;
    const configOf = configForBinding(spec);
    const env = new Proxy(good as Record<string, unknown>, {
      get: (target, key) => {
        reads++;
        return target[key as string];
      },
    });
    const first = configOf(env);
    const readsAfterFirst = reads;
    expect(configOf(env)).toBe(first);
    expect(reads).toBe(readsAfterFirst);
    expect(configOf({ ...good })).not.toBe(first);
  });

  it("throws the ConfigError for a bad binding, validating it once", () => {
    const configOf = configForBinding(spec);
    const env = {};
    let first: unknown;
    try {
      configOf(env);
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(ConfigError);
    expect(() => configOf(env)).toThrow(first as Error);
  });

  it("accepts a typed Env interface (what `wrangler types` generates)", () => {
    interface Env {
      DATABASE_URL: string;
      JWT_SECRET: string;
      REGION: string;
    }
    const env: Env = { DATABASE_URL: good.DATABASE_URL, JWT_SECRET: strong, REGION: "us" };
    expect(configForBinding(spec)(env).REGION).toBe("us");
  });
});
