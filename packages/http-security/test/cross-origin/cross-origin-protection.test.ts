import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crossOriginProtection } from "../../src/hono.ts";
import { type CrossOriginProtectionOptions, createCrossOriginProtection } from "../../src/index.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs (Bun, Deno run in parallel): not a time assertion.
const PROPERTY_TIMEOUT = 120_000;

const URL_ = "https://app.example.com/transfer";
const SAME = "https://app.example.com";

const check = (
  headers: Record<string, string>,
  {
    method = "POST",
    url = URL_,
    options = {},
  }: { method?: string; url?: string; options?: CrossOriginProtectionOptions } = {},
) => createCrossOriginProtection(options).check(new Request(url, { method, headers }));
const tagOf = (result: ReturnType<typeof check>) => (result.isErr() ? result.error._tag : "ok");

// The request-time cases of Go 1.25's net/http CrossOriginProtection tests, plus the adversarial ones.
describe("createCrossOriginProtection(): Go 1.25 algorithm", () => {
  it.each(["GET", "HEAD", "OPTIONS"])(
    "lets the safe method %s through, whatever its headers say",
    (method) => {
      expect(
        tagOf(check({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }, { method })),
      ).toBe("ok");
    },
  );

  it.each([
    ["same-origin", "ok"],
    ["none", "ok"],
    ["cross-site", "CrossOriginRequest"],
    ["same-site", "CrossOriginRequest"],
    ["Same-Origin", "CrossOriginRequest"], // values are case-sensitive, as in Go
    ["same-origin, cross-site", "CrossOriginRequest"], // two headers joined: not exactly same-origin
    ["same-origin ", "ok"], // Headers trims surrounding whitespace
    ["garbage", "CrossOriginRequest"],
  ])("Sec-Fetch-Site: %s -> %s", (site, expected) => {
    expect(tagOf(check({ "sec-fetch-site": site }))).toBe(expected);
  });

  it("Sec-Fetch-Site decides over Origin", () => {
    expect(tagOf(check({ "sec-fetch-site": "cross-site", origin: SAME }))).toBe("CrossOriginRequest");
    expect(tagOf(check({ "sec-fetch-site": "same-origin", origin: "https://evil.example" }))).toBe("ok");
  });

  it.each([
    ["no Origin and no Sec-Fetch-Site (not a browser)", {}, "ok"],
    ["an empty Sec-Fetch-Site counts as absent", { "sec-fetch-site": "" }, "ok"],
    ["an empty Origin counts as absent", { origin: "" }, "ok"],
    ["Origin matching the host", { origin: SAME }, "ok"],
    [
      "Origin matching the host over http (scheme not compared, as Go)",
      { origin: "http://app.example.com" },
      "ok",
    ],
    ["Origin from another host", { origin: "https://evil.example" }, "CrossOriginRequestFromOldBrowser"],
    [
      "Origin from a sibling subdomain",
      { origin: "https://api.example.com" },
      "CrossOriginRequestFromOldBrowser",
    ],
    [
      "Origin with another port",
      { origin: "https://app.example.com:8443" },
      "CrossOriginRequestFromOldBrowser",
    ],
    [
      "Origin with the host as a prefix",
      { origin: "https://app.example.com.evil.example" },
      "CrossOriginRequestFromOldBrowser",
    ],
    ["Origin null", { origin: "null" }, "CrossOriginRequestFromOldBrowser"],
    ["Origin with a path", { origin: "https://app.example.com/x" }, "CrossOriginRequestFromOldBrowser"],
    ["Origin in upper case", { origin: "https://APP.example.com" }, "CrossOriginRequestFromOldBrowser"],
    [
      "Origin with userinfo",
      { origin: "https://app.example.com@evil.example" },
      "CrossOriginRequestFromOldBrowser",
    ],
    ["two Origins", { origin: `${SAME}, https://evil.example` }, "CrossOriginRequestFromOldBrowser"],
    ["Origin without a scheme", { origin: "app.example.com" }, "CrossOriginRequestFromOldBrowser"],
  ])("without Sec-Fetch-Site: %s", (_, headers, expected) => {
    expect(tagOf(check(headers))).toBe(expected);
  });

  it("compares the Origin's port with the request's", () => {
    expect(tagOf(check({ origin: "http://localhost:3000" }, { url: "http://localhost:3000/x" }))).toBe("ok");
    expect(tagOf(check({ origin: "http://localhost:3001" }, { url: "http://localhost:3000/x" }))).toBe(
      "CrossOriginRequestFromOldBrowser",
    );
  });

  it.each(["POST", "PUT", "PATCH", "DELETE", "post"])("checks every other method: %s", (method) => {
    expect(tagOf(check({ "sec-fetch-site": "cross-site" }, { method }))).toBe("CrossOriginRequest");
  });
});

describe("createCrossOriginProtection(): Content-Type plays no part (Hono CSRF content-type bypass)", () => {
  const contentTypes = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "Application/X-WWW-Form-Urlencoded",
    "TEXT/PLAIN;charset=UTF-8",
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded ; x",
    "text/plain, application/json",
    "application/csp-report",
    "",
    "*/*",
    "x",
  ];
  it.each(contentTypes)("cross-site with Content-Type %j is refused", (contentType) => {
    expect(tagOf(check({ "sec-fetch-site": "cross-site", "content-type": contentType }))).toBe(
      "CrossOriginRequest",
    );
    expect(tagOf(check({ origin: "https://evil.example", "content-type": contentType }))).toBe(
      "CrossOriginRequestFromOldBrowser",
    );
  });
  it.each(contentTypes)("same-origin with Content-Type %j passes", (contentType) => {
    expect(tagOf(check({ "sec-fetch-site": "same-origin", "content-type": contentType }))).toBe("ok");
  });
});

describe("createCrossOriginProtection(): trusted origins and bypass paths", () => {
  const options = {
    trustedOrigins: ["https://admin.example.com"],
    bypassPaths: ["/webhooks/stripe", "/hooks/*"],
  };
  it.each([
    [
      "a trusted origin, cross-site",
      { "sec-fetch-site": "cross-site", origin: "https://admin.example.com" },
      URL_,
      "ok",
    ],
    ["a trusted origin, old browser", { origin: "https://admin.example.com" }, URL_, "ok"],
    [
      "a trusted origin with a trailing slash",
      { "sec-fetch-site": "cross-site", origin: "https://admin.example.com/" },
      URL_,
      "CrossOriginRequest",
    ],
    [
      "a trusted origin over http",
      { "sec-fetch-site": "cross-site", origin: "http://admin.example.com" },
      URL_,
      "CrossOriginRequest",
    ],
    [
      "a trusted origin as a prefix",
      { "sec-fetch-site": "cross-site", origin: "https://admin.example.com.evil.example" },
      URL_,
      "CrossOriginRequest",
    ],
    [
      "a bypassed exact path",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/webhooks/stripe",
      "ok",
    ],
    [
      "below a bypassed exact path",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/webhooks/stripe/x",
      "CrossOriginRequest",
    ],
    [
      "a bypassed path with a query",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/webhooks/stripe?x=1",
      "ok",
    ],
    ["a bypassed subtree", { "sec-fetch-site": "cross-site" }, "https://app.example.com/hooks/a/b", "ok"],
    [
      "the subtree's own root",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/hooks",
      "CrossOriginRequest",
    ],
    [
      "a look-alike of the subtree",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/hooksx/a",
      "CrossOriginRequest",
    ],
    [
      "a dot-segment escape",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/hooks/../transfer",
      "CrossOriginRequest",
    ],
    [
      "an encoded dot-segment escape",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/hooks/%2e%2e/transfer",
      "CrossOriginRequest",
    ],
    [
      "another case",
      { "sec-fetch-site": "cross-site" },
      "https://app.example.com/Webhooks/stripe",
      "CrossOriginRequest",
    ],
  ])("%s", (_, headers, url, expected) => {
    expect(tagOf(check(headers, { url, options }))).toBe(expected);
  });

  it.each<[string, CrossOriginProtectionOptions]>([
    ["a trusted origin with a path", { trustedOrigins: ["https://a.example.com/x"] }],
    ["a trusted origin with a trailing slash", { trustedOrigins: ["https://a.example.com/"] }],
    ["a trusted bare host", { trustedOrigins: ["a.example.com"] }],
    ["a trusted wildcard", { trustedOrigins: ["*"] }],
    ["a trusted null", { trustedOrigins: ["null"] }],
    ["a bypass path without a leading slash", { bypassPaths: ["webhooks"] }],
    ["a bypass path with a dot segment", { bypassPaths: ["/a/../b"] }],
    ["a bypass path with a wildcard inside", { bypassPaths: ["/a/*/b"] }],
    ["a bypass path with a query", { bypassPaths: ["/a?b"] }],
    ["a bypass path that is not normalised", { bypassPaths: ["/a b"] }],
  ])("refuses %s at set-up", (_, options) => {
    expect(() => createCrossOriginProtection(options)).toThrow(TypeError);
  });
});

describe("createCrossOriginProtection(): properties", () => {
  const big = fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(",", " ", "://", ":", "/"))
    .map(([text, separator]) => `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + 1))));
  const latin1 = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  });
  const value = fc.oneof(
    latin1,
    fc.webUrl(),
    fc.constantFrom("same-origin", "none", "cross-site", "same-site"),
    big,
  );
  const protection = createCrossOriginProtection();

  it(
    "never throws, and only same-origin/none or a same-host Origin passes a browser's POST",
    () => {
      fc.assert(
        fc.property(fc.option(value), fc.option(value), (site, origin) => {
          const headers: Record<string, string> = {};
          if (site !== null) headers["sec-fetch-site"] = site;
          if (origin !== null) headers.origin = origin;
          let request: Request;
          try {
            request = new Request(URL_, { method: "POST", headers });
          } catch {
            return;
          }
          const passed = protection.check(request).isOk();
          const s = request.headers.get("sec-fetch-site") ?? "";
          const o = request.headers.get("origin") ?? "";
          const expected =
            s !== ""
              ? s === "same-origin" || s === "none"
              : o === "" || /^[A-Za-z][A-Za-z0-9+.-]*:\/\/app\.example\.com$/.test(o);
          expect(passed).toBe(expected);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("createCrossOriginProtection and crossOriginProtection(): every option checked at set-up", () => {
  it("refuses a misspelt option, naming it and the nearest one", () => {
    expect(() => createCrossOriginProtection({ trustedOrigin: [SAME] } as never)).toThrow(
      new TypeError(
        "createCrossOriginProtection: unknown option trustedOrigin (did you mean trustedOrigins?)",
      ),
    );
    expect(() => crossOriginProtection({ bypassPath: ["/webhooks/*"] } as never)).toThrow(
      new TypeError("crossOriginProtection: unknown option bypassPath (did you mean bypassPaths?)"),
    );
    expect(() =>
      crossOriginProtection({ bypassPaths: ["/webhooks/*"], problems: undefined } as never),
    ).not.toThrow();
  });
});
