import { err, ok } from "@keel/result";
import { runtime } from "@keel/testing";
import { describe, expect, it } from "vitest";
import { createTenantContext, createTenantJobHandler, TenantSuspended, tenantJob } from "../src/index.ts";

// A file of its own: BullMQ needs Node's sockets (package.json keel.workerdSkipFiles). Imported inside the
// test, which runs on Node only: merely loading BullMQ and ioredis overflows the stack in workerd.
const tenants = createTenantContext<{ id: string }>();
const lookup = (id: string) => (id === "suspended" ? err(new TenantSuspended()) : ok({ id }));

describe.skipIf(runtime !== "node")("with BullMQ on the real Redis (Node only: the queue example)", () => {
  it("runs each job inside the tenant that queued it", { timeout: 60_000 }, async () => {
    const { requireService } = await import("@keel/testing/services");
    const { Queue, Worker } = await import("bullmq");
    const { Redis } = await import("ioredis");
    const redis = await requireService("redis");
    if (redis.skip) throw new Error(redis.reason);
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const name = `tenant-jobs-${crypto.randomUUID()}`;
    const queue = new Queue(name, { connection });
    const seen: string[] = [];
    const handle = createTenantJobHandler({
      context: tenants,
      lookup,
      handle: (data: { n: number }) => {
        seen.push(`${tenants.currentOrThrow().id}:${data.n}`);
      },
    });
    const worker = new Worker(name, async (job) => (await handle(job.data))._unsafeUnwrap(), {
      connection,
      concurrency: 4,
    });
    try {
      for (const [tenant, n] of [
        ["acme", 1],
        ["globex", 2],
        ["acme", 3],
        ["globex", 4],
      ] as const) {
        await tenants.run({ id: tenant }, () => queue.add("work", tenantJob(tenants, { n })));
      }
      const deadline = Date.now() + 30_000;
      while (seen.length < 4 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.sort()).toEqual(["acme:1", "acme:3", "globex:2", "globex:4"]);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
