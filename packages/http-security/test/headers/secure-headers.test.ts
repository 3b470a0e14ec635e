import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secureHeaders } from "../../src/hono.ts";
import {
  type CspDirectives,
  createSecureHeaders,
  defaultPermissionsPolicy,
  generateCspNonce,
  type SecureHeadersOptions,
} from "../../src/index.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs (Bun, Deno run in parallel): not a time assertion.
const PROPERTY_TIMEOUT = 120_000;

const headersOf = (options?: SecureHeadersOptions, nonce?: string): Headers => {
  const headers = new Headers({ "X-Powered-By": "Express" });
  createSecureHeaders(options).apply(headers, nonce);
  return headers;
};
const csp = (directives: CspDirectives, extra: Record<string, unknown> = {}) =>
  createSecureHeaders({ contentSecurityPolicy: { directives, ...extra } });

describe("createSecureHeaders() defaults", () => {
  it("sends Helmet 8's default set, a Permissions-Policy, and no X-Powered-By", () => {
    const headers = headersOf();
    expect(Object.fromEntries(headers)).toEqual({
      "content-security-policy":
        "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; upgrade-insecure-requests",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "origin-agent-cluster": "?1",
      "referrer-policy": "no-referrer",
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "x-content-type-options": "nosniff",
      "x-dns-prefetch-control": "off",
      "x-download-options": "noopen",
      "x-frame-options": "SAMEORIGIN",
      "x-permitted-cross-domain-policies": "none",
      "x-xss-protection": "0",
      "permissions-policy":
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()",
    });
  });

  it("leaves Cross-Origin-Embedder-Policy off unless asked (as Helmet 8)", () => {
    expect(headersOf().has("cross-origin-embedder-policy")).toBe(false);
    expect(headersOf({ crossOriginEmbedderPolicy: "require-corp" }).get("cross-origin-embedder-policy")).toBe(
      "require-corp",
    );
  });

  it("drops a header set to false and replaces what the response had", () => {
    const headers = new Headers({ "x-frame-options": "ALLOWALL", "x-xss-protection": "1; mode=block" });
    createSecureHeaders({
      xFrameOptions: "DENY",
      strictTransportSecurity: false,
      permissionsPolicy: false,
    }).apply(headers);
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("x-xss-protection")).toBe("0");
    expect(headers.has("strict-transport-security")).toBe(false);
    expect(headers.has("permissions-policy")).toBe(false);
  });

  it("writes every option as the header expects", () => {
    const headers = headersOf({
      contentSecurityPolicy: false,
      crossOriginOpenerPolicy: "same-origin-allow-popups",
      crossOriginResourcePolicy: "cross-origin",
      originAgentCluster: false,
      referrerPolicy: ["no-referrer", "strict-origin-when-cross-origin"],
      strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true, preload: true },
      xContentTypeOptions: false,
      xDnsPrefetchControl: "on",
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: "master-only",
      xXssProtection: false,
      permissionsPolicy: { geolocation: ["self", "https://maps.example.com"], fullscreen: ["*"], camera: [] },
    });
    expect(Object.fromEntries(headers)).toEqual({
      "cross-origin-opener-policy": "same-origin-allow-popups",
      "cross-origin-resource-policy": "cross-origin",
      "referrer-policy": "no-referrer, strict-origin-when-cross-origin",
      "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
      "x-dns-prefetch-control": "on",
      "x-frame-options": "SAMEORIGIN",
      "x-permitted-cross-domain-policies": "master-only",
      "permissions-policy": 'geolocation=(self "https://maps.example.com"), fullscreen=*, camera=()',
    });
  });

  it("exports the default Permissions-Policy to extend", () => {
    expect(defaultPermissionsPolicy.camera).toEqual([]);
    const headers = headersOf({ permissionsPolicy: { ...defaultPermissionsPolicy, fullscreen: ["self"] } });
    expect(headers.get("permissions-policy")).toMatch(/camera=\(\).*fullscreen=\(self\)$/);
  });

  it("applyTo copies a response (immutable, as from Response.redirect on most runtimes) and keeps its status and body", async () => {
    const original = Response.redirect("https://example.com/next", 302);
    const copy = createSecureHeaders().applyTo(original);
    expect(copy.status).toBe(302);
    expect(copy.headers.get("location")).toBe("https://example.com/next");
    expect(copy.headers.get("x-content-type-options")).toBe("nosniff");
    const withBody = createSecureHeaders().applyTo(new Response("hello", { status: 201 }));
    expect([withBody.status, await withBody.text()]).toEqual([201, "hello"]);
  });
});

describe("CSP presets, nonces and report-only", () => {
  it("api preset: default-src 'none'; frame-ancestors 'none'", () => {
    expect(headersOf({ contentSecurityPolicy: { preset: "api" } }).get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it("html preset: same-origin resources, no plugins, no framing, no base-uri", () => {
    const value = headersOf({ contentSecurityPolicy: { preset: "html" } }).get("content-security-policy");
    expect(value).toBe(
      "default-src 'self'; base-uri 'none'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; upgrade-insecure-requests",
    );
  });

  it("directives replace the preset's in place, add new ones at the end, false removes", () => {
    const headers = new Headers();
    csp(
      {
        "img-src": ["'self'", "https://img.example.com"],
        "connect-src": ["'self'"],
        "upgrade-insecure-requests": false,
      },
      {
        preset: "api",
      },
    ).apply(headers);
    expect(headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; img-src 'self' https://img.example.com; connect-src 'self'",
    );
  });

  it("puts the request's nonce in script-src and style-src", () => {
    const headers = createSecureHeaders({ contentSecurityPolicy: { nonce: true } });
    expect(headers.usesNonce).toBe(true);
    const nonce = generateCspNonce();
    const value = new Map(headers.entries(nonce)).get("Content-Security-Policy");
    expect(value).toContain(`script-src 'self' 'nonce-${nonce}';`);
    expect(value).toContain(`style-src 'self' https: 'unsafe-inline' 'nonce-${nonce}';`);
    const other = generateCspNonce();
    expect(new Map(headers.entries(other)).get("Content-Security-Policy")).toContain(`'nonce-${other}'`);
  });

  it("puts the nonce only in the directives named", () => {
    const value = new Map(
      createSecureHeaders({ contentSecurityPolicy: { preset: "html", nonce: ["script-src"] } }).entries(
        "AAAAAAAAAAAAAAAAAAAAAA==",
      ),
    ).get("Content-Security-Policy");
    expect(value).toContain("script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='");
    expect(value).toContain("style-src 'self';");
  });

  it("needs a well-formed nonce when the policy uses one (a programmer error, thrown)", () => {
    const headers = createSecureHeaders({ contentSecurityPolicy: { nonce: true } });
    expect(() => headers.apply(new Headers())).toThrow(TypeError);
    expect(() => headers.apply(new Headers(), "abc'; script-src *")).toThrow(TypeError);
    expect(() => headers.apply(new Headers(), "short")).toThrow(TypeError);
  });

  it("nonces are 128 bits of base64, different each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, generateCspNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("report-only mode sends Content-Security-Policy-Report-Only with report-to and Reporting-Endpoints", () => {
    const headers = headersOf({
      contentSecurityPolicy: { preset: "html", reportOnly: true, directives: { "report-to": ["csp"] } },
      reportingEndpoints: { csp: "https://reports.example.com/csp" },
    });
    expect(headers.has("content-security-policy")).toBe(false);
    expect(headers.get("content-security-policy-report-only")).toMatch(/; report-to csp$/);
    expect(headers.get("reporting-endpoints")).toBe('csp="https://reports.example.com/csp"');
  });

  it("with() merges per-route overrides directive by directive, checked at set-up", () => {
    const base = createSecureHeaders({ contentSecurityPolicy: { preset: "html" } });
    const embed = base.with({
      xFrameOptions: false,
      contentSecurityPolicy: { directives: { "frame-ancestors": ["https://partner.example.com"] } },
    });
    const value = new Map(embed.entries()).get("Content-Security-Policy");
    expect(value).toContain("frame-ancestors https://partner.example.com;");
    expect(value).toContain("base-uri 'none'");
    expect(new Map(embed.entries()).has("X-Frame-Options")).toBe(false);
    expect(new Map(base.entries()).get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(() => base.with({ contentSecurityPolicy: { directives: { "frame-ancestors": ["*;"] } } })).toThrow(
      TypeError,
    );
  });
});

describe("CSP validation at set-up (adversarial)", () => {
  const refused: [string, CspDirectives][] = [
    ["a ';' that would start a new directive", { "script-src": ["'self'; script-src *"] }],
    ["a ';' at the end of a source", { "script-src": ["https://a.example.com;"] }],
    ["a ',' that would start a second policy", { "script-src": ["'self',script-src *"] }],
    ["a line feed", { "script-src": ["'self'\nX-Injected: 1"] }],
    ["a carriage return", { "script-src": ["'self'\r"] }],
    ["a NUL", { "script-src": ["'self'\u0000"] }],
    ["a space inside one entry", { "script-src": ["'self' 'unsafe-eval'"] }],
    ["non-ASCII", { "script-src": ["https://exämple.com"] }],
    ["an unquoted self", { "script-src": ["self"] }],
    ["an unquoted none", { "object-src": ["none"] }],
    ["an unquoted unsafe-inline", { "style-src": ["unsafe-inline"] }],
    ["an unquoted nonce", { "script-src": ["nonce-abc"] }],
    ["an unknown quoted keyword", { "script-src": ["'unsafe-everything'"] }],
    ["a quote inside a host", { "img-src": ["https://a.example.com/'"] }],
    ["'none' with other sources", { "script-src": ["'none'", "'self'"] }],
    ["an empty list", { "script-src": [] }],
    ["a bad port", { "connect-src": ["https://a.example.com:99999x"] }],
    ["a bad host", { "connect-src": ["https://-a.example.com"] }],
    ["a value on a flag directive", { "upgrade-insecure-requests": ["1"] }],
    ["an unknown sandbox token", { sandbox: ["allow-everything"] }],
    ["two report-to names", { "report-to": ["a", "b"] }],
    ["a report-uri with ';'", { "report-uri": ["/csp;x"] }],
    ["a bad require-trusted-types-for", { "require-trusted-types-for": ["'style'"] }],
    ["a bad webrtc", { webrtc: ["'maybe'"] }],
  ];
  it.each(refused)("refuses %s with a TypeError naming the directive", (_, directives) => {
    expect(() => csp(directives)).toThrow(TypeError);
    expect(() => csp(directives)).toThrow(/contentSecurityPolicy/);
  });

  it.each([
    ["camelCase", { scriptSrc: ["'self'"] }],
    ["an invented directive", { "script-source": ["'self'"] }],
    ["a name with a ';'", { "script-src;": ["'self'"] }],
    ["a name with a newline", { "script-src\n": ["'self'"] }],
  ])("refuses an unknown directive name: %s", (_, directives) => {
    expect(() => csp(directives as CspDirectives)).toThrow(/unknown directive name/);
  });

  it("never quotes the refused value in the message", () => {
    try {
      csp({ "script-src": ["'self'; script-src https://evil.example"] });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("evil");
      expect(String(error)).toContain('["script-src"][0]');
    }
  });

  it("accepts every kind of CSP Level 3 source expression", () => {
    const headers = csp({
      "script-src": [
        "'self'",
        "'strict-dynamic'",
        "'unsafe-hashes'",
        "'wasm-unsafe-eval'",
        "'report-sample'",
        "'nonce-r4nd0m+/AA=='",
        "'sha256-abcDEF123+/=='",
        "'sha384-x_y-z'",
        "https:",
        "blob:",
        "*.example.com",
        "https://*.example.com:443",
        "https://cdn.example.com/js/",
        "http://localhost:*",
        "*",
      ],
      sandbox: ["allow-scripts", "allow-forms"],
      "report-uri": ["/csp-reports", "https://r.example.com/a?b=c"],
      "trusted-types": ["default", "'allow-duplicates'"],
      "require-trusted-types-for": ["'script'"],
      "upgrade-insecure-requests": true,
    });
    expect(new Map(headers.entries()).get("Content-Security-Policy")).toContain(
      "script-src 'self' 'strict-dynamic'",
    );
  });

  it("refuses a nonce it cannot place and a report-only policy that reports nowhere", () => {
    expect(() => createSecureHeaders({ contentSecurityPolicy: { preset: "api", nonce: true } })).toThrow(
      /nonce names no directive/,
    );
    expect(() =>
      createSecureHeaders({
        contentSecurityPolicy: { directives: { "script-src": ["'none'"] }, nonce: ["script-src"] },
      }),
    ).toThrow(/'none'/);
    expect(() => createSecureHeaders({ contentSecurityPolicy: { reportOnly: true } })).toThrow(/report-to/);
    expect(() =>
      createSecureHeaders({ contentSecurityPolicy: { directives: { "report-to": ["csp"] } } }),
    ).toThrow(/reportingEndpoints/);
  });

  it.each<[string, SecureHeadersOptions]>([
    ["a negative HSTS max-age", { strictTransportSecurity: { maxAge: -1 } }],
    ["a fractional HSTS max-age", { strictTransportSecurity: { maxAge: 1.5 } }],
    ["preload without a year", { strictTransportSecurity: { maxAge: 600, preload: true } }],
    [
      "preload without includeSubDomains",
      { strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false, preload: true } },
    ],
    ["an unknown Referrer-Policy", { referrerPolicy: "always" as never }],
    ["an X-Frame-Options ALLOW-FROM", { xFrameOptions: "ALLOW-FROM https://a.example.com" as never }],
    ["a Permissions-Policy feature name with '='", { permissionsPolicy: { "camera=*,x": [] } }],
    [
      "a Permissions-Policy origin with a quote",
      { permissionsPolicy: { camera: ['https://a.example.com"'] } },
    ],
    [
      "a Permissions-Policy origin with a path",
      { permissionsPolicy: { camera: ["https://a.example.com/x"] } },
    ],
    ["a reporting endpoint on http", { reportingEndpoints: { csp: "http://r.example.com" } }],
    ["a reporting endpoint with a quote", { reportingEndpoints: { csp: 'https://r.example.com/"x' } }],
    ["a reporting endpoint name with a space", { reportingEndpoints: { "c sp": "https://r.example.com" } }],
    ["an unknown preset", { contentSecurityPolicy: { preset: "strict" as never } }],
  ])("refuses %s at set-up", (_, options) => {
    expect(() => createSecureHeaders(options)).toThrow(TypeError);
  });
});

describe("createSecureHeaders: every option checked at set-up", () => {
  it.each<[string, unknown, string]>([
    [
      "a misspelt header option",
      { xFrameOption: "DENY" },
      "unknown option xFrameOption (did you mean xFrameOptions?)",
    ],
    [
      "a misspelt CSP option",
      { contentSecurityPolicy: { nonse: true } },
      "unknown option contentSecurityPolicy.nonse (did you mean contentSecurityPolicy.nonce?)",
    ],
    [
      "a misspelt HSTS option",
      { strictTransportSecurity: { maxAge: 600, includeSubdomains: true } },
      "unknown option strictTransportSecurity.includeSubdomains (did you mean strictTransportSecurity.includeSubDomains?)",
    ],
    [
      "an unknown Permissions-Policy feature (the issue's case)",
      { permissionsPolicy: { "made-up-feature": [] } },
      'permissionsPolicy["made-up-feature"] is not a Permissions-Policy feature browsers know',
    ],
    [
      "a misspelt Permissions-Policy feature, which a browser would ignore",
      { permissionsPolicy: { camra: [] } },
      'permissionsPolicy["camra"] is not a Permissions-Policy feature browsers know',
    ],
    [
      "a bad extra feature name",
      { extraPermissionsPolicyFeatures: ["New Feature"] },
      "extraPermissionsPolicyFeatures[0] is not a feature name",
    ],
    [
      "extra features that are not a list",
      { extraPermissionsPolicyFeatures: "x" },
      "extraPermissionsPolicyFeatures must be",
    ],
  ])("refuses %s, naming it", (_, options, message) => {
    expect(() => createSecureHeaders(options as never)).toThrow(`createSecureHeaders: ${message}`);
    expect(() => secureHeaders(options as never)).toThrow(`createSecureHeaders: ${message}`);
  });

  it("sends a feature it does not know yet only when named in extraPermissionsPolicyFeatures", () => {
    const headers = createSecureHeaders({
      permissionsPolicy: { camera: [], "made-up-feature": ["self"] },
      extraPermissionsPolicyFeatures: ["made-up-feature"],
    });
    expect(new Map(headers.entries()).get("Permissions-Policy")).toBe("camera=(), made-up-feature=(self)");
  });

  it("knows the features of the default policy and the common ones", () => {
    const policy = Object.fromEntries(
      [
        "fullscreen",
        "interest-cohort",
        "browsing-topics",
        "clipboard-write",
        "ch-ua-platform",
        "web-share",
      ].map((feature) => [feature, []]),
    );
    expect(() =>
      createSecureHeaders({ permissionsPolicy: { ...defaultPermissionsPolicy, ...policy } }),
    ).not.toThrow();
  });
});

describe("CSP validation properties", () => {
  const big = fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(";", ",", "\n", " ", "'", "*"))
    .map(([text, separator]) => `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + 1))));
  const anyText = fc.oneof(fc.string({ maxLength: 200 }), big);

  it(
    "any source either is accepted as one token or is refused with a TypeError (never another error)",
    () => {
      fc.assert(
        fc.property(anyText, (source) => {
          try {
            const value =
              new Map(csp({ "script-src": [source] }).entries()).get("Content-Security-Policy") ?? "";
            // Accepted: it cannot have added a directive, a policy or a header line.
            expect(value.split(";").length).toBe(
              new Map(createSecureHeaders().entries()).get("Content-Security-Policy")?.split(";").length,
            );
            expect(/[,\r\n\s]/.test(source)).toBe(false);
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
          }
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "any directive name outside CSP Level 3 is refused",
    () => {
      fc.assert(
        fc.property(anyText, (name) => {
          fc.pre(!/^[a-z-]+$/.test(name));
          expect(() => csp({ [name]: ["'self'"] } as CspDirectives)).toThrow(TypeError);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
