import { ok, type Result } from "@keel/result";
import { Hono } from "hono";
import { describe, expectTypeOf, it } from "vitest";
import { tenant } from "../src/hono.ts";
import {
  createTenantContext,
  createTenantResolver,
  headerSource,
  type TenantContextMissing,
} from "../src/index.ts";

interface Tenant {
  readonly id: string;
  readonly plan: "free" | "pro";
}

describe("tenant-context types", () => {
  it("current() is a Result of the context's tenant type", () => {
    const tenants = createTenantContext<Tenant>();
    expectTypeOf(tenants.current()).toEqualTypeOf<Result<Tenant, TenantContextMissing>>();
    expectTypeOf(tenants.currentOrThrow()).toEqualTypeOf<Tenant>();
  });

  it("refuses to run a narrower tenant in a context of a richer type", () => {
    const tenants = createTenantContext<Tenant>();
    // @ts-expect-error: a tenant without `plan`
    tenants.run({ id: "acme" }, () => 1);
  });

  it("types c.var.tenant after the middleware", () => {
    const tenants = createTenantContext<Tenant>();
    const resolve = createTenantResolver({
      sources: [headerSource("x-tenant-id")],
      id: {
        "~standard": {
          version: 1,
          vendor: "t",
          validate: (value: unknown) => ({ value: String(value) }),
          types: { input: "", output: "" },
        },
      },
      lookup: (id) => ok<Tenant>({ id, plan: "pro" }),
    });
    new Hono().use(tenant({ context: tenants, resolve })).get("/", (c) => {
      expectTypeOf(c.var.tenant).toEqualTypeOf<Tenant>();
      return c.text(c.var.tenant.plan);
    });
  });
});
