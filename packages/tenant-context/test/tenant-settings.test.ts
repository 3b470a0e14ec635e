import { describe, expect, it } from "vitest";
import * as z from "zod";
import { createTenantContext, createTenantSettings, TenantContextMissing } from "../src/index.ts";

const tenants = createTenantContext<{ id: string }>();
const Settings = z.object({ plan: z.enum(["free", "pro"]), flags: z.object({ betaSearch: z.boolean() }) });
const rows: Record<string, unknown> = {
  acme: { plan: "pro", flags: { betaSearch: true } },
  globex: { plan: "free", flags: { betaSearch: false } },
  broken: { plan: "platinum", flags: {}, apiKey: "sk_live_hunter2" },
};

function makeSettings(now: () => number, maxEntries = 10) {
  const loads: string[] = [];
  const settings = createTenantSettings({
    context: tenants,
    schema: Settings,
    load: async (tenantId) => {
      loads.push(tenantId);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return rows[tenantId];
    },
    ttlMs: 1000,
    maxEntries,
    now,
  });
  return { settings, loads };
}

describe("createTenantSettings()", () => {
  it("reads the current tenant's settings, typed and validated", async () => {
    const { settings } = makeSettings(() => 0);
    const acme = await tenants.run({ id: "acme" }, () => settings.current());
    expect(acme._unsafeUnwrap()).toEqual({ plan: "pro", flags: { betaSearch: true } });
    const globex = await tenants.run({ id: "globex" }, () => settings.current());
    expect(globex._unsafeUnwrap().flags.betaSearch).toBe(false);
  });

  it("is TenantContextMissing outside a tenant, and a value-free ValidationError for invalid settings", async () => {
    const { settings } = makeSettings(() => 0);
    expect((await settings.current())._unsafeUnwrapErr()).toBeInstanceOf(TenantContextMissing);
    const broken = (await tenants.run({ id: "broken" }, () => settings.current()))._unsafeUnwrapErr();
    expect(broken._tag).toBe("ValidationError");
    expect(JSON.stringify(broken) + broken.message).not.toContain("hunter2");
  });

  it("caches for ttlMs, shares one load between concurrent reads, keeps at most maxEntries", async () => {
    let now = 0;
    const { settings, loads } = makeSettings(() => now, 1);
    await Promise.all(Array.from({ length: 5 }, () => tenants.run({ id: "acme" }, () => settings.current())));
    expect(loads).toEqual(["acme"]);
    await tenants.run({ id: "acme" }, () => settings.current());
    expect(loads).toEqual(["acme"]);
    now = 1001;
    await tenants.run({ id: "acme" }, () => settings.current());
    expect(loads).toEqual(["acme", "acme"]);
    await tenants.run({ id: "globex" }, () => settings.current()); // evicts acme
    await tenants.run({ id: "acme" }, () => settings.current());
    expect(loads).toEqual(["acme", "acme", "globex", "acme"]);
    settings.invalidate("acme");
    await tenants.run({ id: "acme" }, () => settings.current());
    expect(loads.length).toBe(5);
  });

  it("does not cache a load that was running when invalidate() was called", async () => {
    let version = 1;
    const settings = createTenantSettings({
      context: tenants,
      schema: z.object({ version: z.number() }),
      load: async () => {
        const seen = version;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { version: seen };
      },
      ttlMs: 60_000,
      maxEntries: 10,
    });
    const first = tenants.run({ id: "acme" }, () => settings.current());
    version = 2;
    settings.invalidate("acme");
    expect((await first)._unsafeUnwrap().version).toBe(1);
    expect((await tenants.run({ id: "acme" }, () => settings.current()))._unsafeUnwrap().version).toBe(2);
  });

  it("never caches invalid settings", async () => {
    const { settings, loads } = makeSettings(() => 0);
    await tenants.run({ id: "broken" }, () => settings.current());
    await tenants.run({ id: "broken" }, () => settings.current());
    expect(loads).toEqual(["broken", "broken"]);
  });
});

describe("logFields()", () => {
  it("gives the tenant and request ids inside a run, nothing outside", () => {
    expect(tenants.logFields()).toEqual({});
    tenants.run({ id: "acme" }, () => {
      expect(tenants.logFields()).toEqual({ tenantId: "acme" });
    });
    tenants.run(
      { id: "acme" },
      () => {
        expect(tenants.logFields()).toEqual({ tenantId: "acme", requestId: "req-1" });
        tenants.run({ id: "acme" }, () => expect(tenants.logFields().requestId).toBe("req-1"));
      },
      { requestId: "req-1" },
    );
  });
});
