/**
 * @module
 * Redact structured log data: `Secret`s and values under sensitive keys, without code generation (so it
 * runs on Workers, where pino's `redact` cannot, pino #1612), cycle-safe, never touching the input.
 */
import { isSecret } from "./secret.ts";

/** Options for {@link createRedactor}. */
export interface RedactOptions {
  /**
   * Fragments of key names whose values are replaced: a key matches when, lower-cased and without `-` and
   * `_`, it contains one (`password` catches `dbPassword` and `NEW_PASSWORD`; `apiKey` catches `x-api-key`).
   * Defaults to {@link defaultSensitiveKeys}.
   */
  readonly keys?: readonly string[];
  /** What replaces a value; default `"[redacted]"`. */
  readonly censor?: string;
  /** Deeper objects are replaced by `"[too deep]"`; default 32. */
  readonly maxDepth?: number;
}

/**
 * The key-name fragments redacted by default. Deliberately not plain `key` or `session`, which would hide
 * cache keys, `ConfigError` issue keys and session counts.
 */
export const defaultSensitiveKeys: readonly string[] = [
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
];

const normalise = (key: string): string => key.toLowerCase().replace(/[-_]/g, "");

/** A URL with its password and its sensitive query parameters censored (the censor left readable). */
function censorUrl(url: URL, censor: string, isSensitive: (key: string) => boolean): string {
  const marker = "keel-redacted-marker";
  const copy = new URL(url.href);
  if (copy.password !== "") copy.password = marker;
  for (const name of new Set(copy.searchParams.keys()))
    if (isSensitive(name)) copy.searchParams.set(name, marker);
  return copy.href.replaceAll(marker, censor);
}

// Only strings that look like a URL with credentials or a query are parsed: most log strings are not URLs.
const credentialedUrl = /^[a-z][a-z0-9+.-]*:\/\/[^\s]*[@?]/i;

/**
 * Builds (once) a redactor: a function returning a redacted deep copy of a value. `Secret`s anywhere
 * become the censor; so do values under a sensitive key, however nested, in objects and arrays. Cycles
 * become `"[circular]"`. The input is never modified.
 *
 * @example
 * ```ts
 * import { createRedactor } from "@keel/secure-config";
 * const redact = createRedactor({ keys: ["password", "authorization"] });
 * const line = redact({ user: "ada", headers: { Authorization: "Bearer x" }, password: "p" });
 * console.assert(JSON.stringify(line) === '{"user":"ada","headers":{"Authorization":"[redacted]"},"password":"[redacted]"}');
 * ```
 */
export function createRedactor(options: RedactOptions = {}): <T>(value: T) => T {
  const fragments = (options.keys ?? defaultSensitiveKeys).map(normalise);
  const isSensitive = (key: string): boolean => {
    const name = normalise(key);
    return fragments.some((fragment) => name.includes(fragment));
  };
  const censor = options.censor ?? "[redacted]";
  const maxDepth = options.maxDepth ?? 32;

  function copy(value: unknown, seen: Set<object>, depth: number): unknown {
    if (isSecret(value)) return censor;
    if (typeof value === "string" && credentialedUrl.test(value) && URL.canParse(value)) {
      return censorUrl(new URL(value), censor, isSensitive);
    }
    if (typeof value !== "object" || value === null) return value;
    if (seen.has(value)) return "[circular]";
    if (depth >= maxDepth) return "[too deep]";
    if (value instanceof Date) return value;
    // A connection URL carries its password: keep the URL, not the password.
    if (value instanceof URL) return censorUrl(value, censor, isSensitive);
    seen.add(value);
    let out: unknown;
    if (Array.isArray(value)) {
      out = value.map((item) => copy(item, seen, depth + 1));
    } else if (value instanceof Error) {
      out = { name: value.name, message: value.message, ...copyEntries(value, seen, depth) };
    } else {
      out = copyEntries(value, seen, depth);
    }
    seen.delete(value);
    return out;
  }

  function copyEntries(value: object, seen: Set<object>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const redacted = isSensitive(key) ? censor : copy(inner, seen, depth + 1);
      Object.defineProperty(out, key, {
        value: redacted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  return <T>(value: T) => copy(value, new Set(), 0) as T;
}

const redactWithDefaults = /* @__PURE__ */ createRedactor();

/**
 * Redacts with the default keys: a deep copy with `Secret`s and sensitive keys replaced by `"[redacted]"`.
 * Use it as a pino formatter (`formatters: { log: redact }`) or around `console.log` arguments.
 *
 * @example
 * ```ts
 * import { redact, Secret } from "@keel/secure-config";
 * const entry = { msg: "login", apiKey: "k", nested: [{ token: "t" }], db: new Secret("pw") };
 * console.assert(JSON.stringify(redact(entry)) === '{"msg":"login","apiKey":"[redacted]","nested":[{"token":"[redacted]"}],"db":"[redacted]"}');
 * ```
 */
export function redact<T>(value: T): T {
  return redactWithDefaults(value);
}
