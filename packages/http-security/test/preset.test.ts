import { describe, expect, it } from "vitest";
import { createCspNonce, createHtmlSecurity, createJsonApiSecurity } from "../src/index.ts";

describe("createJsonApiSecurity", () => {
  it("builds every part with the JSON API defaults", () => {
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
    const refused = security.bodyLimit?.check(form);
    expect(refused?.isErr() && refused.error._tag).toBe("UnsupportedMediaType");
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
      csrf: { trustedOrigins: ["https://admin.example.com"] },
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
      createJsonApiSecurity({ origin: ["https://a.example"], csrf: { trustedOrigins: "x" as never } }),
    ).toThrow(/^createCrossOriginProtection: trustedOrigins/);
  });

  it("requires the origin allow-list", () => {
    expect(() => createJsonApiSecurity({} as never)).toThrow(/^createJsonApiSecurity: origin /);
    expect(() => createJsonApiSecurity({ origin: [] })).toThrow(/^createCors: origin /);
    expect(() => createJsonApiSecurity({ origin: ["*"], cors: { credentials: true } })).toThrow(TypeError);
  });

  it("takes each part's options, or false", () => {
    const security = createJsonApiSecurity({
      origin: ["https://app.example.com"],
      secureHeaders: { contentSecurityPolicy: { directives: { "img-src": ["'self'"] } } },
      csrf: false,
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
    expect(security.bodyLimit?.check(cbor).isOk()).toBe(true);
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
});

describe("createHtmlSecurity", () => {
  it("builds the HTML defaults: html CSP with a nonce, no CORS", () => {
    const security = createHtmlSecurity();
    expect(security.secureHeaders.usesNonce).toBe(true);
    const nonce = createCspNonce();
    expect(new Map(security.secureHeaders.entries(nonce)).get("Content-Security-Policy")).toContain(
      `'nonce-${nonce}'`,
    );
    expect(security.cors).toBeUndefined();
    const form = new Request("https://example.com/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(security.bodyLimit?.check(form).isOk()).toBe(true);
  });

  it("adds CORS when origin is given", () => {
    expect(createHtmlSecurity({ origin: ["https://app.example.com"] }).cors).toBeDefined();
  });
});
