import { createProblemMapper } from "@keel/result";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { cors, csrf, secureHeaders } from "../src/hono.ts";
import { createSecureHeaders, httpSecurityProblemStatuses } from "../src/index.ts";

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
    .use(csrf({ bypassPaths: ["/webhooks/*"] }))
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
      .use(csrf({ trustedOrigins: ["https://app.example.com"] }))
      .post("/orders", (c) => c.json({ id: 1 }, 201));
    const trusted = await all.request("/orders", {
      method: "POST",
      headers: { origin: "https://app.example.com", "sec-fetch-site": "cross-site" },
    });
    expect(trusted.status).toBe(201);
    expect(trusted.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const refused = await all.request("/orders", {
      method: "POST",
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(refused.headers.get("vary")).toBe("Origin");
    expect(refused.headers.has("access-control-allow-origin")).toBe(false);
  });
});
