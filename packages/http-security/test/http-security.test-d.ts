import { Hono } from "hono";
import { describe, expectTypeOf, it } from "vitest";
import { secureHeaders } from "../src/hono.ts";
import {
  type CorsError,
  type CrossOriginError,
  createCors,
  createCrossOriginProtection,
} from "../src/index.ts";

describe("types", () => {
  it("types c.var.cspNonce as a string", () => {
    new Hono().use(secureHeaders()).get("/", (c) => {
      expectTypeOf(c.var.cspNonce).toEqualTypeOf<string>();
      return c.text("x");
    });
  });

  it("types the errors of each check", () => {
    const check = createCrossOriginProtection().check(new Request("https://a.example.com"));
    if (check.isErr()) expectTypeOf(check.error).toEqualTypeOf<CrossOriginError>();
    const preflight = createCors({ origin: ["https://a.example.com"] }).preflight(
      new Request("https://a.example.com"),
    );
    if (preflight.isErr()) expectTypeOf(preflight.error._tag).toEqualTypeOf<CorsError["_tag"]>();
  });

  it("refuses unknown directive names and option values at compile time", () => {
    // @ts-expect-error: CSP directive names are kebab case
    secureHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'"] } } });
    // @ts-expect-error: ALLOW-FROM is obsolete
    secureHeaders({ xFrameOptions: "ALLOW-FROM" });
  });
});
