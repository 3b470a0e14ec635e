import { Hono } from "hono";
import { describe, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { jwtAuth } from "../../src/hono.ts";
import { createJwtVerifier, type JwtClaims, type JwtError } from "../../src/jwt/index.ts";

const base = {
  algorithms: ["HS256"],
  key: "a-secret-of-at-least-32-bytes-for-hs256!",
  issuer: "iss",
} as const;

describe("JWT types", () => {
  it("types the claims by the schema, or as JwtClaims without one", async () => {
    const typed = createJwtVerifier({
      ...base,
      audience: "api",
      claims: z.object({ sub: z.string(), admin: z.boolean() }),
    });
    const result = await typed.verify("token");
    if (result.isOk()) expectTypeOf(result.value.claims).toEqualTypeOf<{ sub: string; admin: boolean }>();
    else expectTypeOf(result.error).toEqualTypeOf<JwtError>();
    const plain = await createJwtVerifier({ ...base, audience: "api" }).verify("token");
    if (plain.isOk()) expectTypeOf(plain.value.claims).toEqualTypeOf<JwtClaims>();
  });

  it("requires the audience and the algorithms (false is the explicit opt-out)", () => {
    // @ts-expect-error audience is required
    createJwtVerifier({ ...base });
    // @ts-expect-error algorithms is required
    createJwtVerifier({ key: base.key, issuer: "iss", audience: "api" });
    // @ts-expect-error none is not an algorithm
    createJwtVerifier({ ...base, algorithms: ["none"], audience: "api" });
    createJwtVerifier({ ...base, audience: false });
  });

  it("puts the typed claims on c.var.claims", () => {
    const verifier = createJwtVerifier({ ...base, audience: "api", claims: z.object({ sub: z.string() }) });
    new Hono().use(jwtAuth({ verifier })).get("/", (c) => {
      expectTypeOf(c.var.claims).toEqualTypeOf<{ sub: string }>();
      return c.text(c.var.claims.sub);
    });
  });
});
