import { describe, expect, it } from "vitest";
import { createHtmlSecurity, createJsonApiSecurity, generateCspNonce } from "../../src/index.ts";

describe("createJsonApiSecurity", () => {
  it("builds every part with the JSON API defaults", async () => {
    const security = createJsonApiSecurity({ origin: ["https://app.example.com"] });
    const headers = new Map(security.secureHeaders.entries());
    expect(headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(security.cors).toBeDefined();
    expect(security.requestId?.header).toBe("x-request-id");
    const form = new Request("https://api.example.com/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    const refused = await security.bodyLimit?.check(form);
    expect(refused?.isErr() && refused.error._tag).toBe("MediaTypeUnsupported");
    const cross = security.crossOriginProtection?.check(
      new Request("https://api.example.com/", {
        method: "POST",
        headers: { "sec-fetch-site": "cross-site" },
      }),
    );
    expect(cross?.isErr()).toBe(true);
  });

  it("lets the listed origins write cross-site (CSRF trusts them), and no other", () => {
    const post = (origin: string): Request =>
      new Request("https://api.example.com/orders", {
        method: "POST",
        headers: { "sec-fetch-site": "cross-site", origin },
      });
    const security = createJsonApiSecurity({
      origin: ["https://app.example.com"],
      cors: { credentials: true },
      crossOriginProtection: { trustedOrigins: ["https://admin.example.com"] },
    });
    const check = (origin: string) => security.crossOriginProtection?.check(post(origin)).isOk();
    expect(check("https://app.example.com")).toBe(true);
    expect(check("https://admin.example.com")).toBe(true);
    expect(check("https://app.example.com.evil.example")).toBe(false);
    expect(check("null")).toBe(false);
    const publicApi = createJsonApiSecurity({ origin: ["*"] });
    expect(publicApi.crossOriginProtection?.check(post("https://evil.example")).isOk()).toBe(false);
    const byPredicate = createJsonApiSecurity({ origin: (origin) => origin === "https://app.example.com" });
    expect(byPredicate.crossOriginProtection?.check(post("https://app.example.com")).isOk()).toBe(false);
    expect(() =>
      createJsonApiSecurity({
        origin: ["https://a.example"],
        crossOriginProtection: { trustedOrigins: "x" as never },
      }),
    ).toThrow(/^createCrossOriginProtection: trustedOrigins/);
  });

  it("requires the origin allow-list", () => {
    expect(() => createJsonApiSecurity({} as never)).toThrow(/^createJsonApiSecurity: origin /);
    expect(() => createJsonApiSecurity({ origin: [] })).toThrow(/^createCors: origin /);
    expect(() => createJsonApiSecurity({ origin: ["*"], cors: { credentials: true } })).toThrow(TypeError);
  });

  it("takes each part's options, or false", async () => {
    const security = createJsonApiSecurity({
      origin: ["https://app.example.com"],
      secureHeaders: { contentSecurityPolicy: { directives: { "img-src": ["'self'"] } } },
      crossOriginProtection: false,
      bodyLimit: { maxBytes: 10, contentTypes: ["application/cbor"] },
      requestId: false,
    });
    expect(new Map(security.secureHeaders.entries()).get("Content-Security-Policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; img-src 'self'",
    );
    expect(security.crossOriginProtection).toBeUndefined();
    expect(security.requestId).toBeUndefined();
    const cbor = new Request("https://api.example.com/", {
      method: "POST",
      headers: { "content-type": "application/cbor" },
      body: "x",
    });
    expect((await security.bodyLimit?.check(cbor))?.isOk()).toBe(true);
    expect(
      createJsonApiSecurity({ origin: ["https://a.example"], bodyLimit: false }).bodyLimit,
    ).toBeUndefined();
  });

  it("checks each part's options at set-up", () => {
    expect(() =>
      createJsonApiSecurity({ origin: ["https://a.example"], requestId: { header: "bad header" } }),
    ).toThrow(/^createRequestId: header/);
    expect(() =>
      createJsonApiSecurity({ origin: ["https://a.example"], bodyLimit: { maxBytes: -1 } }),
    ).toThrow(/^createBodyLimit: maxBytes/);
  });

  it("refuses unknown options, at the top and in each part, naming them", () => {
    const origin = ["https://a.example"];
    expect(() => createJsonApiSecurity({ origin, csrf: false } as never)).toThrow(
      /^createJsonApiSecurity: unknown option csrf/,
    );
    expect(() => createJsonApiSecurity({ origin, bodyLimit: { maxByte: 10 } } as never)).toThrow(
      /^createBodyLimit: unknown option maxByte \(did you mean maxBytes\?\)/,
    );
    expect(() => createHtmlSecurity({ requestID: false } as never)).toThrow(
      /^createHtmlSecurity: unknown option requestID \(did you mean requestId\?\)/,
    );
    expect(() => createJsonApiSecurity(null as never)).toThrow(/^createJsonApiSecurity: options/);
  });
});

describe("createHtmlSecurity", () => {
  it("builds the HTML defaults: html CSP with a nonce, same-origin referrers, no CORS", async () => {
    const security = createHtmlSecurity();
    expect(security.secureHeaders.usesNonce).toBe(true);
    const nonce = generateCspNonce();
    expect(new Map(security.secureHeaders.entries(nonce)).get("Content-Security-Policy")).toContain(
      `'nonce-${nonce}'`,
    );
    expect(security.cors).toBeUndefined();
    const form = new Request("https://example.com/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect((await security.bodyLimit?.check(form))?.isOk()).toBe(true);
    // Not no-referrer: under it a browser sends `Origin: null` with the site's own forms, which a browser
    // without Fetch Metadata then has refused (see the e2e in examples/http-security-hono).
    expect(new Map(security.secureHeaders.entries(nonce)).get("Referrer-Policy")).toBe("same-origin");
    const own = createHtmlSecurity({ secureHeaders: { referrerPolicy: "no-referrer" } });
    expect(new Map(own.secureHeaders.entries(nonce)).get("Referrer-Policy")).toBe("no-referrer");
    const api = createJsonApiSecurity({ origin: ["https://a.example"] });
    expect(new Map(api.secureHeaders.entries()).get("Referrer-Policy")).toBe("no-referrer");
  });

  it("adds CORS when origin is given", () => {
    expect(createHtmlSecurity({ origin: ["https://app.example.com"] }).cors).toBeDefined();
  });
});
