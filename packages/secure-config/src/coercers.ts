/**
 * Fields for the strings an environment holds: text, integers, ports, booleans, URLs, durations, lists,
 * JSON and enums. Each reason says what was expected, never what was found.
 *
 * @module
 */
import type { Result, StandardSchemaV1 } from "./_internal/external-types.ts";
import { makeField } from "./_internal/make-field.ts";
import { own } from "./_internal/own.ts";
import { normaliseProtocols, parseUrl } from "./_internal/parse-url.ts";
import { err, fromSchema, ok } from "./_internal/result.ts";
import { schemaReason } from "./_internal/schema-reason.ts";
import type { FieldFor, FieldOptions } from "./field.ts";

/**
 * Any string (after the empty-string rule).
 *
 * @example
 * ```ts
 * import { loadConfig, string } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ REGION: string() }, { source: { REGION: "eu-west-1" } });
 * console.assert(loaded.isOk() && loaded.value.REGION === "eu-west-1");
 * ```
 */
export function string<const O extends FieldOptions<string> = Record<never, never>>(
  options?: O,
): FieldFor<string, O> {
  return makeField("string()", (raw) => ok(raw), options);
}

/** Options for {@link int}. */
export interface IntOptions extends FieldOptions<number> {
  /** Smallest value accepted (inclusive); default `Number.MIN_SAFE_INTEGER`. */
  readonly min?: number;
  /** Largest value accepted (inclusive); default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
}

function intParser(min: number, max: number) {
  const reason = `expected an integer from ${min} to ${max}`;
  return {
    parse: (raw: string): Result<number, string> => {
      const text = raw.trim();
      const value = Number(text);
      return /^-?\d+$/.test(text) && value >= min && value <= max ? ok(value) : err(reason);
    },
    checkValue: (value: number): Result<number, string> =>
      Number.isInteger(value) && value >= min && value <= max ? ok(value) : err(reason),
  };
}

/**
 * A decimal integer (`-12`, `300`), within `min`/`max` when given.
 *
 * @example
 * ```ts
 * import { int, loadConfig } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ WORKERS: int({ min: 1 }) }, { source: { WORKERS: "4" } });
 * console.assert(loaded.isOk() && loaded.value.WORKERS === 4);
 * ```
 */
export function int<const O extends IntOptions = Record<never, never>>(options?: O): FieldFor<number, O> {
  const { parse, checkValue } = intParser(
    own(options, "min") ?? Number.MIN_SAFE_INTEGER,
    own(options, "max") ?? Number.MAX_SAFE_INTEGER,
  );
  return makeField("int()", parse, options, { checkValue });
}

/**
 * A TCP port, 1 to 65535.
 *
 * @example
 * ```ts
 * import { loadConfig, port } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ PORT: port({ default: 3000 }) }, { source: {} });
 * console.assert(loaded.isOk() && loaded.value.PORT === 3000);
 * ```
 */
export function port<const O extends FieldOptions<number> = Record<never, never>>(
  options?: O,
): FieldFor<number, O> {
  const { parse, checkValue } = intParser(1, 65535);
  return makeField("port()", parse, options, { checkValue });
}

const truthy = new Set(["true", "1", "yes", "on"]);
const falsy = new Set(["false", "0", "no", "off"]);

/**
 * A boolean: `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`, any case. Anything else is an error, not
 * `false`: a typo must not silently switch a feature off.
 *
 * @example
 * ```ts
 * import { bool, loadConfig } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ DEBUG: bool() }, { source: { DEBUG: "Yes" } });
 * console.assert(loaded.isOk() && loaded.value.DEBUG === true);
 * ```
 */
export function bool<const O extends FieldOptions<boolean> = Record<never, never>>(
  options?: O,
): FieldFor<boolean, O> {
  const reason = "expected true/false, 1/0, yes/no or on/off";
  return makeField(
    "bool()",
    (raw) => {
      const word = raw.trim().toLowerCase();
      return truthy.has(word) ? ok(true) : falsy.has(word) ? ok(false) : err(reason);
    },
    options,
    { checkValue: (value) => (typeof value === "boolean" ? ok(value) : err(reason)) },
  );
}

/** Options for {@link url} and `secretUrl`. */
export interface UrlOptions extends FieldOptions<URL> {
  /**
   * Allowed schemes, with or without the colon: `["https"]`, `["postgres:", "postgresql:"]` (as
   * `URL.protocol` spells them). Any case.
   */
  readonly protocols?: readonly string[];
}

/**
 * An absolute URL without credentials, as a `URL`; `protocols` limits the scheme. A URL with a user name
 * or a password in it is refused: `JSON.stringify(config)` would print it whole. Declare such a variable
 * with `secretUrl()`.
 *
 * @example
 * ```ts
 * import { loadConfig, url } from "@keel/secure-config";
 *
 * const loaded = loadConfig(
 *   { UPSTREAM: url({ protocols: ["https:"] }) },
 *   { source: { UPSTREAM: "https://api.example.com/v1" } },
 * );
 * console.assert(loaded.isOk() && loaded.value.UPSTREAM.hostname === "api.example.com");
 * ```
 */
export function url<const O extends UrlOptions = Record<never, never>>(options?: O): FieldFor<URL, O> {
  const protocols = normaliseProtocols(own(options, "protocols"));
  const parse = (raw: string): Result<URL, string> =>
    parseUrl(raw, protocols).andThen((parsed) =>
      parsed.username !== "" || parsed.password !== ""
        ? err("carries credentials: declare it with secretUrl(), which keeps it a Secret")
        : ok(parsed),
    );
  return makeField("url()", parse, options, { checkValue: (value) => parse(String(value)) });
}

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration such as `250ms`, `30s`, `15m`, `12h`, `7d` (or a plain number of milliseconds), in
 * milliseconds. A default may be written either way: `{ default: "30s" }` or `{ default: 30_000 }`.
 *
 * @example
 * ```ts
 * import { duration, loadConfig } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ TTL: duration(), GRACE: duration({ default: "30s" }) }, { source: { TTL: "15m" } });
 * console.assert(loaded.isOk() && loaded.value.TTL === 900_000 && loaded.value.GRACE === 30_000);
 * ```
 */
export function duration<const O extends FieldOptions<number> = Record<never, never>>(
  options?: O,
): FieldFor<number, O> {
  const reason = "expected a duration such as 500ms, 30s, 15m, 12h or 7d";
  return makeField(
    "duration()",
    (raw) => {
      const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
      const value = match ? Number(match[1]) * (units[match[2] ?? "ms"] ?? 1) : Number.NaN;
      return Number.isSafeInteger(value) ? ok(value) : err(reason);
    },
    options,
    { checkValue: (value) => (Number.isSafeInteger(value) && value >= 0 ? ok(value) : err(reason)) },
  );
}

/**
 * A comma-separated list of trimmed, non-empty strings, deeply frozen (a default too: the config gets a
 * frozen copy, the caller's array stays theirs).
 *
 * @example
 * ```ts
 * import { list, loadConfig } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ ORIGINS: list() }, { source: { ORIGINS: "https://a.example, https://b.example" } });
 * console.assert(loaded.isOk() && loaded.value.ORIGINS.length === 2 && Object.isFrozen(loaded.value.ORIGINS));
 * ```
 */
export function list<const O extends FieldOptions<readonly string[]> = Record<never, never>>(
  options?: O,
): FieldFor<readonly string[], O> {
  const split = (raw: string): readonly string[] =>
    raw
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  return makeField("list()", (raw) => ok(split(raw)), options, {
    checkValue: (value) =>
      Array.isArray(value) && value.every((item) => typeof item === "string")
        ? ok(value)
        : err("expected a list of strings"),
  });
}

/**
 * One of the listed words.
 *
 * @example
 * ```ts
 * import { loadConfig, oneOf } from "@keel/secure-config";
 *
 * const loaded = loadConfig({ LOG_LEVEL: oneOf(["debug", "info", "warn"]) }, { source: { LOG_LEVEL: "info" } });
 * console.assert(loaded.isOk() && loaded.value.LOG_LEVEL === "info");
 * ```
 */
export function oneOf<const Word extends string, const O extends FieldOptions<Word> = Record<never, never>>(
  words: readonly Word[],
  options?: O,
): FieldFor<Word, O> {
  const reason = `expected one of ${words.join(", ")}`;
  return makeField(
    "oneOf()",
    (raw) => ((words as readonly string[]).includes(raw) ? ok(raw as Word) : err(reason)),
    options,
  );
}

/**
 * JSON, validated by a synchronous Standard Schema (Zod, Valibot, ...). A refused value gives the
 * validator's messages with every quoted value replaced by `[redacted]`, at paths that name only the
 * properties the schema declares (a record's keys come from the data and print as `*`). A schema that
 * throws, or JSON nested too deeply for it, is an issue too, never a crash. The value is deeply frozen.
 *
 * @example
 * ```ts
 * import { json, loadConfig } from "@keel/secure-config";
 * import * as z from "zod";
 *
 * const loaded = loadConfig({ LIMITS: json(z.object({ rps: z.number() })) }, { source: { LIMITS: '{"rps":50}' } });
 * console.assert(loaded.isOk() && loaded.value.LIMITS.rps === 50);
 * ```
 */
export function json<
  S extends StandardSchemaV1,
  const O extends FieldOptions<StandardSchemaV1.InferOutput<S>> = Record<never, never>,
>(schema: S, options?: O): FieldFor<StandardSchemaV1.InferOutput<S>, O> {
  const fromValue = fromSchema(schema);
  return makeField(
    "json()",
    (raw) => {
      // Parsed here, not by fromJson: the reason needs the data, to scrub the values a validator quoted.
      const data = parseOrNotJson(raw);
      if (data === notJson) return err("expected JSON");
      return fromValue(data).mapErr((error) => schemaReason(schema, error.issues, raw, data));
    },
    options,
    {
      checkValue: (value) =>
        fromValue(value).mapErr((error) => schemaReason(schema, error.issues, "", value)),
    },
  );
}

const notJson = Symbol("not JSON");

function parseOrNotJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return notJson;
  }
}
