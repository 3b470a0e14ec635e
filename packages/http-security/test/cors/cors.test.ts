import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cors } from "../../src/hono.ts";
import { type CorsOptions, createCors } from "../../src/index.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs (Bun, Deno run in parallel): not a time assertion.
const PROPERTY_TIMEOUT = 120_000;

const API = "https://api.example.com/orders";
const ALLOWED = "https://example.com";

const actual = (headers: Record<string, string>, method = "GET") => new Request(API, { method, headers });
const preflight = (
  origin: string,
  method = "POST",
  requestHeaders?: string,
  extra: Record<string, string> = {},
) =>
  new Request(API, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": method,
      ...(requestHeaders === undefined ? {} : { "access-control-request-headers": requestHeaders }),
      ...extra,
    },
  });
const applied = (options: CorsOptions, request: Request): Headers => {
  const headers = new Headers();
  createCors(options).apply(request, headers);
  return headers;
};
const corsKeys = (headers: Headers) =>
  [...headers.keys()].filter((name) => name.startsWith("access-control-"));

describe("createCors(): actual requests", () => {
  const options: CorsOptions = { origin: [ALLOWED], credentials: true, exposeHeaders: ["X-Request-Id"] };

  it("allows a listed origin exactly, with credentials and exposed headers", () => {
    const headers = applied(options, actual({ origin: ALLOWED }));
    expect(Object.fromEntries(headers)).toEqual({
      "access-control-allow-origin": ALLOWED,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "x-request-id",
      vary: "Origin",
    });
  });

  it("sends Vary: Origin even without an Origin, and merges with an existing Vary", () => {
    expect(Object.fromEntries(applied(options, actual({})))).toEqual({ vary: "Origin" });
    const headers = new Headers({ vary: "Accept-Encoding" });
    createCors(options).apply(actual({ origin: ALLOWED }), headers);
    expect(headers.get("vary")).toBe("Accept-Encoding, Origin");
    const star = new Headers({ vary: "*" });
    createCors(options).apply(actual({ origin: ALLOWED }), star);
    expect(star.get("vary")).toBe("*");
  });

  // Origins that a loose check (suffix, prefix, substring, case-folding, reflection) would let through.
  const adversarial: [string, string][] = [
    ["a suffix trick", "https://example.com.evil.com"],
    ["a prefix trick", "https://evilexample.com"],
    ["a subdomain", "https://sub.example.com"],
    ["plain http", "http://example.com"],
    ["another port", "https://example.com:8443"],
    ["the default port spelt out", "https://example.com:443"],
    ["a trailing slash", "https://example.com/"],
    ["a path", "https://example.com/path"],
    ["upper case", "https://EXAMPLE.com"],
    ["an upper-case scheme", "HTTPS://example.com"],
    ["a Unicode look-alike (Cyrillic а)", "https://ex\u0430mple.com"],
    ["the punycode of a look-alike", "https://xn--exmple-4nf.com"],
    ["the opaque origin", "null"],
    ["two origins in one header", `${ALLOWED}, https://evil.com`],
    ["two origins, the allowed one last", `https://evil.com ${ALLOWED}`],
    ["userinfo", "https://example.com@evil.com"],
    ["a backslash", "https://example.com\\@evil.com"],
    ["a wildcard", "*"],
    ["an empty value", ""],
    ["a trailing dot", "https://example.com."],
    ["a query", "https://example.com?x"],
    ["a fragment", "https://example.com#x"],
  ];

  it.each(adversarial)("never reflects %s: no CORS header, only Vary", (_, origin) => {
    let request: Request;
    try {
      request = actual({ origin });
    } catch {
      return; // the Headers class itself refuses it (non-Latin-1): nothing can reach the check
    }
    const headers = applied(options, request);
    expect(corsKeys(headers)).toEqual([]);
    expect(headers.get("vary")).toBe("Origin");
  });

  it.each(adversarial)("refuses a preflight from %s", (_, origin) => {
    let request: Request;
    try {
      request = preflight(origin);
    } catch {
      return;
    }
    const result = createCors(options).preflight(request);
    expect(result.isErr() && result.error._tag).toBe("CorsOriginNotAllowed");
  });

  it('allows "null" only when it is listed', () => {
    expect(applied({ origin: ["null"] }, actual({ origin: "null" })).get("access-control-allow-origin")).toBe(
      "null",
    );
    expect(
      applied({ origin: [ALLOWED] }, actual({ origin: "null" })).has("access-control-allow-origin"),
    ).toBe(false);
  });

  it("calls a predicate only with one well-formed origin, never reflecting what it refuses", () => {
    const seen: string[] = [];
    const predicate = (origin: string) => {
      seen.push(origin);
      return origin.endsWith(".example.com");
    };
    const check = (origin: string) =>
      applied({ origin: predicate }, actual({ origin })).get("access-control-allow-origin");
    expect(check("https://app.example.com")).toBe("https://app.example.com");
    expect(check("https://app.example.com.evil.com")).toBeNull();
    expect(check("null")).toBeNull();
    expect(check("https://evil.com, https://app.example.com")).toBeNull();
    expect(check("https://evil.com/.example.com")).toBeNull();
    expect(seen).toEqual(["https://app.example.com", "https://app.example.com.evil.com"]);
    // A predicate that returns a truthy non-boolean does not count as a yes.
    const truthy = (() => "yes") as unknown as (origin: string) => boolean;
    expect(applied({ origin: truthy }, actual({ origin: ALLOWED })).has("access-control-allow-origin")).toBe(
      false,
    );
  });

  it('"*" without credentials answers * and needs no Vary', () => {
    const headers = applied({ origin: ["*"] }, actual({ origin: "https://anyone.example" }));
    expect(Object.fromEntries(headers)).toEqual({ "access-control-allow-origin": "*" });
  });
});

describe("createCors(): preflight", () => {
  const cors = createCors({
    origin: [ALLOWED],
    allowMethods: ["GET", "POST", "DELETE"],
    allowHeaders: ["Content-Type", "Authorization"],
    maxAge: 3600,
  });

  it("recognises a preflight only with Origin and Access-Control-Request-Method", () => {
    expect(cors.isPreflight(preflight(ALLOWED))).toBe(true);
    expect(cors.isPreflight(new Request(API, { method: "OPTIONS" }))).toBe(false);
    expect(cors.isPreflight(new Request(API, { method: "OPTIONS", headers: { origin: ALLOWED } }))).toBe(
      false,
    );
    expect(
      cors.isPreflight(actual({ origin: ALLOWED, "access-control-request-method": "POST" }, "POST")),
    ).toBe(false);
  });

  it("answers an allowed preflight with the allow-lists, max-age and Vary", () => {
    const result = cors.preflight(preflight(ALLOWED, "DELETE", "content-type,authorization"));
    expect(result.isOk()).toBe(true);
    expect(Object.fromEntries(result._unsafeUnwrap())).toEqual({
      "access-control-allow-origin": ALLOWED,
      "access-control-allow-methods": "GET, POST, DELETE",
      "access-control-allow-headers": "content-type, authorization",
      "access-control-max-age": "3600",
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    });
  });

  it.each([
    ["a method not listed", "PUT", undefined, "CorsMethodNotAllowed"],
    ["a lower-case method (methods are case-sensitive)", "delete", undefined, "CorsMethodNotAllowed"],
    ["a header not listed", "POST", "x-admin", "CorsHeaderNotAllowed"],
    ["one header not listed among listed ones", "POST", "content-type, x-admin", "CorsHeaderNotAllowed"],
    ["a wildcard header", "POST", "*", "CorsHeaderNotAllowed"],
    [
      "more than 64 headers",
      "POST",
      Array.from({ length: 65 }, () => "content-type").join(","),
      "CorsHeaderNotAllowed",
    ],
  ])("refuses %s", (_, method, requestHeaders, tag) => {
    const result = cors.preflight(preflight(ALLOWED, method, requestHeaders));
    expect(result.isErr() && result.error._tag).toBe(tag);
  });

  it("accepts header lists with any spacing, case and empty elements", () => {
    expect(cors.preflight(preflight(ALLOWED, "POST", " Content-Type ,\t, AUTHORIZATION ")).isOk()).toBe(true);
    expect(cors.preflight(preflight(ALLOWED, "POST", "")).isOk()).toBe(true);
  });

  it("sends credentials on a preflight when configured", () => {
    const result = createCors({ origin: [ALLOWED], credentials: true }).preflight(preflight(ALLOWED));
    expect(result._unsafeUnwrap().get("access-control-allow-credentials")).toBe("true");
  });

  it("answers Private Network Access only when configured and requested", () => {
    const pna = { "access-control-request-private-network": "true" };
    const off = createCors({ origin: [ALLOWED] }).preflight(preflight(ALLOWED, "POST", undefined, pna));
    expect(off._unsafeUnwrap().has("access-control-allow-private-network")).toBe(false);
    const on = createCors({ origin: [ALLOWED], allowPrivateNetwork: true });
    expect(
      on
        .preflight(preflight(ALLOWED, "POST", undefined, pna))
        ._unsafeUnwrap()
        .get("access-control-allow-private-network"),
    ).toBe("true");
    expect(on.preflight(preflight(ALLOWED))._unsafeUnwrap().has("access-control-allow-private-network")).toBe(
      false,
    );
    expect(on.preflight(preflight(ALLOWED))._unsafeUnwrap().get("vary")).toContain(
      "Access-Control-Request-Private-Network",
    );
  });
});

describe("createCors(): options checked at set-up", () => {
  it.each<[string, CorsOptions]>([
    ['"*" with credentials', { origin: ["*"], credentials: true }],
    ['"*" among other origins', { origin: ["*", ALLOWED] }],
    ["an empty list", { origin: [] }],
    ["a trailing slash", { origin: ["https://example.com/"] }],
    ["a path", { origin: ["https://example.com/app"] }],
    ["upper case", { origin: ["https://Example.com"] }],
    ["a default port", { origin: ["https://example.com:443"] }],
    ["a Unicode host (write punycode)", { origin: ["https://bücher.example"] }],
    ["a bare host", { origin: ["example.com"] }],
    ["a wildcard subdomain", { origin: ["https://*.example.com"] }],
    ["a regex-looking entry", { origin: ["/example\\.com$/"] }],
    ["a wildcard header", { origin: [ALLOWED], allowHeaders: ["*"] }],
    ["a header name with a space", { origin: [ALLOWED], allowHeaders: ["x a"] }],
    ["a wildcard exposed header", { origin: [ALLOWED], exposeHeaders: ["*"] }],
    ["no methods", { origin: [ALLOWED], allowMethods: [] }],
    ["a method with a comma", { origin: [ALLOWED], allowMethods: ["GET,POST"] }],
    ["a negative max-age", { origin: [ALLOWED], maxAge: -1 }],
    ["a max-age over a day", { origin: [ALLOWED], maxAge: 86_401 }],
    ["credentials not a boolean", { origin: [ALLOWED], credentials: "yes" as never }],
  ])("refuses %s with a TypeError", (_, options) => {
    expect(() => createCors(options)).toThrow(TypeError);
  });

  it("accepts IPv6, ports, localhost, punycode and null", () => {
    expect(() =>
      createCors({
        origin: ["http://[::1]:3000", "http://localhost:5173", "https://xn--bcher-kva.example", "null"],
      }),
    ).not.toThrow();
  });
});

describe("createCors(): properties", () => {
  const big = fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(",", " ", "\t", "https://", ":"))
    .map(([text, separator]) => `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + 1))));
  const latin1 = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  });
  const value = fc.oneof(latin1, fc.webUrl(), big);
  const cors = createCors({ origin: [ALLOWED], allowHeaders: ["content-type"], credentials: true });
  const build = (headers: Record<string, string>, method = "GET"): Request | undefined => {
    try {
      return new Request(API, { method, headers });
    } catch {
      return undefined;
    }
  };

  it(
    "never throws and never allows anything but the listed origin (actual requests)",
    () => {
      fc.assert(
        fc.property(value, (origin) => {
          const request = build({ origin });
          if (request === undefined) return;
          const headers = new Headers();
          cors.apply(request, headers);
          const allowed = headers.get("access-control-allow-origin");
          expect(allowed === null || allowed === ALLOWED).toBe(true);
          expect(allowed === ALLOWED).toBe(request.headers.get("origin") === ALLOWED);
          expect(headers.get("vary")).toBe("Origin");
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "never throws on any Origin, method or header list in a preflight",
    () => {
      fc.assert(
        fc.property(value, value, value, (origin, method, requested) => {
          const request = build(
            { origin, "access-control-request-method": method, "access-control-request-headers": requested },
            "OPTIONS",
          );
          if (request === undefined) return;
          const result = cors.preflight(request);
          if (result.isOk()) {
            expect(request.headers.get("origin")).toBe(ALLOWED);
            expect(["GET", "HEAD", "POST"]).toContain(request.headers.get("access-control-request-method"));
          }
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a predicate never sees anything but a serialized origin",
    () => {
      fc.assert(
        fc.property(value, (origin) => {
          const request = build({ origin });
          if (request === undefined) return;
          createCors({
            origin: (seen) => {
              expect(new URL(seen).origin).toBe(seen);
              return false;
            },
          }).apply(request, new Headers());
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("createCors and cors(): every option checked at set-up", () => {
  it.each([
    [
      { origin: [ALLOWED], credentails: true },
      "createCors: unknown option credentails (did you mean credentials?)",
    ],
    [
      { origin: [ALLOWED], allowHeader: ["content-type"] },
      "createCors: unknown option allowHeader (did you mean allowHeaders?)",
    ],
    [{ origins: [ALLOWED] }, "createCors: unknown option origins (did you mean origin?)"],
    [{ origin: [ALLOWED], maxage: 60 }, "createCors: unknown option maxage (did you mean maxAge?)"],
  ])("createCors refuses %o", (options, message) => {
    expect(() => createCors(options as never)).toThrow(new TypeError(message));
  });

  it("cors() refuses a misspelt option, and takes its own problems option", () => {
    expect(() => cors({ origin: [ALLOWED], credentails: true } as never)).toThrow(
      new TypeError("cors: unknown option credentails (did you mean credentials?)"),
    );
    expect(() => cors({ origin: [ALLOWED], problem: undefined } as never)).toThrow(
      new TypeError("cors: unknown option problem (did you mean problems?)"),
    );
    expect(() => cors({ origin: [ALLOWED], problems: undefined } as never)).not.toThrow();
  });
});
