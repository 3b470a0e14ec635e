import fc from "fast-check";
import { Hono } from "hono";
import { streamText } from "hono/streaming";
import { describe, expect, it } from "vitest";
import { CrossTenantAccess, createTenantContext, TenantContextMissing } from "../src/index.ts";

interface Tenant {
  readonly id: string;
  readonly plan: string;
}
const acme: Tenant = { id: "acme", plan: "pro" };
const globex: Tenant = { id: "globex", plan: "free" };
const tenants = createTenantContext<Tenant>();
const currentId = () =>
  tenants
    .current()
    .map((tenant) => tenant.id)
    .unwrapOr("none");
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createTenantContext()", () => {
  it("current() is TenantContextMissing outside a run, and currentOrThrow() throws it", () => {
    const outside = tenants.current();
    expect(outside.isErr() && outside.error).toBeInstanceOf(TenantContextMissing);
    expect(() => tenants.currentOrThrow()).toThrow(TenantContextMissing);
  });

  it("keeps the tenant across await, setTimeout, queueMicrotask and promise combinators", async () => {
    const seen = await tenants.run(acme, async () => {
      const ids: string[] = [currentId()];
      await tick();
      ids.push(currentId());
      ids.push(await new Promise<string>((resolve) => setTimeout(() => resolve(currentId()), 1)));
      ids.push(await new Promise<string>((resolve) => queueMicrotask(() => resolve(currentId()))));
      const all = await Promise.all([tick().then(currentId), Promise.resolve().then(currentId)]);
      const race = await Promise.race([tick(1).then(currentId), tick(2).then(currentId)]);
      const settled = await Promise.allSettled([tick().then(currentId)]);
      const any = await Promise.any([tick().then(currentId)]);
      ids.push(...all, race, settled[0]?.status === "fulfilled" ? settled[0].value : "x", any);
      return ids;
    });
    expect(seen).toEqual(Array(9).fill("acme"));
    expect(currentId()).toBe("none");
  });

  it("keeps the tenant in a streamed response body", async () => {
    const app = new Hono().get("/stream", (c) =>
      tenants.run(acme, () =>
        streamText(c, async (stream) => {
          for (let i = 0; i < 3; i++) {
            await tick(1);
            await stream.write(`${currentId()};`);
          }
        }),
      ),
    );
    const response = await app.request("/stream");
    expect(await response.text()).toBe("acme;acme;acme;");
  });

  it("keeps the tenant in a ReadableStream's pull when it is bound", async () => {
    let count = 0;
    const body = tenants.run(
      acme,
      () =>
        new ReadableStream<string>({
          pull: tenants.bind((controller: ReadableStreamDefaultController<string>) => {
            controller.enqueue(currentId());
            if (++count === 2) controller.close();
          }),
        }),
    );
    const chunks: string[] = [];
    for await (const chunk of body as unknown as AsyncIterable<string>) chunks.push(chunk);
    expect(chunks).toEqual(["acme", "acme"]);
  });

  it("binds outside a run to no tenant: called later inside one, it still sees none", () => {
    const bound = tenants.bind(currentId);
    expect(tenants.run(acme, bound)).toBe("none");
  });

  it("ignores allowSwitch and tenantId inherited from a polluted Object.prototype", () => {
    const proto = Object.prototype as { allowSwitch?: boolean; tenantId?: string };
    proto.allowSwitch = true;
    proto.tenantId = "acme";
    try {
      tenants.run(acme, () => {
        expect(() => tenants.run(globex, currentId)).toThrow(TypeError);
        expect(tenants.ensureOwned({ title: "no tenant field" }).isErr()).toBe(true);
      });
    } finally {
      delete proto.allowSwitch;
      delete proto.tenantId;
    }
  });

  it("refuses a nested run for another tenant unless allowSwitch is set; the same tenant is fine", () => {
    tenants.run(acme, () => {
      expect(tenants.run(acme, currentId)).toBe("acme");
      expect(() => tenants.run(globex, currentId)).toThrow(TypeError);
      expect(tenants.run(globex, currentId, { allowSwitch: true })).toBe("globex");
      expect(currentId()).toBe("acme");
    });
  });

  it("never mixes tenants across 1,000 interleaved runs with random awaits", async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `t${i % 7}`);
    const leaks = await Promise.all(
      ids.map((id, i) =>
        tenants.run({ id, plan: "x" }, async () => {
          for (let step = 0; step < 3; step++) {
            await tick((i * 7 + step) % 3);
            if (currentId() !== id) return 1;
          }
          return 0;
        }),
      ),
    );
    expect(leaks.reduce((a: number, b) => a + b, 0)).toBe(0);
  });
});

describe("ensureOwned()", () => {
  it("passes a record of the current tenant and refuses another tenant's", () => {
    tenants.run(acme, () => {
      expect(tenants.ensureOwned({ tenantId: "acme", title: "x" }).isOk()).toBe(true);
      const other = tenants.ensureOwned({ tenantId: "globex", title: "x" });
      expect(other.isErr() && other.error).toBeInstanceOf(CrossTenantAccess);
      expect(JSON.stringify(other)).not.toContain("globex");
      const custom = tenants.ensureOwned({ owner: "acme" }, (record) => record.owner);
      expect(custom.isOk()).toBe(true);
    });
  });

  it("is TenantContextMissing outside a run, and refuses records without a tenant id", () => {
    expect(tenants.ensureOwned({ tenantId: "acme" })._unsafeUnwrapErr()).toBeInstanceOf(TenantContextMissing);
    tenants.run(acme, () => {
      for (const record of [null, undefined, {}, { tenantId: undefined }, "acme", { tenantId: ["acme"] }]) {
        expect(tenants.ensureOwned(record).isErr()).toBe(true);
      }
    });
  });
});

describe("tenantKey()", () => {
  it("prefixes parts with the tenant, percent-encoded", () => {
    expect(tenants.run(acme, () => tenants.tenantKey("cache", "user", 7))).toBe("t:acme:cache:user:7");
    expect(() => tenants.tenantKey("x")).toThrow(TenantContextMissing);
    expect(tenants.run({ id: "a:b", plan: "" }, () => tenants.tenantKey("c"))).toBe("t:a%3Ab:c");
    expect(tenants.run({ id: "a", plan: "" }, () => tenants.tenantKey("b:c"))).toBe("t:a:b%3Ac");
    expect(tenants.run(acme, () => tenants.tenantKey("\uD800"))).toBe("t:acme:\uD800");
  });

  it("gives different keys for different (tenant, parts), however the parts are chosen (fast-check)", {
    timeout: 60_000,
  }, () => {
    const part = fc.string({ unit: "binary", maxLength: 6 });
    fc.assert(
      fc.property(
        part,
        fc.array(part, { maxLength: 3 }),
        part,
        fc.array(part, { maxLength: 3 }),
        (a, pa, b, pb) => {
          fc.pre(a !== "" && b !== "" && (a !== b || JSON.stringify(pa) !== JSON.stringify(pb)));
          const keyA = tenants.run({ id: a, plan: "" }, () => tenants.tenantKey(...pa));
          const keyB = tenants.run({ id: b, plan: "" }, () => tenants.tenantKey(...pb));
          expect(keyA).not.toBe(keyB);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
