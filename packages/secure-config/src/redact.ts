/**
 * Redact structured log data: `Secret`s and values under sensitive keys, without code generation (so it
 * runs on Workers, where pino's `redact` could not up to pino 9.11), cycle-safe, never touching
 * the input, never throwing.
 *
 * @module
 */
import { copyRedacted } from "./_internal/copy-redacted.ts";
import { own } from "./_internal/own.ts";
import type { Secret } from "./secret.ts";

/** Options for {@link createRedactor}. */
export interface RedactOptions {
  /**
   * More fragments of key names whose values are replaced, added to {@link defaultSensitiveKeys}. A key
   * matches when, lower-cased and without `-` and `_`, it contains one (`password` catches `dbPassword` and
   * `NEW_PASSWORD`; `apiKey` catches `x-api-key`).
   */
  readonly keys?: readonly string[];
  /** Use `keys` alone, without {@link defaultSensitiveKeys}. Default false: the defaults always apply. */
  readonly replaceDefaultKeys?: boolean;
  /** What replaces a value; default `"[redacted]"`. */
  readonly censor?: string;
  /** Deeper objects are replaced by `"[too deep]"`; default 32. An integer from 1, or `Infinity`. */
  readonly maxDepth?: number;
}

/** The values {@link Redacted} keeps as they are, besides `Date`s, binary data and functions. */
export type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** A value where a redactor may put a string instead: the censor, `"[circular]"`, `"[too deep]"`, `"[unreadable]"`. */
export type RedactedValue<T> = Redacted<T> | string;

/**
 * What a redactor returns for a `T`: `Secret`s and `URL`s become strings; `Map`, `Headers`,
 * `URLSearchParams` and `FormData` plain objects of their entries; a `Set` an array; an `Error` a plain
 * object with its `name`, `message` and `stack`; and any value inside may be a string instead (see
 * {@link RedactedValue}). Dates, binary data and functions are kept.
 */
export type Redacted<T> = T extends Secret<unknown> | URL
  ? string
  : T extends Primitive | Date | ArrayBuffer | ArrayBufferView | ((...args: never[]) => unknown)
    ? T
    : T extends ReadonlyMap<unknown, unknown> | Headers | URLSearchParams | FormData
      ? { [key: string]: unknown }
      : T extends ReadonlySet<infer V>
        ? RedactedValue<V>[]
        : T extends readonly unknown[]
          ? RedactedValue<T[number]>[]
          : T extends Error
            ? { name: string; message: string; stack?: string; [key: string]: unknown }
            : {
                -readonly [K in keyof T as T[K] extends (...args: never[]) => unknown
                  ? never
                  : K]: RedactedValue<T[K]>;
              };

/** A function returning a redacted deep copy of what it is given. */
export type Redactor = <T>(value: T) => Redacted<T>;

/**
 * The key-name fragments redacted by default. Deliberately not plain `key` or `session`, which would hide
 * cache keys, `ConfigError` issue keys and session counts.
 *
 * @example
 * ```ts
 * import { defaultSensitiveKeys, redact } from "@keel/secure-config";
 *
 * console.assert(defaultSensitiveKeys.includes("apiKey") && !defaultSensitiveKeys.includes("key"));
 * // Lower-cased and without "-" and "_", a key containing a fragment is redacted.
 * console.assert(JSON.stringify(redact({ "x-api-key": "k", cacheKey: "c" })) === '{"x-api-key":"[redacted]","cacheKey":"c"}');
 * ```
 */
export const defaultSensitiveKeys: readonly string[] = /* @__PURE__ */ Object.freeze([
  "password",
  "passwd",
  "pwd",
  "secret",
  "token",
  "apiKey",
  "privateKey",
  "authorization",
  "cookie",
  "sessionId",
  "jwt",
  "credential",
  "creditCard",
  "cardNumber",
  "cvv",
  "ssn",
]);

const normalise = (key: string): string => key.toLowerCase().replace(/[-_]/g, "");

/**
 * Builds (once) a redactor: a function returning a redacted deep copy of a value. `Secret`s anywhere
 * become the censor; so do values under a sensitive key (the defaults plus `keys`), however nested, in
 * objects, arrays, `Map`s, `Headers`, `URLSearchParams` and `FormData`. A `URL` (or a URL string with
 * credentials or a query) keeps everything but its password and sensitive query parameters, and any other
 * text loses the password of each URL it quotes. Cycles become `"[circular]"`. An `Error` becomes a plain object with its `name`, `message`, `stack` and `cause` (the
 * stack's first line rebuilt from the redacted name and message, then its frame lines only). It never
 * throws and never modifies its input; any depth works, in linear time.
 * Invalid options throw a `RangeError` here, at set-up.
 *
 * @example
 * ```ts
 * import { createRedactor } from "@keel/secure-config";
 *
 * const redactPii = createRedactor({ keys: ["email"], censor: "***" });
 * const line = redactPii({ user: "ada", email: "ada@example.com", headers: { Authorization: "Bearer x" } });
 * console.assert(JSON.stringify(line) === '{"user":"ada","email":"***","headers":{"Authorization":"***"}}');
 * ```
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const extra = own(options, "keys") ?? [];
  const replace = own(options, "replaceDefaultKeys") === true;
  const fragments = [...(replace ? [] : defaultSensitiveKeys), ...extra].map(normalise).filter(Boolean);
  const censor = own(options, "censor") ?? "[redacted]";
  const maxDepth = own(options, "maxDepth") ?? 32;
  if (!(maxDepth === Number.POSITIVE_INFINITY || (Number.isInteger(maxDepth) && maxDepth >= 1))) {
    throw new RangeError("createRedactor: maxDepth must be an integer from 1, or Infinity");
  }
  if (typeof censor !== "string") throw new RangeError("createRedactor: censor must be a string");
  const sensitive = new Map<string, boolean>();
  const isSensitive = (key: string): boolean => {
    let known = sensitive.get(key);
    if (known === undefined) {
      const name = normalise(key);
      known = fragments.some((fragment) => name.includes(fragment));
      // Key names repeat from one log line to the next: remember a bounded number of them.
      if (sensitive.size < 10_000) sensitive.set(key, known);
    }
    return known;
  };
  const settings = { isSensitive, censor, maxDepth };
  return <T>(value: T) => copyRedacted(value, settings) as Redacted<T>;
}

const redactWithDefaults: Redactor = /* @__PURE__ */ createRedactor();

/**
 * Redacts with the default keys: a deep copy with `Secret`s and sensitive keys replaced by `"[redacted]"`.
 * An `Error` keeps its `name`, `message`, `stack` and `cause`. Use it as pino's `formatters.log` (with
 * pino's error serialiser for the `type`: the package's pino guide shows how) or around `console.log`
 * arguments.
 *
 * @example
 * ```ts
 * import { redact, Secret } from "@keel/secure-config";
 *
 * const headers = new Headers({ authorization: "Bearer t", accept: "application/json" });
 * const entry = { msg: "login", headers, nested: [{ token: "t" }], db: new Secret("pw") };
 * const expected = '{"msg":"login","headers":{"accept":"application/json","authorization":"[redacted]"},"nested":[{"token":"[redacted]"}],"db":"[redacted]"}';
 * console.assert(JSON.stringify(redact(entry)) === expected);
 * ```
 */
export function redact<T>(value: T): Redacted<T> {
  return redactWithDefaults(value);
}
