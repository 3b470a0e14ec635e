import { err, ok } from "@keel/result";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  createTenantContext,
  createTenantJobHandler,
  TenantContextMissing,
  TenantJobInvalid,
  TenantSuspended,
  tenantJob,
} from "../src/index.ts";

const tenants = createTenantContext<{ id: string }>();
const lookup = (id: string) => (id === "suspended" ? err(new TenantSuspended()) : ok({ id }));

describe("tenantJob() and createTenantJobHandler()", () => {
  const handle = createTenantJobHandler({
    context: tenants,
    lookup,
    handle: async (data: { n: number }) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return `${tenants.currentOrThrow().id}:${data.n}`;
    },
  });

  it("carries the producer's tenant to the consumer, which runs inside it", async () => {
    const job = tenants.run({ id: "acme" }, () => tenantJob(tenants, { n: 1 }));
    expect(job).toEqual({ tenantId: "acme", data: { n: 1 } });
    expect((await handle(JSON.parse(JSON.stringify(job))))._unsafeUnwrap()).toBe("acme:1");
  });

  it("refuses to make a job outside a tenant, and refuses payloads without one", async () => {
    expect(() => tenantJob(tenants, {})).toThrow(TenantContextMissing);
    for (const payload of [null, 7, "x", {}, { tenantId: "" }, { tenantId: 3 }]) {
      expect((await handle(payload))._unsafeUnwrapErr()).toBeInstanceOf(TenantJobInvalid);
    }
  });

  it("reads the tenant id once, and validates the data when given a schema", async () => {
    let reads = 0;
    const tricky = {
      get tenantId() {
        return reads++ === 0 ? "acme" : { toString: () => "globex" };
      },
      data: { n: 2 },
    };
    expect((await handle(tricky))._unsafeUnwrap()).toBe("acme:2");
    const strict = createTenantJobHandler({
      context: tenants,
      lookup,
      data: z.object({ n: z.number() }),
      handle: (data) => data.n,
    });
    expect((await strict({ tenantId: "acme", data: "not an object" }))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantJobInvalid,
    );
    expect((await strict({ tenantId: "acme", data: { n: 3 } }))._unsafeUnwrap()).toBe(3);
  });

  it("does not run the handler for a tenant suspended since the job was queued", async () => {
    expect((await handle({ tenantId: "suspended", data: { n: 1 } }))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantSuspended,
    );
  });
});
