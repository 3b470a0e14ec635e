import { err, ok } from "@keel/result";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { tenant } from "../src/hono.ts";
import {
  claimSource,
  createTenantContext,
  createTenantResolver,
  headerSource,
  pathPrefixSource,
  TenantNotFound,
  TenantSuspended,
} from "../src/index.ts";

interface Tenant {
  readonly id: string;
  readonly name: string;
}
const rows = [
  { tenantId: "acme", title: "Acme roadmap" },
  { tenantId: "globex", title: "Globex secret plan" },
];
const tenants = createTenantContext<Tenant>();
const resolve = createTenantResolver({
  sources: [headerSource("x-tenant-id"), claimSource("tid")],
  id: z.string().regex(/^[a-z]{1,20}$/),
  lookup: (id) => {
    if (id === "suspended") return err(new TenantSuspended());
    return id === "acme" || id === "globex" ? ok({ id, name: id.toUpperCase() }) : err(new TenantNotFound());
  },
});

// Stands in for an auth middleware that verified a token: the claims come from a header in this test.
const app = new Hono<{ Variables: { claims?: Record<string, unknown> } }>()
  .use(async (c, next) => {
    const token = c.req.header("x-test-claims");
    if (token !== undefined) c.set("claims", JSON.parse(token));
    await next();
  })
  .use(tenant({ context: tenants, resolve, claims: (c) => c.get("claims") }))
  .get("/rows", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const tenant = tenants.currentOrThrow();
    return c.json({ name: c.var.tenant.name, rows: rows.filter((row) => row.tenantId === tenant.id) });
  });

const get = (headers: Record<string, string>) => app.request("/rows", { headers });

describe("tenant()", () => {
  it("runs the handler inside the tenant, typed on c.var.tenant", async () => {
    const response = await get({ "x-tenant-id": "acme" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: "ACME",
      rows: [{ tenantId: "acme", title: "Acme roadmap" }],
    });
  });

  it.each([
    ["no tenant", {}, 400, "Bad Request"],
    ["an invalid id", { "x-tenant-id": "Robert'); DROP" }, 400, "Bad Request"],
    ["an unknown tenant", { "x-tenant-id": "umbrella" }, 404, "Not Found"],
    ["a suspended tenant", { "x-tenant-id": "suspended" }, 403, "Forbidden"],
    [
      "a header that disagrees with the token",
      { "x-tenant-id": "globex", "x-test-claims": '{"tid":"acme"}' },
      403,
      "Forbidden",
    ],
  ])("answers %s with a problem that names no tenant", async (_, headers, status, title) => {
    const response = await get(headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ status, title });
    expect(body).not.toMatch(/acme|globex|umbrella|DROP/i);
  });

  it("keeps 200 concurrent requests of two tenants apart", async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => get({ "x-tenant-id": i % 2 === 0 ? "acme" : "globex" })),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    bodies.forEach((body, i) => {
      const id = i % 2 === 0 ? "acme" : "globex";
      expect(body.rows.every((row: { tenantId: string }) => row.tenantId === id)).toBe(true);
    });
  });

  it("puts no instance in the problem: the path may name the tenant asked for", async () => {
    const byPath = new Hono()
      .use(
        tenant({
          context: tenants,
          resolve: createTenantResolver({
            sources: [pathPrefixSource({ prefix: "/t/" })],
            id: z.string().regex(/^[a-z-]{1,20}$/),
            lookup: () => err(new TenantNotFound()),
          }),
        }),
      )
      .get("/t/:tenant/x", (c) => c.text("never"));
    const response = await byPath.request("/t/umbrella-secret/x");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("umbrella");
  });

  it("gives a refusal the request id as its correlation id, after requestId()", async () => {
    const withIds = new Hono()
      .use(requestId())
      .use(tenant({ context: tenants, resolve }))
      .get("/rows", (c) => c.text("never"));
    const response = await withIds.request("/rows", { headers: { "x-tenant-id": "nobody" } });
    expect(response.status).toBe(404);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await response.json()).correlationId).toBe(id);
    // Without requestId() there is no id to give.
    expect(await (await get({ "x-tenant-id": "nobody" })).json()).not.toHaveProperty("correlationId");
  });
});
