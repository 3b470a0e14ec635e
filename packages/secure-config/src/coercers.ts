/**
 * @module
 * Fields for the strings an environment holds: text, integers, ports, booleans, URLs, durations, lists,
 * JSON and enums. Each reason says what was expected, never what was found.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type FieldFor, type FieldOptions, field, parseWithSchema } from "./field.ts";

const ok = <T>(value: T) => ({ value });
const bad = (reason: string) => ({ reason });

/**
 * Any string (after the empty-string rule).
 *
 * @example
 * ```ts
 * import { loadConfig, string } from "@keel/secure-config";
 * console.assert(loadConfig({ REGION: string() }, { source: { REGION: "eu-west-1" } }).REGION === "eu-west-1");
 * ```
 */
export function string<const O extends FieldOptions<string> = Record<never, never>>(
  options?: O,
): FieldFor<string, O> {
  return field((raw) => ok(raw), options);
}

/** Options for {@link int}. */
export interface IntOptions extends FieldOptions<number> {
  readonly min?: number;
  readonly max?: number;
}

/**
 * A decimal integer (`-12`, `300`), within `min`/`max` when given.
 *
 * @example
 * ```ts
 * import { int, loadConfig } from "@keel/secure-config";
 * console.assert(loadConfig({ WORKERS: int({ min: 1 }) }, { source: { WORKERS: "4" } }).WORKERS === 4);
 * ```
 */
export function int<const O extends IntOptions = Record<never, never>>(options?: O): FieldFor<number, O> {
  const min = options?.min ?? Number.MIN_SAFE_INTEGER;
  const max = options?.max ?? Number.MAX_SAFE_INTEGER;
  const reason = `expected an integer from ${min} to ${max}`;
  return field((raw) => {
    const text = raw.trim();
    const value = Number(text);
    return /^-?\d+$/.test(text) && value >= min && value <= max ? ok(value) : bad(reason);
  }, options);
}

/**
 * A TCP port, 1 to 65535.
 *
 * @example
 * ```ts
 * import { loadConfig, port } from "@keel/secure-config";
 * console.assert(loadConfig({ PORT: port({ default: 3000 }) }, { source: {} }).PORT === 3000);
 * ```
 */
export function port<const O extends FieldOptions<number> = Record<never, never>>(
  options?: O,
): FieldFor<number, O> {
  return int({ ...options, min: 1, max: 65535 }) as FieldFor<number, O>;
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
 * console.assert(loadConfig({ DEBUG: bool() }, { source: { DEBUG: "Yes" } }).DEBUG === true);
 * ```
 */
export function bool<const O extends FieldOptions<boolean> = Record<never, never>>(
  options?: O,
): FieldFor<boolean, O> {
  return field((raw) => {
    const word = raw.trim().toLowerCase();
    return truthy.has(word)
      ? ok(true)
      : falsy.has(word)
        ? ok(false)
        : bad("expected true/false, 1/0, yes/no or on/off");
  }, options);
}

/** Options for {@link url}. */
export interface UrlOptions extends FieldOptions<URL> {
  /** Allowed schemes without the colon, e.g. `["https"]` or `["postgres", "postgresql"]`. */
  readonly protocols?: readonly string[];
}

/**
 * An absolute URL, as a `URL`; `protocols` limits the scheme.
 *
 * @example
 * ```ts
 * import { loadConfig, url } from "@keel/secure-config";
 * const config = loadConfig({ DATABASE_URL: url({ protocols: ["postgres"] }) }, { source: { DATABASE_URL: "postgres://db:5432/app" } });
 * console.assert(config.DATABASE_URL.hostname === "db");
 * ```
 */
export function url<const O extends UrlOptions = Record<never, never>>(options?: O): FieldFor<URL, O> {
  const protocols = options?.protocols;
  const reason = protocols ? `expected a ${protocols.join(" or ")} URL` : "expected an absolute URL";
  return field((raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return bad(reason);
    }
    return protocols && !protocols.includes(parsed.protocol.slice(0, -1)) ? bad(reason) : ok(parsed);
  }, options);
}

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration such as `250ms`, `30s`, `15m`, `12h`, `7d` (or a plain number of milliseconds), in milliseconds.
 *
 * @example
 * ```ts
 * import { duration, loadConfig } from "@keel/secure-config";
 * console.assert(loadConfig({ TTL: duration() }, { source: { TTL: "15m" } }).TTL === 900_000);
 * ```
 */
export function duration<const O extends FieldOptions<number> = Record<never, never>>(
  options?: O,
): FieldFor<number, O> {
  return field((raw) => {
    const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
    const value = match ? Number(match[1]) * (units[match[2] ?? "ms"] ?? 1) : Number.NaN;
    return Number.isSafeInteger(value)
      ? ok(value)
      : bad("expected a duration such as 500ms, 30s, 15m, 12h or 7d");
  }, options);
}

/**
 * A comma-separated list of trimmed, non-empty strings.
 *
 * @example
 * ```ts
 * import { list, loadConfig } from "@keel/secure-config";
 * const config = loadConfig({ ORIGINS: list() }, { source: { ORIGINS: "https://a.example, https://b.example" } });
 * console.assert(config.ORIGINS.length === 2);
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
  return field((raw) => ok(split(raw)), options);
}

/**
 * One of the listed words.
 *
 * @example
 * ```ts
 * import { loadConfig, oneOf } from "@keel/secure-config";
 * const config = loadConfig({ LOG_LEVEL: oneOf(["debug", "info", "warn"]) }, { source: { LOG_LEVEL: "info" } });
 * console.assert(config.LOG_LEVEL === "info");
 * ```
 */
export function oneOf<const Word extends string, const O extends FieldOptions<Word> = Record<never, never>>(
  words: readonly Word[],
  options?: O,
): FieldFor<Word, O> {
  const reason = `expected one of ${words.join(", ")}`;
  return field(
    (raw) => ((words as readonly string[]).includes(raw) ? ok(raw as Word) : bad(reason)),
    options,
  );
}

/**
 * JSON, validated by a synchronous Standard Schema (Zod, Valibot, ...).
 *
 * @example
 * ```ts
 * import { json, loadConfig } from "@keel/secure-config";
 * import * as z from "zod";
 * const config = loadConfig({ LIMITS: json(z.object({ rps: z.number() })) }, { source: { LIMITS: '{"rps":50}' } });
 * console.assert(config.LIMITS.rps === 50);
 * ```
 */
export function json<
  S extends StandardSchemaV1,
  const O extends FieldOptions<StandardSchemaV1.InferOutput<S>> = Record<never, never>,
>(schema: S, options?: O): FieldFor<StandardSchemaV1.InferOutput<S>, O> {
  return field((raw) => {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return bad("expected JSON");
    }
    return parseWithSchema(schema, data, "json()");
  }, options);
}
