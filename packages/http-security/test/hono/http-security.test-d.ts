import { Hono } from "hono";
import { describe, expectTypeOf, it } from "vitest";
import { clientIp, jsonApiSecurity, requestId, secureHeaders } from "../../src/hono.ts";
import {
  type CorsError,
  type CrossOriginError,
  createClientIp,
  createCors,
  createCrossOriginProtection,
  ipNetwork,
  timingSafeEqual,
} from "../../src/index.ts";

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

  it("types the variables of requestId(), clientIp() and the presets", () => {
    new Hono()
      .use(requestId())
      .use(clientIp())
      .get("/", (c) => {
        expectTypeOf(c.var.requestId).toEqualTypeOf<string>();
        expectTypeOf(c.var.clientIp).toEqualTypeOf<string | undefined>();
        return c.text("x");
      });
    new Hono().use(jsonApiSecurity({ origin: ["https://a.example.com"] })).get("/", (c) => {
      expectTypeOf(c.var.requestId).toEqualTypeOf<string>();
      expectTypeOf(c.var.cspNonce).toEqualTypeOf<string>();
      return c.text("x");
    });
    // @ts-expect-error: the JSON API preset needs its origin allow-list
    jsonApiSecurity({});
  });

  it("types client IPs, keys and comparisons", () => {
    const ip = createClientIp()(new Request("https://a.example.com"), "1.2.3.4");
    if (ip.isOk()) expectTypeOf(ip.value).toEqualTypeOf<string>();
    if (ip.isErr()) expectTypeOf(ip.error._tag).toEqualTypeOf<"ClientAddressUnknown">();
    const key = ipNetwork("::1");
    if (key.isErr()) expectTypeOf(key.error._tag).toEqualTypeOf<"IpAddressInvalid">();
    expectTypeOf(timingSafeEqual("a", "b")).toEqualTypeOf<Promise<boolean>>();
    // @ts-expect-error: numbers are not compared
    timingSafeEqual(1, 2);
  });
});
