/**
 * @module
 * The access token: a short HS256 JWT naming the user (`sub`), the tenant (`tid`) and the role, signed at
 * login and refresh, verified on the first `/api` request that presents it against one Zod schema of its
 * claims, then kept by the verifier's cache until it expires.
 */
import {
  createJwtSigner,
  createJwtVerifier,
  type JwtSigner,
  type JwtVerifier,
  type SecretLike,
} from "@keel/http-security/jwt";
import { z } from "zod";
import { TenantIdSchema, UserIdSchema } from "./ids.ts";

const ISSUER = "https://keel.dev/reference-service";
const AUDIENCE = "reference-service-api";
/** Seconds an access token lives: short, since only the refresh token can be revoked. */
export const ACCESS_TOKEN_SEC = 300;

/** The claims an access token carries, checked on every request: user, tenant and role. */
export const AccessClaimsSchema = z.object({
  sub: UserIdSchema,
  tid: TenantIdSchema,
  role: z.enum(["owner", "member"]),
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;

/** The signer (login, refresh) and the verifier (`jwtAuth`) of the access tokens, from `JWT_SECRET`. */
export function createAccessTokens(secret: SecretLike): {
  readonly signer: JwtSigner;
  readonly verifier: JwtVerifier<AccessClaims>;
} {
  const shared = { key: secret, issuer: ISSUER, audience: AUDIENCE };
  return {
    signer: createJwtSigner({ ...shared, algorithm: "HS256" }),
    verifier: createJwtVerifier({
      ...shared,
      algorithms: ["HS256"],
      claims: AccessClaimsSchema,
      // A client sends its token with every request: verified once, then kept until it expires. Nothing
      // revokes an access token, so keeping it for its whole life accepts nothing a check would refuse.
      cache: { maxEntries: 10_000, ttlSec: ACCESS_TOKEN_SEC },
    }),
  };
}
