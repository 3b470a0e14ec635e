// @keel/http-security's Redis rate-limit store against rate-limit-redis (express-rate-limit's Redis store),
// both through one ioredis connection to the real Redis (REDIS_URL, or 127.0.0.1:6379), in the same
// process. Each side counts the commands it sends: round trips per decision are printed before the timings.
// See scripts/lib/bench.ts.
import {
  createRedisStore,
  ioredisClient,
  type RedisScriptClient,
} from "@keel/http-security/rate-limit/redis";
import { Redis } from "ioredis";
import { RedisStore } from "rate-limit-redis";
import { compare } from "../../../scripts/lib/bench.ts";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const run = crypto.randomUUID();

// The benchmark runner closes no connection: the socket keeps the process alive only while a command is in
// flight, so the process ends once the cases are done.
let inFlight = 0;
const socket = () => (redis as unknown as { stream?: { ref(): void; unref(): void } }).stream;
async function tracked<T>(send: () => Promise<T>): Promise<T> {
  if (inFlight++ === 0) socket()?.ref();
  try {
    return await send();
  } finally {
    if (--inFlight === 0) socket()?.unref();
  }
}

let keelTrips = 0;
const adapter = ioredisClient(redis);
const counting: RedisScriptClient = {
  evalsha(sha, keys, args) {
    keelTrips++;
    return tracked(() => adapter.evalsha(sha, keys, args));
  },
  eval(script, keys, args) {
    keelTrips++;
    return tracked(() => adapter.eval(script, keys, args));
  },
};
const keel = createRedisStore({ client: counting, prefix: `bench:${run}:keel:` });

let anchorTrips = 0;
const anchor = new RedisStore({
  prefix: `bench:${run}:rlr:`,
  sendCommand: (command: string, ...args: string[]) => {
    anchorTrips++;
    return tracked(() => redis.call(command, ...args) as Promise<number | string | (number | string)[]>);
  },
});
// express-rate-limit calls init with its options; the store only reads windowMs.
anchor.init({ windowMs: 60_000 } as Parameters<RedisStore["init"]>[0]);
await anchor.get("warm-up");

// A limit no run reaches, so both sides count every request (rate-limit-redis only counts; express-rate-limit
// compares the count with the limit after the round trip).
const policy = { algorithm: "sliding-window", limit: 1_000_000_000, windowMs: 60_000 } as const;
await keel.consume("warm-up", policy, 1);

const DECISIONS = 1000;
const keelBefore = keelTrips;
for (let i = 0; i < DECISIONS; i++) await keel.consume(`client-${i % 50}`, policy, 1);
const anchorBefore = anchorTrips;
for (let i = 0; i < DECISIONS; i++) await anchor.increment(`client-${i % 50}`);
const keelPerDecision = (keelTrips - keelBefore) / DECISIONS;
const anchorPerDecision = (anchorTrips - anchorBefore) / DECISIONS;
console.log(
  `Redis round trips per decision: createRedisStore ${keelPerDecision}, rate-limit-redis ${anchorPerDecision} ` +
    `(ratio ${(keelPerDecision / anchorPerDecision).toFixed(2)})`,
);

compare({
  name: "Redis store, one decision (one key, sequential)",
  anchor: { label: "rate-limit-redis + ioredis", run: () => anchor.increment("hot") },
  keel: { label: "createRedisStore(ioredisClient)", run: () => keel.consume("hot", policy, 1) },
});

const burst = Array.from({ length: 100 }, (_, i) => `client-${i}`);
compare({
  name: "Redis store, 100 concurrent decisions (100 keys, pipelined by ioredis)",
  anchor: {
    label: "rate-limit-redis + ioredis",
    run: () => Promise.all(burst.map((key) => anchor.increment(key))),
  },
  keel: {
    label: "createRedisStore(ioredisClient)",
    run: () => Promise.all(burst.map((key) => keel.consume(key, policy, 1))),
  },
});
