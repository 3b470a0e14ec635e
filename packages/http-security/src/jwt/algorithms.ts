/**
 * The JWS algorithms a verifier or signer may use, and the check of an allow-list.
 *
 * @module
 */
import { optionError as fail } from "../_internal/options.ts";

/** The JWS algorithms a verifier or signer may use. `none` is not one of them. */
export type JwtAlgorithm =
  | "HS256"
  | "HS384"
  | "HS512"
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "EdDSA"
  | "Ed25519";

export const HMAC_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const;
const ALGORITHMS: ReadonlySet<string> = /* @__PURE__ */ new Set<JwtAlgorithm>([
  "HS256",
  "HS384",
  "HS512",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
]);
export const isHmac = (alg: string): alg is keyof typeof HMAC_BYTES => alg in HMAC_BYTES;

/** Checks `algorithms` and tells whether they are the symmetric kind. */
export function checkAlgorithms(where: string, algorithms: unknown): boolean {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    fail(where, "algorithms", "must be a non-empty list (no default: name the algorithms your issuer uses)");
  }
  for (const alg of algorithms as unknown[]) {
    if (typeof alg !== "string" || !ALGORITHMS.has(alg)) {
      fail(where, "algorithms", `must each be one of ${[...ALGORITHMS].join(", ")} ("none" never is)`);
    }
  }
  const symmetric = (algorithms as string[]).filter(isHmac).length;
  if (symmetric !== 0 && symmetric !== (algorithms as string[]).length) {
    fail(where, "algorithms", "may not mix HMAC (HS*) and public-key algorithms for one key");
  }
  return symmetric !== 0;
}
