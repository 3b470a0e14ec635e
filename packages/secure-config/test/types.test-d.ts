// Type-level tests: run once under `vitest --typecheck`, never on the runtime legs.
import type { Result } from "neverthrow";
import { describe, expectTypeOf, it } from "vitest";
import * as z from "zod";
import {
  type ConfigError,
  createConfigLoader,
  createRedactor,
  duration,
  json,
  list,
  loadConfig,
  loadConfigOrThrow,
  oneOf,
  port,
  redact,
  Secret,
  secret,
  secretUrl,
  url,
} from "../src/index.ts";

const spec = {
  PORT: port({ default: 3000 }),
  DATABASE_URL: secretUrl({ protocols: ["postgres:"] }),
  UPSTREAM: url(),
  JWT_SECRET: secret(),
  API_KEY: secret({ requiredIn: ["production"] }),
  LOG_LEVEL: oneOf(["debug", "info", "warn"], { optional: true }),
  REGION: z.enum(["eu", "us"]),
  LIMITS: json(z.object({ rps: z.number() })),
  ORIGINS: list({ default: "a,b" }),
  GRACE: duration({ default: "30s" }),
};

describe("types", () => {
  it("loadConfig returns a Result of the typed config; loadConfigOrThrow the config", () => {
    const loaded = loadConfig(spec, { source: {} });
    expectTypeOf(loaded).toEqualTypeOf<
      Result<ReturnType<typeof loadConfigOrThrow<typeof spec>>, ConfigError>
    >();
    const config = loadConfigOrThrow(spec);
    expectTypeOf(config.PORT).toEqualTypeOf<number>();
    expectTypeOf(config.DATABASE_URL).toEqualTypeOf<Secret<URL>>();
    expectTypeOf(config.UPSTREAM).toEqualTypeOf<URL>();
    expectTypeOf(config.JWT_SECRET).toEqualTypeOf<Secret>();
    expectTypeOf(config.API_KEY).toEqualTypeOf<Secret | undefined>();
    expectTypeOf(config.LOG_LEVEL).toEqualTypeOf<"debug" | "info" | "warn" | undefined>();
    expectTypeOf(config.REGION).toEqualTypeOf<"eu" | "us">();
    expectTypeOf(config.LIMITS).toEqualTypeOf<{ rps: number }>();
    expectTypeOf(config.ORIGINS).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.GRACE).toEqualTypeOf<number>();
  });

  it("a loaded config is the plain value types, Readonly<{ KEY: value }> (what an editor's hover shows)", () => {
    const config = loadConfigOrThrow(spec);
    expectTypeOf<typeof config>().toEqualTypeOf<
      Readonly<{
        PORT: number;
        DATABASE_URL: Secret<URL>;
        UPSTREAM: URL;
        JWT_SECRET: Secret;
        API_KEY: Secret | undefined;
        LOG_LEVEL: "debug" | "info" | "warn" | undefined;
        REGION: "eu" | "us";
        LIMITS: { rps: number };
        ORIGINS: readonly string[];
        GRACE: number;
      }>
    >();
    // Every key is read-only.
    // @ts-expect-error PORT is read-only
    config.PORT = 1;
  });

  it("createConfigLoader returns a Result per binding", () => {
    const load = createConfigLoader({ PORT: port() });
    expectTypeOf(load({})).toEqualTypeOf<Result<Readonly<{ PORT: number }>, ConfigError>>();
  });

  it("a default is the value or its raw text, nothing else", () => {
    duration({ default: "30s" });
    duration({ default: 30_000 });
    // @ts-expect-error a boolean is neither a duration nor its text
    duration({ default: true });
  });

  it("redact's type says what it returns: Secrets and URLs become strings", () => {
    const out = redact({ a: 1, s: new Secret("x"), u: new URL("https://x.example"), nested: { b: "c" } });
    expectTypeOf(out.s).toEqualTypeOf<string>();
    expectTypeOf(out.u).toEqualTypeOf<string>();
    expectTypeOf(out.a).toEqualTypeOf<number | string>();
    expectTypeOf(createRedactor()(new Headers())).toEqualTypeOf<{ [key: string]: unknown }>();
  });
});
