import { runtime } from "@keel/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MiniflareWorker, startWorker } from "../_internal/miniflare-worker.ts";

// The Workers stores in real workerd: a Worker bundled from src (as a user's Wrangler build would bundle
// the package), with the Durable Object and a Rate Limiting binding, run by miniflare. Miniflare is a Node
// program that starts workerd, so this file runs on Node only (package.json keel.workerdSkipFiles); the
// client-free parts run on every leg in test/rate-limit/workers-store.test.ts.

const WORKER = `
import { createDurableObjectStore, createRateLimitBindingStore, RateLimiterObject } from "./src/rate-limit/workers.ts";
export { RateLimiterObject };
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.searchParams.get("key") ?? "";
    const store = url.pathname.startsWith("/binding")
      ? createRateLimitBindingStore(env.LIMITER)
      : createDurableObjectStore(env.RATE_LIMITER);
    if (url.pathname.endsWith("/reset")) {
      const done = await store.reset(key);
      return Response.json({ ok: done.isOk() });
    }
    const policy = {
      algorithm: url.searchParams.get("algorithm") ?? "sliding-window",
      limit: Number(url.searchParams.get("limit")),
      windowMs: Number(url.searchParams.get("windowMs")),
    };
    const decision = await store.consume(key, policy, Number(url.searchParams.get("cost") ?? "1"));
    return decision.isOk() ? Response.json(decision.value) : Response.json({ error: decision.error._tag }, { status: 503 });
  },
};
`;

interface Decision {
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
  error?: string;
}

describe.skipIf(runtime !== "node")(
  "the Workers stores in workerd, through miniflare (Node only: miniflare drives workerd from Node)",
  () => {
    let mf: MiniflareWorker | undefined;

    beforeAll(async () => {
      mf = await startWorker(WORKER, {
        durableObjects: { RATE_LIMITER: "RateLimiterObject" },
        ratelimits: { LIMITER: { namespace_id: "1001", simple: { limit: 5, period: 60 } } },
      });
    }, 120_000);

    afterAll(async () => {
      await mf?.dispose();
    });

    const get = async (path: string): Promise<Decision> => {
      const response = await (mf as NonNullable<typeof mf>).dispatchFetch(`http://worker${path}`);
      return (await response.json()) as Decision;
    };

    it("counts 200 concurrent requests for one key exactly through the Durable Object: 50 of limit 50", async () => {
      for (const algorithm of ["sliding-window", "token-bucket"]) {
        const key = `k-${algorithm}-${crypto.randomUUID()}`;
        const query = `/do?key=${encodeURIComponent(key)}&algorithm=${algorithm}&limit=50&windowMs=3600000`;
        const decisions = await Promise.all(Array.from({ length: 200 }, () => get(query)));
        expect(decisions.filter((decision) => decision.error !== undefined)).toEqual([]);
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
        const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining);
        expect(new Set(remaining)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => i)));
      }
    }, 120_000);

    it("keeps keys apart, odd characters included, and forgets one on reset", async () => {
      const base = crypto.randomUUID();
      const keys = [`${base}{a}`, `${base}%7Ba%7D`, `${base}\n`, `${base}`];
      for (const key of keys) {
        const decision = await get(`/do?key=${encodeURIComponent(key)}&limit=1&windowMs=60000`);
        expect(decision.allowed).toBe(true);
      }
      const refused = await get(`/do?key=${encodeURIComponent(keys[0] as string)}&limit=1&windowMs=60000`);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(await get(`/do/reset?key=${encodeURIComponent(keys[0] as string)}`)).toEqual({ ok: true });
      expect(
        (await get(`/do?key=${encodeURIComponent(keys[0] as string)}&limit=1&windowMs=60000`)).allowed,
      ).toBe(true);
    }, 60_000);

    it("maps the Rate Limiting binding's { success }: 5 of 8 admitted, unknowns reported conservatively", async () => {
      const key = crypto.randomUUID();
      const decisions: Decision[] = [];
      for (let i = 0; i < 8; i++) decisions.push(await get(`/binding?key=${key}&limit=5&windowMs=60000`));
      expect(decisions.map((decision) => decision.allowed)).toEqual([
        true,
        true,
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
      expect(decisions[0]).toEqual({
        allowed: true,
        limit: 5,
        remaining: 0,
        resetMs: 60_000,
        retryAfterMs: 0,
      });
      expect(decisions[7]).toEqual({
        allowed: false,
        limit: 5,
        remaining: 0,
        resetMs: 60_000,
        retryAfterMs: 60_000,
      });
      expect((await get(`/binding?key=${key}&limit=5&windowMs=30000`)).error).toBe(
        "RateLimitStoreUnavailable",
      );
      expect(await get(`/binding/reset?key=${key}`)).toEqual({ ok: false });
    }, 60_000);
  },
);
