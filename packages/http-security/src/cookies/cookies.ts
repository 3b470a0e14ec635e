/**
 * Cookies: a `Set-Cookie` writer with secure defaults that enforces the `__Host-` and `__Secure-` prefix
 * rules, a `Cookie` reader that never throws, and signed cookies (HMAC-SHA-256, Web Crypto) with key
 * rotation.
 *
 * @module
 */
import { type HeaderText, isToken, trimOws } from "../_internal/http-syntax.ts";
import { optionError as fail, refuseUnknownKeys } from "../_internal/options.ts";

/** Attributes of a cookie. The defaults are `Path=/`, `HttpOnly`, `Secure`, `SameSite=Lax`. */
export interface CookieOptions {
  /** `Path`; defaults to `/` (and must be `/` for a `__Host-` cookie). */
  readonly path?: string;
  /** `Domain`; none by default (host-only). Refused for a `__Host-` cookie. */
  readonly domain?: string;
  /**
   * `Max-Age` in whole seconds, 0 or more (0 deletes the cookie). More than 400 days is written as 400 days
   * (34560000), the most browsers keep (RFC 6265bis): what is sent is what the cookie gets.
   */
  readonly maxAge?: number;
  /** `Expires`. Browsers cap it at 400 days from when they receive it, as they cap `Max-Age`. */
  readonly expires?: Date;
  /** `HttpOnly`, out of reach of page scripts; defaults to `true`. */
  readonly httpOnly?: boolean;
  /** `Secure`, sent over HTTPS only; defaults to `true`. `false` is refused for prefixed names. */
  readonly secure?: boolean;
  /** `SameSite`; defaults to `"Lax"`. `"None"` needs `secure`. */
  readonly sameSite?: "Strict" | "Lax" | "None";
  /** `Partitioned` (CHIPS); needs `secure`. */
  readonly partitioned?: boolean;
}

// RFC 6265 cookie-octet: visible ASCII but DQUOTE, comma, semicolon and backslash.
const cookieValue = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const attributeValue = /^[\x20-\x3a\x3c-\x7e]*$/;
const domainValue =
  /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** The longest lifetime browsers give a cookie: 400 days (RFC 6265bis section 5.5, "cookie-age-limit"). */
const MAX_AGE_LIMIT = 400 * 24 * 60 * 60;

const cookieOptionKeys = [
  "path",
  "domain",
  "maxAge",
  "expires",
  "httpOnly",
  "secure",
  "sameSite",
  "partitioned",
] as const;

function flag(where: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(where, option, "must be true or false");
  return value as boolean;
}

/** Checks the name, value and options and writes the `Set-Cookie` value; shared with signed cookies. */
function serialize(where: string, name: string, value: string, options: CookieOptions): string {
  if (typeof name !== "string" || !isToken(name) || name.length > 256) fail(where, "name", "must be a token");
  if (typeof value !== "string" || !cookieValue.test(value) || value.length > 4096) {
    fail(
      where,
      "value",
      "must be at most 4096 cookie octets (no space, quote, comma, semicolon or backslash; encode it first)",
    );
  }
  if (typeof options !== "object" || options === null) fail(where, "options", "must be an object");
  refuseUnknownKeys(where, options, cookieOptionKeys);
  const { path = "/", domain, maxAge, expires, sameSite = "Lax" } = options;
  // A non-boolean would otherwise drop the attribute: `httpOnly: "yes"` is not `true`.
  const httpOnly = flag(where, "httpOnly", options.httpOnly, true);
  const secure = flag(where, "secure", options.secure, true);
  const partitioned = flag(where, "partitioned", options.partitioned, false);
  // Browsers now treat the prefixes case-insensitively; so does this check.
  const lower = name.toLowerCase();
  const host = lower.startsWith("__host-");
  if ((host || lower.startsWith("__secure-")) && secure !== true) {
    fail(where, "secure", "must be true for a __Host- or __Secure- cookie");
  }
  if (host && (path !== "/" || domain !== undefined)) {
    fail(where, "path", "must be / and domain absent for a __Host- cookie");
  }
  if (typeof path !== "string" || !path.startsWith("/") || !attributeValue.test(path)) {
    fail(where, "path", "must start with / and hold no ';' or control character");
  }
  if (
    domain !== undefined &&
    (typeof domain !== "string" || !domainValue.test(domain) || domain.length > 253)
  ) {
    fail(where, "domain", "must be a host name");
  }
  if (maxAge !== undefined && (!Number.isSafeInteger(maxAge) || maxAge < 0)) {
    fail(where, "maxAge", "must be a whole number of seconds, 0 or more (0 deletes the cookie)");
  }
  if (expires !== undefined && !(expires instanceof Date && Number.isFinite(expires.getTime()))) {
    fail(where, "expires", "must be a valid Date");
  }
  if (sameSite !== "Strict" && sameSite !== "Lax" && sameSite !== "None") {
    fail(where, "sameSite", "must be Strict, Lax or None");
  }
  if (sameSite === "None" && secure !== true) fail(where, "sameSite", "None needs secure: true");
  if (partitioned === true && secure !== true) fail(where, "partitioned", "needs secure: true");
  let text = `${name}=${value}; Path=${path}`;
  if (domain !== undefined) text += `; Domain=${domain}`;
  if (maxAge !== undefined) text += `; Max-Age=${Math.min(maxAge, MAX_AGE_LIMIT)}`;
  if (expires !== undefined) text += `; Expires=${expires.toUTCString()}`;
  if (httpOnly === true) text += "; HttpOnly";
  if (secure === true) text += "; Secure";
  text += `; SameSite=${sameSite}`;
  if (partitioned === true) text += "; Partitioned";
  return text;
}

/**
 * Writes a `Set-Cookie` value with secure defaults (`Path=/; HttpOnly; Secure; SameSite=Lax`). The prefix
 * rules are enforced: a `__Secure-` cookie must be `Secure`; a `__Host-` cookie must be `Secure`, have
 * `Path=/` and no `Domain`. A name that is not a token, a value with characters a cookie cannot hold (encode
 * it first, e.g. `encodeURIComponent`) or a bad or unknown option throws a `TypeError` naming it. A
 * `maxAge` above 400 days is written as 400 days, the most browsers keep a cookie.
 *
 * @example
 * ```ts
 * import { serializeCookie } from "@keel/http-security";
 *
 * const cookie = serializeCookie("__Host-session", "abc123", { maxAge: 3600 });
 * console.assert(cookie === "__Host-session=abc123; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
 * console.assert(serializeCookie("id", "1", { maxAge: 500 * 24 * 3600 }).includes("; Max-Age=34560000;"));
 *
 * let refused = false;
 * try {
 *   serializeCookie("__Host-session", "abc123", { domain: "example.com" });
 * } catch (error) {
 *   refused = error instanceof TypeError;
 * }
 * console.assert(refused);
 * ```
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  return serialize("serializeCookie", name, value, options);
}

const MAX_COOKIES = 200;

/**
 * Reads a `Cookie` header (or a request's) into a map of name to raw value (not decoded; surrounding
 * double quotes removed). Names are compared exactly as the browser sends them: only spaces and tabs
 * around a name or value are dropped (RFC 6265bis), so a cookie named `"\u00a0__Host-sid"` (which a sibling
 * subdomain may set, as no prefix rule applies to it) is skipped, never read as `__Host-sid`. The first of
 * two cookies with the same name wins (browsers send the one with the longest path first). Pairs without a
 * valid name are skipped, at most 200 cookies are read, each character once; never throws.
 *
 * @example
 * ```ts
 * import { parseCookies } from "@keel/http-security";
 *
 * const cookies = parseCookies(new Request("https://example.com/", { headers: { cookie: "__Host-session=abc; theme=\"dark\"; bad name=x" } }));
 * console.assert(cookies.get("__Host-session") === "abc" && cookies.get("theme") === "dark");
 * console.assert(cookies.size === 2);
 *
 * // A look-alike name planted by a sibling subdomain does not shadow the real cookie.
 * const planted = parseCookies("\u00a0__Host-sid=evil; __Host-sid=victim");
 * console.assert(planted.get("__Host-sid") === "victim" && planted.size === 1);
 * ```
 */
export function parseCookies(source: Request | Headers | string | null): Map<string, string> {
  const header =
    source instanceof Request
      ? source.headers.get("cookie")
      : source instanceof Headers
        ? source.get("cookie")
        : source;
  return typeof header === "string" ? readCookies(header) : new Map();
}

/** The cookies of a `Cookie` value; one pass, each character read a constant number of times. */
export function readCookies(header: HeaderText): Map<string, string> {
  const cookies = new Map<string, string>();
  let start = 0;
  while (start < header.length && cookies.size < MAX_COOKIES) {
    let end = start;
    let equals = -1;
    for (; end < header.length; end++) {
      const code = header.charCodeAt(end);
      if (code === 0x3b) break;
      if (code === 0x3d && equals === -1) equals = end;
    }
    const pairStart = start;
    start = end + 1;
    if (equals === -1) continue;
    const name = trimOws(header, pairStart, equals);
    let value = trimOws(header, equals + 1, end);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!isToken(name) || !cookieValue.test(value) || cookies.has(name)) continue;
    cookies.set(name, value);
  }
  return cookies;
}

/** Options for {@link createSignedCookies}. */
export interface SignedCookiesOptions {
  /**
   * Secret keys, newest first, each at least 32 bytes (a string of 32+ characters or a `Uint8Array`):
   * cookies are signed with the first and verified with any, so a key can be rotated in without logging
   * everybody out. Load them with `@keel/secure-config`.
   */
  readonly keys: readonly (string | Uint8Array)[];
}

/** Signed cookies, built once by {@link createSignedCookies}. */
export interface SignedCookies {
  /** The `Set-Cookie` value of `name` holding `value` and its signature (bound to the name). */
  serialize(name: string, value: string, options?: CookieOptions): Promise<string>;
  /** The value of the cookie `name` if its signature is valid under one of the keys, else `undefined`. */
  get(source: Request | Headers | string | null, name: string): Promise<string | undefined>;
}

const encoder = /* @__PURE__ */ new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(`${text.replace(/-/g, "+").replace(/_/g, "/")}=`);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * Builds, once at set-up, signed cookies: `serialize` appends an HMAC-SHA-256 signature of the name and
 * value (`value.signature`, base64url), signed with the first key; `get` returns the value only if the
 * signature verifies under one of the keys, so a tampered, truncated, renamed or unsigned cookie is simply
 * absent. Signing is not encryption: the value stays readable by the client. Keys shorter than 32 bytes
 * throw a `TypeError` (which never quotes a key).
 *
 * @example
 * ```ts
 * import { createSignedCookies } from "@keel/http-security";
 *
 * const previous = createSignedCookies({ keys: ["an-old-key-of-at-least-32-characters!"] });
 * const cookies = createSignedCookies({ keys: ["the-new-key-of-at-least-32-characters", "an-old-key-of-at-least-32-characters!"] });
 *
 * const setCookie = await cookies.serialize("__Host-user", "42");
 * const header = setCookie.split(";")[0] ?? "";
 * console.assert((await cookies.get(header, "__Host-user")) === "42");
 *
 * const tampered = header.replace("42.", "1.");
 * console.assert((await cookies.get(tampered, "__Host-user")) === undefined);
 *
 * // Signed with the previous key: still accepted after the rotation.
 * const old = ((await previous.serialize("__Host-user", "7")).split(";")[0]) ?? "";
 * console.assert((await cookies.get(old, "__Host-user")) === "7");
 * ```
 */
export function createSignedCookies(options: SignedCookiesOptions): SignedCookies {
  if (typeof options !== "object" || options === null)
    fail("createSignedCookies", "options", "must be an object");
  refuseUnknownKeys("createSignedCookies", options, ["keys"]);
  const { keys } = options;
  if (!Array.isArray(keys) || keys.length === 0)
    fail("createSignedCookies", "keys", "must be a non-empty list of keys");
  const raw = keys.map((key: unknown, index) => {
    const bytes =
      typeof key === "string"
        ? encoder.encode(key)
        : key instanceof Uint8Array
          ? new Uint8Array(key)
          : undefined;
    if (bytes === undefined || bytes.length < 32) {
      return fail(
        "createSignedCookies",
        `keys[${index}]`,
        "must be a string or Uint8Array of at least 32 bytes",
      );
    }
    return bytes;
  });
  let imported: Promise<CryptoKey[]> | undefined;
  const cryptoKeys = (): Promise<CryptoKey[]> => {
    imported ??= Promise.all(
      raw.map((bytes) =>
        crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
      ),
    );
    return imported;
  };
  // The name is signed too, so a value signed for one cookie is no good in another.
  const payload = (name: string, value: string) => encoder.encode(`${name}=${value}`);

  return {
    async serialize(name, value, cookieOptions = {}) {
      serialize("createSignedCookies", name, value, cookieOptions);
      const [current] = await cryptoKeys();
      const signature = new Uint8Array(
        await crypto.subtle.sign("HMAC", current as CryptoKey, payload(name, value)),
      );
      return serialize("createSignedCookies", name, `${value}.${toBase64Url(signature)}`, cookieOptions);
    },
    async get(source, name) {
      const signed = parseCookies(source).get(name);
      if (signed === undefined) return undefined;
      const dot = signed.lastIndexOf(".");
      const signature = dot === -1 ? undefined : fromBase64Url(signed.slice(dot + 1));
      if (signature === undefined) return undefined;
      const value = signed.slice(0, dot);
      for (const key of await cryptoKeys()) {
        if (await crypto.subtle.verify("HMAC", key, signature, payload(name, value))) return value;
      }
      return undefined;
    },
  };
}
