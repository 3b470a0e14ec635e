import { runtime } from "@keel/testing";
import type { ClusterMaster, ClusterNode, RedisCluster } from "@keel/testing/redis-cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimitPolicy } from "../../src/rate-limit/index.ts";
import {
  createRedisStore,
  ioredisClient,
  nodeRedisClient,
  type RedisScriptClient,
  type RedisStore,
} from "../../src/rate-limit/redis.ts";

// A real Redis Cluster, 3 masters and 3 replicas, started by @keel/testing/redis-cluster from the machine's
// redis-server on free loopback ports (or the one REDIS_CLUSTER_URLS names), one per client library, since
// the last test kills a master. It cannot run in a Worker (package.json keel.workerdSkipFiles): no
// processes, no TCP sockets. Node-only modules are imported inside the hooks.

const noProcesses =
  runtime === "workerd"
    ? " (skipped on workerd: a Worker can neither start redis-server nor open TCP sockets)"
    : "";
/** Hang detectors, not speed checks: starting a cluster and a failover take seconds on a busy machine. */
const CLUSTER_START = 180_000;
const FAILOVER_BUDGET_MS = 90_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = () => `t${crypto.randomUUID()}:`;
const sliding = (limit: number, windowMs: number): RateLimitPolicy => ({
  algorithm: "sliding-window",
  limit,
  windowMs,
});

interface Connection {
  readonly client: RedisScriptClient;
  close(): Promise<void>;
}

interface ClusterClientKind {
  readonly name: string;
  open(nodes: readonly ClusterNode[]): Promise<Connection>;
}

const ioredis: ClusterClientKind = {
  name: "ioredis Cluster",
  async open(nodes) {
    const { Cluster } = await import("ioredis");
    // The defaults otherwise: maxRedirections 16, retryDelayOnFailover 100 ms; the store's timeoutMs bounds
    // each decision whatever the client retries.
    const cluster = new Cluster(
      nodes.map(({ host, port }) => ({ host, port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
    cluster.on("error", () => {});
    return { client: ioredisClient(cluster), close: async () => cluster.disconnect() };
  },
};

const nodeRedis: ClusterClientKind = {
  name: "node-redis createCluster",
  async open(nodes) {
    const { createCluster } = await import("redis");
    const cluster = createCluster({
      rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      // node-redis 6 gives up on a command after 5 s by default: 20,000 decisions at once on a busy machine
      // wait longer than that in its queue. The store's timeoutMs is the bound this test means.
      commandOptions: { timeout: 60_000 },
    });
    cluster.on("error", () => {});
    await cluster.connect();
    return { client: nodeRedisClient(cluster), close: async () => cluster.destroy() };
  },
};

/** Wraps an adapter, counting the calls the store makes, by method, and the NOSCRIPT replies. */
function counting(client: RedisScriptClient) {
  const counts = { evalsha: 0, eval: 0, noscript: 0 };
  const wrapped: RedisScriptClient = {
    evalsha: async (sha, keys, args) => {
      counts.evalsha++;
      try {
        return await client.evalsha(sha, keys, args);
      } catch (error) {
        if (/NOSCRIPT/.test(String((error as Error).message))) counts.noscript++;
        throw error;
      }
    },
    eval: (script, keys, args) => {
      counts.eval++;
      return client.eval(script, keys, args);
    },
  };
  return { client: wrapped, counts };
}

/** No decision failed; else the first failure's cause, so that a broken connection says what broke. */
function expectNoErrors(decisions: readonly { isErr(): boolean; error?: unknown }[], what: string): void {
  const failed = decisions.filter((decision) => decision.isErr());
  const cause = (failed[0] as { error?: { cause?: unknown } } | undefined)?.error?.cause;
  const detail =
    cause instanceof Error
      ? (cause.stack ?? String(cause)).split("\n").slice(0, 4).join(" | ")
      : String(cause);
  expect(failed.length, `${what}: ${failed.length} failed, the first with ${detail}`).toBe(0);
}

/** EVALSHA and EVAL calls the masters have run since their stats were reset (INFO commandstats). */
async function serverCounts(cluster: RedisCluster): Promise<{ evalsha: number; eval: number }> {
  let evalsha = 0;
  let evalCalls = 0;
  for (const master of await cluster.masters()) {
    const info = String(await cluster.command(master, ["INFO", "commandstats"]));
    evalsha += Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(info)?.[1] ?? 0);
    evalCalls += Number(/^cmdstat_eval:calls=(\d+)/m.exec(info)?.[1] ?? 0);
  }
  return { evalsha, eval: evalCalls };
}

async function resetStats(cluster: RedisCluster): Promise<void> {
  for (const node of cluster.nodes)
    await cluster.command(node, ["CONFIG", "RESETSTAT"]).catch(() => undefined);
}

/** The master serving the slot of `redisKey`. */
async function masterOf(cluster: RedisCluster, masters: readonly ClusterMaster[], redisKey: string) {
  const slot = Number(await cluster.command(masters[0] as ClusterNode, ["CLUSTER", "KEYSLOT", redisKey]));
  return masters.find((master) =>
    master.slots.some(([from, to]) => slot >= from && slot <= to),
  ) as ClusterMaster;
}

/** A key (`<tag><n>`) whose Redis key, as `store` names it, lives on `master`. */
async function keyOn(cluster: RedisCluster, store: RedisStore, master: ClusterMaster, tag: string) {
  const masters = await cluster.masters();
  for (let n = 0; ; n++) {
    if ((await masterOf(cluster, masters, await store.redisKey(`${tag}${n}`))).id === master.id)
      return `${tag}${n}`;
  }
}

describe.each([ioredis, nodeRedis])(
  `with $name on a Redis Cluster, 3 masters and 3 replicas${noProcesses}`,
  (kind) => {
    const skip = noProcesses !== "";
    let cluster: RedisCluster;
    let skipReason: string | undefined;
    const connections: Connection[] = [];

    beforeAll(async () => {
      if (skip) return;
      const { requireRedisCluster } = await import("@keel/testing/redis-cluster");
      const found = await requireRedisCluster();
      if (found.skip) {
        skipReason = found.reason;
        return;
      }
      cluster = found.cluster;
      for (let i = 0; i < 4; i++) connections.push(await kind.open(cluster.nodes));
    }, CLUSTER_START);
    afterAll(async () => {
      for (const connection of connections) await connection.close();
      await cluster?.stop();
    }, CLUSTER_START);

    /** Skips the test, saying why, when KEEL_SKIP_SERVICES named Redis. */
    const needCluster = (context: { skip(note?: string): void }) => {
      if (skipReason !== undefined) context.skip(skipReason);
    };

    it.skipIf(skip)(
      "admits exactly the limit: 4 connections × 100 concurrent decisions on one key; 50 keys, 100 each, spread over every master; one EVALSHA a decision",
      { timeout: 180_000 },
      async (context) => {
        needCluster(context);
        const prefix = unique();
        const spies = connections.map((connection) => counting(connection.client));
        const stores = spies.map((spy) =>
          createRedisStore({ client: spy.client, prefix, timeoutMs: 60_000 }),
        );
        const masters = await cluster.masters();
        expect(masters).toHaveLength(3);
        // The script loaded on every master, so that what follows is one EVALSHA a decision.
        for (const master of masters) {
          const warm = await (stores[0] as RedisStore).consume(
            await keyOn(cluster, stores[0] as RedisStore, master, "warm"),
            sliding(1, 1000),
            1,
          );
          expect(warm.isOk()).toBe(true);
        }
        for (const spy of spies) Object.assign(spy.counts, { evalsha: 0, eval: 0, noscript: 0 });
        await resetStats(cluster);

        const policy = sliding(100, 3_600_000);
        const hot = await Promise.all(
          stores.flatMap((store) => Array.from({ length: 100 }, () => store.consume("hot", policy, 1))),
        );
        expectNoErrors(hot, "one key");
        expect(hot.filter((decision) => decision.isOk() && decision.value.allowed)).toHaveLength(100);

        const keys = Array.from({ length: 50 }, (_, n) => `user:${n}`);
        const perKey = await Promise.all(
          keys.map(async (key) => {
            const decisions = await Promise.all(
              stores.flatMap((store) => Array.from({ length: 100 }, () => store.consume(key, policy, 1))),
            );
            expectNoErrors(decisions, key);
            return decisions.filter((decision) => decision.isOk() && decision.value.allowed).length;
          }),
        );
        expect(perKey).toEqual(keys.map(() => 100));

        // 20,400 decisions, 20,400 EVALSHA, counted by the store's side and, on a cluster only this test
        // uses, by the masters themselves.
        const calls = spies.reduce(
          (sum, spy) => ({ evalsha: sum.evalsha + spy.counts.evalsha, eval: sum.eval + spy.counts.eval }),
          { evalsha: 0, eval: 0 },
        );
        expect(calls).toEqual({ evalsha: 20_400, eval: 0 });
        if (cluster.owned) expect(await serverCounts(cluster)).toEqual({ evalsha: 20_400, eval: 0 });

        // Every master holds some of the 51 keys. The warm-up keys share the prefix and live for a second
        // (sliding(1, 1000)): whether they are still there depends on the machine's speed, so they don't count.
        const held = await Promise.all(
          masters.map(
            async (master) =>
              ((await cluster.command(master, ["KEYS", `${prefix}*`])) as string[]).filter(
                (name) => !name.startsWith(`${prefix}{warm`),
              ).length,
          ),
        );
        expect(held.every((count) => count > 0)).toBe(true);
        expect(held.reduce((sum, count) => sum + count, 0)).toBe(51);
      },
    );

    it.skipIf(skip)(
      "counts odd keys apart, never CROSSSLOT: braces, user hash tags, empty, lone surrogates, 100,000 characters",
      async (context) => {
        needCluster(context);
        // A generous timeout: a busy machine is not what this test is about.
        const store = createRedisStore({
          client: (connections[0] as Connection).client,
          prefix: unique(),
          timeoutMs: 60_000,
        });
        const odd = [
          "{",
          "}",
          "{}",
          "}{",
          "{{}}",
          "%7B",
          "user:{42}",
          "{user:42}:a",
          "{user:42}:b",
          "a{b}c{d}",
          "",
          "\uD800",
          "\n\r\0",
          "é",
          "x".repeat(100_000),
          `{${"y".repeat(99_998)}}`,
        ];
        const policy = sliding(2, 60_000);
        for (const key of odd) {
          const decisions = [];
          for (let i = 0; i < 3; i++) decisions.push(await store.consume(key, policy, 1));
          const failed = decisions.find((decision) => decision.isErr());
          if (failed?.isErr())
            throw new Error(`key ${JSON.stringify(key.slice(0, 20))}: ${String(failed.error.cause)}`);
          expect(decisions.map((decision) => decision.isOk() && decision.value.allowed)).toEqual([
            true,
            true,
            false,
          ]);
        }
        // The keys did not all land on one master: hash tags of the user's do not steer the store's.
        const masters = await cluster.masters();
        const homes = new Set<string>();
        for (const key of odd) homes.add((await masterOf(cluster, masters, await store.redisKey(key))).id);
        expect(homes.size).toBe(3);
      },
    );

    it.skipIf(skip)(
      "after SCRIPT FLUSH on every node, answers every decision: one EVAL per master one at a time, one per decision in flight",
      async (context) => {
        needCluster(context);
        const spy = counting((connections[0] as Connection).client);
        const store = createRedisStore({ client: spy.client, prefix: unique(), timeoutMs: 60_000 });
        const masters = await cluster.masters();
        const keys = [];
        for (const master of masters) keys.push(await keyOn(cluster, store, master, "flushed"));

        // One decision at a time: the first on each master meets NOSCRIPT and runs EVAL, the next is EVALSHA.
        for (const node of cluster.nodes) await cluster.command(node, ["SCRIPT", "FLUSH"]);
        for (let round = 0; round < 2; round++) {
          for (const key of keys) expect((await store.consume(key, sliding(5, 60_000), 1)).isOk()).toBe(true);
        }
        expect(spy.counts).toEqual({ evalsha: 6, eval: 3, noscript: 3 });

        // 100 decisions at once after a flush: each one in flight before its master has the script again meets
        // NOSCRIPT and runs EVAL; none fails.
        for (const node of cluster.nodes) await cluster.command(node, ["SCRIPT", "FLUSH"]);
        Object.assign(spy.counts, { evalsha: 0, eval: 0, noscript: 0 });
        const decisions = await Promise.all(
          Array.from({ length: 100 }, (_, n) => store.consume(`burst${n}`, sliding(5, 60_000), 1)),
        );
        expect(decisions.filter((decision) => decision.isErr())).toHaveLength(0);
        expect(spy.counts.evalsha).toBe(100);
        expect(spy.counts.eval).toBe(spy.counts.noscript);
        expect(spy.counts.eval).toBeGreaterThanOrEqual(3);
        console.info(
          `${kind.name}: after SCRIPT FLUSH, 100 concurrent decisions ran ${spy.counts.eval} EVAL`,
        );
      },
    );

    it.skipIf(skip)(
      "survives a master killed: closed refuses (503), open admits uncounted, then the promoted replica counts exactly; no unhandled rejection (a cluster this harness started only)",
      { timeout: FAILOVER_BUDGET_MS + 60_000 },
      async (context) => {
        needCluster(context);
        if (!cluster.owned)
          context.skip(
            "REDIS_CLUSTER_URLS names a cluster this test did not start: it kills no master there",
          );
        let unhandled = 0;
        const onUnhandled = () => void unhandled++;
        process.on("unhandledRejection", onUnhandled);
        try {
          const store = createRedisStore({ client: (connections[1] as Connection).client, prefix: unique() });
          const big = { store, limit: 1_000_000, windowMs: 60_000 };
          const closed = createRateLimiter({ ...big, name: "closed", failure: "closed" });
          const open = createRateLimiter({ ...big, name: "open", failure: "open" });
          const masters = await cluster.masters();
          const victim = masters[0] as ClusterMaster;
          const survivor = masters[1] as ClusterMaster;
          const closedKey = (await keyOn(cluster, store, victim, "closed:victim")).slice("closed:".length);
          const openKey = (await keyOn(cluster, store, victim, "open:victim")).slice("open:".length);
          const elsewhere = (await keyOn(cluster, store, survivor, "closed:elsewhere")).slice(
            "closed:".length,
          );
          for (const [limiter, key] of [
            [closed, closedKey],
            [open, openKey],
          ] as const) {
            const before = await limiter.check(key);
            expect(before.isOk() && before.value.unavailable).toBe(undefined);
          }

          const crashedAt = performance.now();
          await cluster.crash(victim);
          const tally = {
            refused: 0,
            refusedOther: 0,
            admittedUncounted: 0,
            otherMasterFailed: 0,
            otherMasterDecided: 0,
          };
          let closedBackAt = 0;
          let openBackAt = 0;
          let healthyAt = 0;
          void cluster.waitUntilHealthy(FAILOVER_BUDGET_MS).then(() => {
            healthyAt = performance.now();
          });
          const deadline = crashedAt + FAILOVER_BUDGET_MS;
          const watchClosed = async () => {
            let streak = 0;
            while (streak < 5 && performance.now() < deadline) {
              const check = await closed.check(closedKey);
              if (check.isErr()) {
                streak = 0;
                if (check.error._tag === "RateLimitStoreUnavailable") tally.refused++;
                else tally.refusedOther++;
              } else if (++streak === 1) closedBackAt = performance.now();
              await sleep(50);
            }
          };
          const watchOpen = async () => {
            let streak = 0;
            while (streak < 5 && performance.now() < deadline) {
              const check = await open.check(openKey);
              expect(check.isOk()).toBe(true);
              if (check.isOk() && check.value.unavailable !== undefined) {
                streak = 0;
                tally.admittedUncounted++;
              } else if (++streak === 1) openBackAt = performance.now();
              await sleep(50);
            }
          };
          const watchElsewhere = async () => {
            while ((closedBackAt === 0 || openBackAt === 0) && performance.now() < deadline) {
              const check = await closed.check(elsewhere);
              if (check.isOk()) tally.otherMasterDecided++;
              else tally.otherMasterFailed++;
              await sleep(50);
            }
          };
          await Promise.all([watchClosed(), watchOpen(), watchElsewhere()]);
          await cluster.waitUntilHealthy(FAILOVER_BUDGET_MS);

          expect(tally.refused).toBeGreaterThan(0);
          expect(tally.refusedOther).toBe(0);
          expect(tally.admittedUncounted).toBeGreaterThan(0);
          expect(closedBackAt).toBeGreaterThan(0);
          expect(openBackAt).toBeGreaterThan(0);

          // The promoted replica decides exactly again: limit 5, 20 at once, 5 admitted.
          const after = createRateLimiter({ store, limit: 5, windowMs: 60_000, name: "after" });
          const promoted = (await cluster.masters()).find((master) =>
            master.slots.some(([from]) => victim.slots.some(([v]) => v === from)),
          ) as ClusterMaster;
          expect(promoted.port).not.toBe(victim.port);
          const key = (await keyOn(cluster, store, promoted, "after:exact")).slice("after:".length);
          const checks = await Promise.all(Array.from({ length: 20 }, () => after.check(key)));
          expect(checks.filter((check) => check.isOk())).toHaveLength(5);
          expect(checks.filter((check) => check.isErr() && check.error._tag === "RateLimited")).toHaveLength(
            15,
          );

          await sleep(500); // late replies to timed-out decisions, had any rejection been left unhandled
          expect(unhandled).toBe(0);
          const ms = (at: number) => (at === 0 ? "never" : `${Math.round(at - crashedAt)} ms`);
          console.info(
            `${kind.name} failover: closed refused ${tally.refused} checks, back after ${ms(closedBackAt)}; open admitted ${tally.admittedUncounted} uncounted, back after ${ms(openBackAt)}; another master's key: ${tally.otherMasterDecided} decided, ${tally.otherMasterFailed} failed; cluster healthy after ${ms(healthyAt)}`,
          );
        } finally {
          process.off("unhandledRejection", onUnhandled);
        }
      },
    );
  },
);
