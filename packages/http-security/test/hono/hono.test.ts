import { createProblemMapper } from "@keel/result";
import { problemOnError } from "@keel/result/hono";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import {
  clientIp,
  cors,
  crossOriginProtection,
  htmlSecurity,
  jsonApiSecurity,
  requestId,
  secureHeaders,
} from "../../src/hono.ts";
import { createSecureHeaders, httpSecurityProblemStatuses } from "../../src/index.ts";

/** The same request from the trusted origin, then from a foreign one. */
async function fromBothOrigins(
  app: { request: Hono["request"] },
  path: string,
  method: string,
  headers: Record<string, string>,
): Promise<[trusted: Response, foreign: Response]> {
  const send = (origin: string) => app.request(path, { method, headers: { ...headers, origin } });
  return [await send("https://app.example.com"), await send("https://evil.example")];
}

describe("secureHeaders()", () => {
  const site = createSecureHeaders({ contentSecurityPolicy: { preset: "html", nonce: true } });
  const app = new Hono()
    .use(secureHeaders(site))
    .get("/", (c) => c.html(`<script nonce="${c.var.cspNonce}"></script>`))
    .get("/powered", (c) => c.text("x", 200, { "x-powered-by": "Hono" }))
    .get(
      "/embed",
      secureHeaders(
        site.with({
          xFrameOptions: false,
          contentSecurityPolicy: { directives: { "frame-ancestors": ["https://partner.example"] } },
        }),
      ),
      (c) => c.text("embeddable"),
    )
    .get("/boom", () => {
      throw new Error("boom");
    })
    .get("/upstream", () => Response.redirect("https://example.com/", 302));

  it("sets the headers and a per-request nonce the handler can use", async () => {
    const first = await app.request("/");
    const second = await app.request("/");
    const nonceOf = async (response: Response) => /nonce="([^"]+)"/.exec(await response.text())?.[1];
    const [a, b] = [await nonceOf(first), await nonceOf(second)];
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a).not.toBe(b);
    expect(first.headers.get("content-security-policy")).toContain(`script-src 'self' 'nonce-${a}'`);
    expect(first.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("removes X-Powered-By", async () => {
    expect((await app.request("/powered")).headers.has("x-powered-by")).toBe(false);
  });

  it("lets the innermost secureHeaders() of a route decide (per-route override)", async () => {
    const embed = await app.request("/embed");
    expect(embed.headers.has("x-frame-options")).toBe(false);
    expect(embed.headers.get("content-security-policy")).toContain(
      "frame-ancestors https://partner.example;",
    );
    expect(embed.headers.get("content-security-policy")).toContain("'nonce-");
    expect((await app.request("/")).headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("sets the headers on errors, 404s and immutable upstream responses", async () => {
    for (const path of ["/boom", "/missing", "/upstream"]) {
      const response = await app.request(path);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect((await app.request("/upstream")).status).toBe(302);
  });

  it("takes plain options and checks them at set-up", async () => {
    expect(() =>
      secureHeaders({ contentSecurityPolicy: { directives: { "script-src": ["'self';"] } } }),
    ).toThrow(TypeError);
    const plain = new Hono()
      .use(secureHeaders({ contentSecurityPolicy: { preset: "api" } }))
      .get("/", (c) => c.json({}));
    const response = await plain.request("/");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });
});

describe("cors()", () => {
  const app = new Hono()
    .use(
      cors({
        origin: ["https://app.example.com"],
        credentials: true,
        allowMethods: ["GET", "POST", "DELETE"],
        allowHeaders: ["content-type"],
      }),
    )
    .get("/orders", (c) => c.json([]))
    .delete("/orders/:id", (c) => c.body(null, 204))
    .get("/fail", () => {
      throw new HTTPException(418);
    });

  it("adds CORS headers for an allowed origin and Vary: Origin always", async () => {
    const allowed = await app.request("/orders", { headers: { origin: "https://app.example.com" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("vary")).toBe("Origin");
    const other = await app.request("/orders", { headers: { origin: "https://app.example.com.evil.com" } });
    expect(other.status).toBe(200); // CORS does not refuse the request, it only withholds the headers
    expect(other.headers.has("access-control-allow-origin")).toBe(false);
    expect(other.headers.get("vary")).toBe("Origin");
    expect(
      (await app.request("/fail", { headers: { origin: "https://app.example.com" } })).headers.get("vary"),
    ).toBe("Origin");
  });

  it("answers an allowed preflight 204 without reaching the routes", async () => {
    const response = await app.request("/orders/1", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "DELETE",
        "access-control-request-headers": "content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, DELETE");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(response.headers.get("access-control-max-age")).toBe("600");
  });

  it.each([
    ["origin", { origin: "https://evil.example" }],
    ["method", { origin: "https://app.example.com", "access-control-request-method": "PUT" }],
    [
      "header",
      { origin: "https://app.example.com", "access-control-request-headers": "x-secret-header-value" },
    ],
  ])(
    "answers a preflight refused for its %s with a 403 problem, no CORS header, nothing echoed",
    async (_, headers) => {
      const response = await app.request("/orders", {
        method: "OPTIONS",
        headers: { "access-control-request-method": "POST", ...headers },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
      const text = await response.text();
      expect(text).not.toMatch(/evil|x-secret|PUT/);
      expect(JSON.parse(text)).toMatchObject({ status: 403, title: "Forbidden", type: "about:blank" });
    },
  );

  it("uses the problem mapper it is given", async () => {
    const problems = createProblemMapper({
      statuses: httpSecurityProblemStatuses,
      typeBase: "https://errors.example.com/",
    });
    const custom = new Hono()
      .use(cors({ origin: ["https://app.example.com"], problems }))
      .get("/", (c) => c.text("x"));
    const response = await custom.request("/", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect((await response.json()).type).toBe("https://errors.example.com/cors-origin-not-allowed");
  });
});

describe("csrf()", () => {
  const app = new Hono()
    .use(crossOriginProtection({ bypassPaths: ["/webhooks/*"] }))
    .get("/form", (c) => c.text("form"))
    .post("/transfer", (c) => c.text("done"))
    .post("/webhooks/stripe", (c) => c.text("hook"));

  it("passes same-origin and non-browser requests, and safe methods", async () => {
    expect(
      (await app.request("/transfer", { method: "POST", headers: { "sec-fetch-site": "same-origin" } }))
        .status,
    ).toBe(200);
    expect((await app.request("/transfer", { method: "POST" })).status).toBe(200);
    expect((await app.request("/form", { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(200);
  });

  it.each([
    ["Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site", origin: "https://sub.localhost" }],
    ["an old browser's foreign Origin", { origin: "https://evil.example" }],
    ["an old browser's null Origin", { origin: "null" }],
  ])("refuses %s with a 403 problem that echoes nothing", async (_, headers) => {
    for (const contentType of [
      "application/x-www-form-urlencoded",
      "text/plain",
      "application/json",
      "Multipart/Form-Data; boundary=x",
    ]) {
      const response = await app.request("/transfer", {
        method: "POST",
        headers: { ...headers, "content-type": contentType },
        body: "amount=1",
      });
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = await response.json();
      expect(body).toEqual({
        type: "about:blank",
        title: "Forbidden",
        status: 403,
        detail: "Cross-origin request refused",
        instance: "/transfer",
      });
    }
  });

  it("lets a bypassed path through", async () => {
    const response = await app.request("/webhooks/stripe", {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(response.status).toBe(200);
  });

  it("works with every middleware together, headers on the refusal too", async () => {
    const all = new Hono()
      .use(secureHeaders({ contentSecurityPolicy: { preset: "api" } }))
      .use(cors({ origin: ["https://app.example.com"], credentials: true }))
      .use(crossOriginProtection({ trustedOrigins: ["https://app.example.com"] }))
      .post("/orders", (c) => c.json({ id: 1 }, 201));
    const [trusted, refused] = await fromBothOrigins(all, "/orders", "POST", {
      "sec-fetch-site": "cross-site",
    });
    expect(trusted.status).toBe(201);
    expect(trusted.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(refused.headers.get("vary")).toBe("Origin");
    expect(refused.headers.has("access-control-allow-origin")).toBe(false);
  });
});

describe("requestId()", () => {
  const problems = createProblemMapper({ statuses: { ...httpSecurityProblemStatuses } });
  const app = new Hono()
    .use(requestId())
    .get("/", (c) => c.text(c.var.requestId))
    .get("/boom", () => {
      throw new Error("secret detail");
    })
    .get("/upstream", () => Response.redirect("https://example.com/", 302));
  app.onError(problemOnError(problems));

  it("keeps an acceptable inbound id and echoes it", async () => {
    const response = await app.request("/", { headers: { "x-request-id": "lb-1234" } });
    expect(await response.text()).toBe("lb-1234");
    expect(response.headers.get("x-request-id")).toBe("lb-1234");
  });

  it("replaces an unacceptable one with a UUIDv7, the same in the body and the header", async () => {
    const response = await app.request("/", { headers: { "x-request-id": "<script>" } });
    const id = await response.text();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(response.headers.get("x-request-id")).toBe(id);
  });

  it("is the correlation id of a problem answered by problemOnError", async () => {
    const response = await app.request("/boom", { headers: { "x-request-id": "trace-77" } });
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("trace-77");
    const problem = await response.json();
    expect(problem.correlationId).toBe("trace-77");
    expect(JSON.stringify(problem)).not.toContain("secret detail");
  });

  it("is the correlation id of this package's refusals and set on immutable responses", async () => {
    const guarded = new Hono()
      .use(requestId())
      .use(crossOriginProtection())
      .post("/", (c) => c.text("ok"));
    const refused = await guarded.request("/", {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site", "x-request-id": "abc-123" },
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).correlationId).toBe("abc-123");
    expect(refused.headers.get("x-request-id")).toBe("abc-123");
    expect((await app.request("/upstream")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("checks its options at set-up", () => {
    expect(() => requestId({ accept: /x/ })).toThrow(/^createRequestId: accept /);
  });
});

describe("clientIp()", () => {
  it("puts the client address on c.var.clientIp through trusted proxies only", async () => {
    let remote: string | undefined = "10.0.0.1";
    const app = new Hono()
      .use(clientIp({ trustedProxies: ["10.0.0.0/8"], remoteAddress: () => remote }))
      .get("/", (c) => c.text(c.var.clientIp ?? "none"));
    const ask = async (xff: string) =>
      (await app.request("/", { headers: { "x-forwarded-for": xff } })).text();
    expect(await ask("6.6.6.6, ::ffff:203.0.113.9")).toBe("203.0.113.9");
    remote = "198.51.100.1";
    expect(await ask("6.6.6.6")).toBe("198.51.100.1");
    remote = undefined;
    expect(await ask("6.6.6.6")).toBe("none");
  });

  it("reads CF-Connecting-IP only when told to", async () => {
    const plain = new Hono().use(clientIp()).get("/", (c) => c.text(c.var.clientIp ?? "none"));
    const cloudflare = new Hono()
      .use(clientIp({ trustCloudflare: true }))
      .get("/", (c) => c.text(c.var.clientIp ?? "none"));
    const headers = { "cf-connecting-ip": "203.0.113.5" };
    expect(await (await plain.request("/", { headers })).text()).toBe("none");
    expect(await (await cloudflare.request("/", { headers })).text()).toBe("203.0.113.5");
  });

  it("checks its options at set-up", () => {
    expect(() => clientIp({ remoteAddress: "10.0.0.1" as never })).toThrow(/^clientIp: remoteAddress/);
    expect(() => clientIp({ trustedProxies: ["10.0.0.1/8"] })).toThrow(
      /^createClientIp: trustedProxies\[0\]/,
    );
  });
});

describe("jsonApiSecurity() and htmlSecurity()", () => {
  const app = new Hono()
    .use(jsonApiSecurity({ origin: ["https://app.example.com"], cors: { allowHeaders: ["content-type"] } }))
    .post("/orders", async (c) => c.json({ received: await c.req.json(), id: c.var.requestId }, 201))
    .get("/boom", () => {
      throw new Error("boom");
    });
  app.onError(problemOnError(createProblemMapper({ statuses: {} })));
  const json = { "content-type": "application/json", "sec-fetch-site": "same-origin" };

  it("lets a good request through with every header", async () => {
    const response = await app.request("/orders", {
      method: "POST",
      headers: { ...json, origin: "https://app.example.com" },
      body: '{"a":1}',
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.received).toEqual({ a: 1 });
    expect(response.headers.get("x-request-id")).toBe(body.id);
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });

  it("answers a CORS preflight, and refuses a bad one with headers and a request id", async () => {
    const [ok, bad] = await fromBothOrigins(app, "/orders", "OPTIONS", {
      "access-control-request-method": "POST",
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
    expect(bad.status).toBe(403);
    expect(bad.headers.get("x-request-id")).toBe((await bad.json()).correlationId);
    expect(bad.headers.get("strict-transport-security")).not.toBeNull();
  });

  it.each([
    ["a cross-site POST", { "sec-fetch-site": "cross-site", "content-type": "application/json" }, "{}", 403],
    [
      "a form body",
      { "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
      "a=1",
      415,
    ],
    ["a body over 1 MiB", json, JSON.stringify("x".repeat(1_100_000)), 413],
  ])("refuses %s as a problem with the security headers", async (_name, headers, body, status) => {
    const response = await app.request("/orders", { method: "POST", headers, body });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await response.json()).correlationId).toBe(response.headers.get("x-request-id"));
  });

  it("keeps the headers and the request id on errors", async () => {
    const response = await app.request("/boom");
    expect(response.status).toBe(500);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await response.json()).correlationId).toBe(response.headers.get("x-request-id"));
  });

  it("htmlSecurity() gives a nonce and refuses cross-site posts", async () => {
    const site = new Hono()
      .use(htmlSecurity())
      .get("/", (c) => c.html(`<script nonce="${c.var.cspNonce}"></script>`))
      .post("/", (c) => c.text("ok"));
    const page = await site.request("/");
    const nonce = /nonce="([^"]+)"/.exec(await page.text())?.[1];
    expect(page.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
    expect(page.headers.has("access-control-allow-origin")).toBe(false);
    expect(
      (await site.request("/", { method: "POST", headers: { "sec-fetch-site": "cross-site" } })).status,
    ).toBe(403);
  });

  it("requires the origin allow-list", () => {
    expect(() => jsonApiSecurity({} as never)).toThrow(/origin is required/);
  });
});
