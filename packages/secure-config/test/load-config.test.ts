import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  bool,
  ConfigError,
  createConfigLoader,
  duration,
  int,
  json,
  list,
  loadConfig,
  loadConfigAsync,
  loadConfigAsyncOrThrow,
  loadConfigOrThrow,
  oneOf,
  port,
  secret,
  secretUrl,
  string,
  url,
} from "../src/index.ts";
import { keyEncodings as encodings } from "./_internal/key-encodings.ts";

const spec = {
  PORT: port({ default: 3000 }),
  DATABASE_URL: secretUrl({ protocols: ["postgres", "postgresql"] }),
  JWT_SECRET: secret(),
  API_KEY: secret({ requiredIn: ["production"] }),
  LOG_LEVEL: oneOf(["debug", "info", "warn"], { optional: true }),
  REGION: z.enum(["eu", "us"]),
};

const strong = "V9vL2qX7mR4tY8wK3nP6sB1c";
const otherStrong = "Q4wE8rT2yU6iO0pA5sD9fG3h";
const good = { DATABASE_URL: "postgres://app:pw@db.internal:5432/app", JWT_SECRET: strong, REGION: "eu" };

/** Everything a ConfigError can print. */
const printed = (error: ConfigError): string =>
  [error.message, error.stack ?? "", JSON.stringify(error), String(error.cause)].join("\n");

describe("loadConfig()", () => {
  it("returns Ok with a deeply frozen config", () => {
    const config = loadConfig(spec, { source: { ...good, LOG_LEVEL: "info" } })._unsafeUnwrap();
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL.reveal().hostname).toBe("db.internal");
    expect(config.JWT_SECRET.reveal()).toBe(strong);
    expect(config.API_KEY).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it("returns Err with one ConfigError naming every missing or invalid key, with no value", () => {
    const source = {
      PORT: "eighty",
      DATABASE_URL: "mysql://root:hunter2@db/app",
      REGION: "mars",
      JWT_SECRET: "",
    };
    const error = loadConfig(spec, { source })._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      { key: "PORT", reason: "expected an integer from 1 to 65535" },
      { key: "DATABASE_URL", reason: "expected a postgres or postgresql URL" },
      { key: "JWT_SECRET", reason: "empty" },
      { key: "REGION", reason: 'Invalid option: expected one of "eu"|"us"' },
    ]);
    for (const raw of ["eighty", "hunter2", "mars", "mysql"]) expect(printed(error)).not.toContain(raw);
  });

  it("loadConfigOrThrow() throws the same ConfigError", () => {
    expect(() => loadConfigOrThrow(spec, { source: {} })).toThrow(ConfigError);
    expect(loadConfigOrThrow(spec, { source: good }).REGION).toBe("eu");
  });

  it("never modifies the source", () => {
    const source = { ...good, EMPTY: "" };
    const before = JSON.stringify(source);
    loadConfig({ ...spec, EMPTY: string({ optional: true }) }, { source });
    expect(JSON.stringify(source)).toBe(before);
  });

  it("treats an empty string as missing unless allowEmpty", () => {
    expect(loadConfig({ A: string() }, { source: { A: "" } })._unsafeUnwrapErr().issues[0]?.reason).toBe(
      "empty",
    );
    expect(loadConfig({ A: string({ allowEmpty: true }) }, { source: { A: "" } })._unsafeUnwrap().A).toBe("");
    expect(loadConfig({ A: port({ default: 1 }) }, { source: { A: "" } })._unsafeUnwrap().A).toBe(1);
  });

  it("refuses a non-text binding (a Workers KV or service binding under a config name)", () => {
    const error = loadConfig({ CACHE: string() }, { source: { CACHE: { get() {} } } })._unsafeUnwrapErr();
    expect(error.issues[0]?.reason).toBe("is a binding, not a text variable");
  });
});

describe("a bare Standard Schema decides what a missing variable loads as, as its type says", () => {
  it("`.optional()` loads undefined, `.default()` its default (deeply frozen), any other is required", () => {
    const bare = {
      FLAG: z.enum(["on", "off"]).optional(),
      MODE: z.enum(["development", "production"]).default("development"),
      TAGS: z.array(z.string()).default(["a"]),
      REGION: z.enum(["eu", "us"]),
    };
    const loaded = loadConfig(bare, { source: { FLAG: "", REGION: "eu" } })._unsafeUnwrap();
    expect(loaded).toEqual({ FLAG: undefined, MODE: "development", TAGS: ["a"], REGION: "eu" });
    expect(Object.isFrozen(loaded.TAGS)).toBe(true);
    const given = loadConfig(bare, { source: { FLAG: "on", MODE: "production", REGION: "us" } });
    expect(given._unsafeUnwrap()).toMatchObject({ FLAG: "on", MODE: "production", REGION: "us" });
    const missing = loadConfig(bare, { source: { FLAG: "maybe" } })._unsafeUnwrapErr();
    expect(missing.issues.map(({ key, reason }) => [key, reason === "missing"])).toEqual([
      ["FLAG", false],
      ["REGION", true],
    ]);
  });

  it("a schema that accepts anything stays required: z.coerce, z.any, .catch never invent a value", () => {
    const lax = {
      SESSION_SECRET: z.coerce.string().min(8),
      ENABLED: z.coerce.boolean(),
      ANYTHING: z.any(),
      CAUGHT: z.string().catch("c"),
    };
    const loaded = loadConfig(lax, { source: {} })._unsafeUnwrapErr();
    expect(loaded.issues.map(({ key, reason }) => [key, reason])).toEqual([
      ["SESSION_SECRET", "missing"],
      ["ENABLED", "missing"],
      ["ANYTHING", "missing"],
      ["CAUGHT", "missing"],
    ]);
  });
});

describe("no value in any message (point 11)", () => {
  it("gives the validator's message with the quoted value replaced by [redacted]", () => {
    const echoing = z.string().refine((v) => v === "ok", { message: "bad value: tok_12345, not allowed" });
    const error = loadConfig({ TOKEN: echoing }, { source: { TOKEN: "tok_12345" } })._unsafeUnwrapErr();
    expect(error.issues).toEqual([{ key: "TOKEN", reason: "bad value: [redacted], not allowed" }]);
    const quoting = z.string().refine(() => false, { message: 'expected a region, received "mars-1"' });
    expect(loadConfig({ R: quoting }, { source: { R: "mars-1" } })._unsafeUnwrapErr().issues[0]?.reason).toBe(
      'expected a region, received "[redacted]"',
    );
  });

  it("json(): validator messages with values scrubbed, paths without data-derived keys", () => {
    const limits = json(
      z.object({
        rps: z.number(),
        tenants: z.record(
          z.string(),
          z.object({ limit: z.number().refine(() => false, "limit 4242 refused") }),
        ),
      }),
    );
    const source = { LIMITS: '{"rps":"sk_live_SECRET","tenants":{"sk_live_TENANT":{"limit":4242}}}' };
    const error = loadConfig({ LIMITS: limits }, { source })._unsafeUnwrapErr();
    expect(error.issues).toEqual([
      {
        key: "LIMITS",
        reason:
          "rps: Invalid input: expected number, received string; tenants.*.limit: limit [redacted] refused",
      },
    ]);
    for (const raw of ["sk_live", "4242"]) expect(printed(error)).not.toContain(raw);
  });

  it("a source getter or reader that throws is 'could not be read', never its message", () => {
    const source = {
      get A(): string {
        throw new Error("token sk_live_GETTER rejected");
      },
    };
    const fromGetter = loadConfig({ A: string() }, { source, environment: "test" })._unsafeUnwrapErr();
    expect(fromGetter.issues).toEqual([{ key: "A", reason: "could not be read" }]);
    expect(printed(fromGetter)).not.toContain("sk_live");
    const reader = () => {
      throw new Error("sk_live_READER");
    };
    const fromReader = loadConfig({ A: string() }, { source: reader })._unsafeUnwrapErr();
    expect(fromReader.issues.map((issue) => issue.reason)).toEqual([
      "could not be read, or pass `environment`",
      "could not be read",
    ]);
    expect(printed(fromReader)).not.toContain("sk_live");
    const throwsNull = () => {
      throw null;
    };
    expect(
      loadConfig({ A: string() }, { source: throwsNull, environment: "test" })._unsafeUnwrapErr().issues,
    ).toEqual([{ key: "A", reason: "could not be read" }]);
  });

  it("a throwing schema and 10,000-deep JSON give a ConfigError without the value and no unhandled rejection", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    const processLike = (
      globalThis as { process?: { on(e: string, f: unknown): void; off(e: string, f: unknown): void } }
    ).process;
    processLike?.on("unhandledRejection", onRejection);
    try {
      const parsed = z.string().transform((text) => JSON.parse(text) as unknown);
      const deep = `${"[".repeat(10_000)}"sk_live_DEEP"${"]".repeat(10_000)}`;
      const error = loadConfig(
        { PARSED: parsed, DEEP: json(z.json()) },
        { source: { PARSED: "{sk_live_THROWN", DEEP: deep } },
      )._unsafeUnwrapErr();
      expect(error.issues.map((issue) => issue.key)).toEqual(["PARSED", "DEEP"]);
      expect(printed(error)).not.toContain("sk_live");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(rejections).toEqual([]);
    } finally {
      processLike?.off("unhandledRejection", onRejection);
    }
  });

  it("random env maps give Ok or a ConfigError, never a throw, and no value in the error (fast-check)", () => {
    const keys = Object.keys(spec);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys, "NODE_ENV", "OTHER"), fc.string()), (source) => {
        const loaded = loadConfig(spec, { source });
        if (loaded.isOk()) return;
        expect(loaded.error).toBeInstanceOf(ConfigError);
        const text = `${loaded.error.message}${JSON.stringify(loaded.error)}`;
        for (const [key, raw] of Object.entries(source)) {
          // Only values long enough to be told apart from the fixed reason texts are checked.
          if (raw.length >= 6 && key !== "NODE_ENV" && !/^[\w ]+$/.test(raw)) expect(text).not.toContain(raw);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("json() values quoted by any validator message never print (fast-check)", () => {
    const echo = json(
      z
        .record(
          z.string(),
          z.number().refine(() => false, { message: "nope" }),
        )
        .superRefine((value, ctx) => {
          ctx.addIssue({ code: "custom", message: `got ${JSON.stringify(value)}`, path: Object.keys(value) });
        }),
    );
    const key = fc.stringMatching(/^[A-Za-z0-9_]{6,12}$/);
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer({ min: 100_000 })), (data) => {
        const loaded = loadConfig({ X: echo }, { source: { X: JSON.stringify(data) } });
        if (loaded.isOk()) return;
        const text = printed(loaded.error);
        for (const [k, v] of Object.entries(data)) {
          expect(text).not.toContain(k);
          expect(text).not.toContain(String(v));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("no prototype games (point 12)", () => {
  it("a __proto__ spec key with json() is data, not the config's prototype", () => {
    const withProto = Object.defineProperty({}, "__proto__", {
      value: json(z.object({ polluted: z.boolean() })),
      enumerable: true,
    }) as Record<string, ReturnType<typeof json>>;
    const config = loadConfig(withProto, {
      source: JSON.parse('{"__proto__": "{\\"polluted\\":true}"}'),
    })._unsafeUnwrap() as Record<string, unknown>;
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(config, "__proto__")?.value).toEqual({ polluted: true });
    expect((config as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("ignores keys and options inherited from a polluted Object.prototype", () => {
    const proto = Object.prototype as Record<string, unknown>;
    const polluted = {
      NODE_ENV: "development",
      SECRET_KEY: "from-prototype",
      PORT: "8080",
      default: "x",
      optional: true,
      environment: "development",
      source: { SECRET_KEY: "y", PORT: "8080" },
    };
    try {
      Object.assign(proto, polluted);
      const plain = loadConfig({ SECRET_KEY: secret() }, { source: {} });
      expect(plain._unsafeUnwrapErr().issues).toEqual([{ key: "SECRET_KEY", reason: "missing" }]);
      const options = {};
      // The polluted `source` is not used: PORT is missing (or, on workerd, there is no source at all).
      const key = loadConfig({ PORT: port() }, options)._unsafeUnwrapErr().issues[0]?.key;
      expect(["PORT", "(source)"]).toContain(key);
    } finally {
      for (const key of Object.keys(polluted)) delete proto[key];
    }
  });
});

describe("defaults (point 13)", () => {
  it("a list() default is a frozen copy: the config's cannot be pushed to, the caller's stays theirs", () => {
    const origins = ["https://a.example"];
    const config = loadConfig({ ORIGINS: list({ default: origins }) }, { source: {} })._unsafeUnwrap();
    expect(config.ORIGINS).toEqual(origins);
    expect(() => (config.ORIGINS as string[]).push("https://evil.example")).toThrow(TypeError);
    expect(Object.isFrozen(origins)).toBe(false);
    origins.push("https://later.example");
    expect(config.ORIGINS).toEqual(["https://a.example"]);
  });

  it("json() defaults are frozen all the way down", () => {
    const config = loadConfig(
      { L: json(z.object({ a: z.object({ b: z.number() }) }), { default: { a: { b: 1 } } }) },
      { source: {} },
    )._unsafeUnwrap();
    expect(Object.isFrozen(config.L.a)).toBe(true);
  });

  it.each([
    ["port 70000", () => port({ default: 70000 })],
    ["port 0.5", () => port({ default: 0.5 })],
    ["int over max", () => int({ max: 10, default: 11 })],
    ["duration -1", () => duration({ default: -1 })],
    ["duration text", () => duration({ default: "soon" })],
    ["oneOf", () => oneOf(["a", "b"], { default: "c" as "a" })],
    ["url", () => url({ protocols: ["https"], default: "http://example.com" })],
    ["bool", () => bool({ default: "maybe" })],
    ["json", () => json(z.object({ n: z.number() }), { default: { n: "1" as unknown as number } })],
  ])("refuses an invalid default at set-up: %s", (_, make) => {
    expect(make).toThrow(TypeError);
  });

  it("accepts the raw form of a default where a user would write it", () => {
    const config = loadConfig(
      {
        GRACE: duration({ default: "30s" }),
        PORT: port({ default: "8080" }),
        ORIGINS: list({ default: "a, b" }),
        DEBUG: bool({ default: "yes" }),
        UPSTREAM: url({ default: "https://example.com" }),
        LIMITS: json(z.object({ n: z.number() }), { default: '{"n":1}' }),
      },
      { source: {} },
    )._unsafeUnwrap();
    expect(config).toEqual({
      GRACE: 30_000,
      PORT: 8080,
      ORIGINS: ["a", "b"],
      DEBUG: true,
      UPSTREAM: new URL("https://example.com"),
      LIMITS: { n: 1 },
    });
  });
});

describe("per-environment rules", () => {
  it("requires requiredIn keys only in that environment", () => {
    expect(loadConfig(spec, { source: good, environment: "staging" }).isOk()).toBe(true);
    const error = loadConfig(spec, { source: good, environment: "production" })._unsafeUnwrapErr();
    expect(error.issues).toEqual([{ key: "API_KEY", reason: "missing" }]);
  });

  it("reads the environment from NODE_ENV when not given", () => {
    const source = { ...good, NODE_ENV: "production" };
    expect(loadConfig(spec, { source })._unsafeUnwrapErr().issues[0]?.key).toBe("API_KEY");
  });

  it.each([
    ["changeme", "is a well-known default value"],
    ["Change-Me!", "is a well-known default value"],
    ["your-256-bit-secret", "looks like a placeholder"],
    ["CHANGE_ME_IN_PRODUCTION", "looks like a placeholder"],
    ["replace-with-a-real-secret", "looks like a placeholder"],
    ["changeme-changeme-changeme", "looks like a placeholder"],
    ["insert-your-api-token-here-please", "looks like a placeholder"],
    ["x7Kq-x7Kq-x7Kq-x7Kq-x7Kq-x7Kq", "repeats a short pattern"],
    ["short-but-x", "is shorter than 16 characters"],
    ["aaaaaaaaaaaaaaaaaaaaaaaa", "repeats a short pattern"],
    ["acegcaegacgeaceg1", "has too little entropy (under 64 bits)"],
    ["abcdefghabcdefgh1", "is made of common words or sequences"],
  ])("production refuses the secret %j", (weak, reason) => {
    const source = { ...good, JWT_SECRET: weak, API_KEY: otherStrong };
    const error = loadConfig(spec, { source, environment: "production" })._unsafeUnwrapErr();
    expect(error.issues).toEqual([{ key: "JWT_SECRET", reason: `${reason} (production)` }]);
    expect(error.message).not.toContain(weak);
    expect(loadConfig(spec, { source, environment: "development" }).isOk()).toBe(true);
  });

  it("production accepts generated keys of every length from 16 to 64 bytes, hex, base64 and base64url (fast-check)", () => {
    fc.assert(
      fc.property(
        // noBias: generated keys are uniformly random bytes. fast-check's bias toward small and neighbouring
        // values makes arrays such as 00 01 02 03..., which the production rules rightly refuse as sequences.
        fc
          .noBias(fc.uint8Array({ minLength: 16, maxLength: 64 }))
          .filter((bytes) => new Set(bytes).size >= bytes.length / 2),
        fc.constantFrom(...(Object.keys(encodings) as (keyof typeof encodings)[])),
        (bytes, encoding) => {
          const key = encodings[encoding](bytes);
          const loaded = loadConfig({ KEY: secret() }, { source: { KEY: key }, environment: "production" });
          expect(loaded.isOk()).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
    for (let length = 16; length <= 64; length++) {
      for (const encode of Object.values(encodings)) {
        const key = encode(crypto.getRandomValues(new Uint8Array(length)));
        expect(
          loadConfig({ KEY: secret() }, { source: { KEY: key }, environment: "production" }).isOk(),
        ).toBe(true);
      }
    }
  });

  it("production reports a secret reused for two keys, naming both keys only", () => {
    const source = { ...good, API_KEY: strong };
    const error = loadConfig(spec, { source, environment: "production" })._unsafeUnwrapErr();
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
  ])("%#: parses the raw value at index 1", (field, raw, expected) => {
    expect(loadConfig({ X: field }, { source: { X: raw } })._unsafeUnwrap().X).toEqual(expected);
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
    [url(), "https://user:hunter2@example.com"],
    [url(), "https://ghp_token@github.com/org/repo"],
    [oneOf(["a", "b"]), "zzz"],
  ])("%#: refuses the raw value at index 1 with a ConfigError", (field, raw) => {
    const error = loadConfig({ X: field }, { source: { X: raw } })._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain(raw);
  });

  it("url() and secretUrl() take protocols with or without the colon, as URL.protocol spells them", () => {
    const source = { DB: "postgres://app:pw@db/app", UP: "HTTPS://example.com" };
    const config = loadConfig(
      { DB: secretUrl({ protocols: ["postgres:"] }), UP: url({ protocols: ["https:", "HTTP"] }) },
      { source },
    )._unsafeUnwrap();
    expect(config.DB.reveal().protocol).toBe("postgres:");
    expect(config.UP.protocol).toBe("https:");
    expect(JSON.stringify(config)).not.toContain("pw");
  });

  it("url() says to use secretUrl() for a URL with credentials", () => {
    const error = loadConfig(
      { DB: url() },
      { source: { DB: "postgres://app:hunter2@db/app" } },
    )._unsafeUnwrapErr();
    expect(error.issues[0]?.reason).toContain("secretUrl()");
  });
});

describe("async providers (point 14)", () => {
  it("merges provider values before validation", async () => {
    const loaded = await loadConfigAsync(spec, {
      source: good,
      providers: { API_KEY: async () => otherStrong },
    });
    expect(loaded._unsafeUnwrap().API_KEY?.reveal()).toBe(otherStrong);
  });

  it("a failing or hanging provider is an issue naming its key, not its message", async () => {
    const loaded = await loadConfigAsync(spec, {
      source: good,
      timeoutMs: 50,
      providers: {
        API_KEY: () => Promise.reject(new Error(`its provider said: token ${otherStrong} expired`)),
        JWT_SECRET: () => new Promise(() => {}),
      },
    });
    const error = loaded._unsafeUnwrapErr();
    expect(error.issues).toEqual([
      { key: "JWT_SECRET", reason: "its provider did not answer within 50 ms" },
      { key: "API_KEY", reason: "its provider failed" },
    ]);
    expect(JSON.stringify(error) + error.message).not.toContain(otherStrong);
  });

  it("reports a failed provider together with every other bad key", async () => {
    const loaded = await loadConfigAsync(spec, {
      source: { ...good, PORT: "eighty" },
      providers: { API_KEY: () => Promise.reject(new Error("vault down")) },
    });
    expect(loaded._unsafeUnwrapErr().issues).toEqual([
      { key: "PORT", reason: "expected an integer from 1 to 65535" },
      { key: "API_KEY", reason: "its provider failed" },
    ]);
  });

  it.each([2 ** 31, Number.POSITIVE_INFINITY, 0, -1, 1.5, Number.NaN])(
    "refuses timeoutMs %s",
    async (timeoutMs) => {
      const loaded = await loadConfigAsync(spec, {
        source: good,
        timeoutMs,
        providers: { API_KEY: () => new Promise((resolve) => setTimeout(() => resolve(otherStrong), 5)) },
      });
      expect(loaded._unsafeUnwrapErr().issues[0]).toEqual({
        key: "(timeoutMs)",
        reason: "expected an integer from 1 to 2147483647 (milliseconds)",
      });
    },
  );

  it("loadConfigAsyncOrThrow() resolves the config or rejects with the ConfigError", async () => {
    await expect(loadConfigAsyncOrThrow(spec, { source: good, providers: {} })).resolves.toMatchObject({
      REGION: "eu",
    });
    await expect(loadConfigAsyncOrThrow(spec, { source: {}, providers: {} })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});

describe("createConfigLoader()", () => {
  it("validates a Workers env binding once and caches the Result per binding object", () => {
    let reads = 0;
    const load = createConfigLoader(spec);
    const env = new Proxy(good as Record<string, unknown>, {
      get: (target, key) => {
        reads++;
        return target[key as string];
      },
    });
    const first = load(env);
    const readsAfterFirst = reads;
    expect(load(env)).toBe(first);
    expect(reads).toBe(readsAfterFirst);
    expect(load({ ...good })).not.toBe(first);
  });

  it("returns the same Err for a bad binding, validating it once", () => {
    const load = createConfigLoader(spec);
    const env = {};
    const first = load(env);
    expect(first._unsafeUnwrapErr()).toBeInstanceOf(ConfigError);
    expect(load(env)).toBe(first);
  });

  it("accepts a typed Env interface (what `wrangler types` generates) and the environment option", () => {
    interface Env {
      DATABASE_URL: string;
      JWT_SECRET: string;
      REGION: string;
    }
    const env: Env = { DATABASE_URL: good.DATABASE_URL, JWT_SECRET: strong, REGION: "us" };
    expect(createConfigLoader(spec)(env)._unsafeUnwrap().REGION).toBe("us");
    expect(
      createConfigLoader(spec, { environment: "production" })(env)._unsafeUnwrapErr().issues[0]?.key,
    ).toBe("API_KEY");
  });
});
