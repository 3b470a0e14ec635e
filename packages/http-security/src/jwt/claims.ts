/**
 * The claims and header of a JWT, and the checks jose leaves to us: `__proto__` keys and ill-typed registered claims.
 *
 * @module
 */

/** The registered claims of a JWT, and any others. */
export interface JwtClaims {
  /** Issuer: who minted the token; checked against the verifier's `issuer`. */
  readonly iss?: string;
  /** Subject: whom the token is about, usually the user's id. */
  readonly sub?: string;
  /** Audience: the service or services the token is for; checked against the verifier's `audience`. */
  readonly aud?: string | readonly string[];
  /** Expiry, in seconds since the Unix epoch: the token is refused from then on. Required by the verifier. */
  readonly exp?: number;
  /** Not before, in seconds since the Unix epoch: the token is refused until then. */
  readonly nbf?: number;
  /** Issued at, in seconds since the Unix epoch: what `maxTokenAgeSec` measures the token's age from. */
  readonly iat?: number;
  /** JWT id: a unique id for the token, for a revocation list or replay detection of your own. */
  readonly jti?: string;
  /** Any other claim (roles, scopes, tenant...): unchecked unless the verifier's schema checks it. */
  readonly [claim: string]: unknown;
}

/** The protected header of a verified JWT. */
export interface JwtHeader {
  /** The signing algorithm, always one of the verifier's allow-list. */
  readonly alg: string;
  /** Key id: which key of the set signed the token (how a JWKS key is picked). */
  readonly kid?: string;
  /** Type: the token's media type, checked against the verifier's `typ` (`JWT` by default). */
  readonly typ?: string;
  /** Any other header parameter, as the token carried it. */
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
