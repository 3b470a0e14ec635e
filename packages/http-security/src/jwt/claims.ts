/**
 * @module
 * The claims and header of a JWT, and the checks jose leaves to us: `__proto__` keys and ill-typed registered claims.
 */

/** The registered claims of a JWT, and any others. */
export interface JwtClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/** The protected header of a verified JWT. */
export interface JwtHeader {
  readonly alg: string;
  readonly kid?: string;
  readonly typ?: string;
  readonly [parameter: string]: unknown;
}

// Claims a JwtClaimInvalid may name; a name the token chose is never repeated.
export const NAMED_CLAIMS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "jti",
  "typ",
]);

/**
 * Whether a parsed JSON value holds a `__proto__` key at any depth: `JSON.parse` makes it an own key, which
 * `Object.assign` or a deep merge would then take as a prototype.
 */
export function hasProtoKey(json: unknown): boolean {
  const pending: unknown[] = [json];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (typeof value !== "object" || value === null) continue;
    if (Object.hasOwn(value, "__proto__")) return true;
    // One at a time: spreading a 500,000-item array would overflow the stack (and make `verify` reject).
    for (const item of Object.values(value)) if (typeof item === "object") pending.push(item);
  }
  return false;
}

/**
 * The registered claim of the wrong type in a claims set jose verified (it checks only what it compares):
 * `exp` as `1e400`, parsed to Infinity (a token that never expires), `aud: [1, "api"]`, a numeric `sub`.
 */
export function invalidClaim(claims: Record<string, unknown>): string | undefined {
  for (const name of ["exp", "nbf", "iat"]) {
    if (claims[name] !== undefined && !Number.isFinite(claims[name])) return name;
  }
  for (const name of ["iss", "sub", "jti"]) {
    if (claims[name] !== undefined && typeof claims[name] !== "string") return name;
  }
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== "string") {
    if (!Array.isArray(aud) || !aud.every((item) => typeof item === "string")) return "aud";
  }
  return undefined;
}
