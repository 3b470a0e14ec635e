/**
 * The login limiter's store on Node and Deno: Redis (through ioredis) when `REDIS_URL` is set, so every
 * process of the service shares the counts; memory otherwise (one process, counts lost on restart).
 */
import { createMemoryStore, type RateLimitStore } from "@keel/http-security/rate-limit";
import { createRedisStore, ioredisClient } from "@keel/http-security/rate-limit/redis";
import { Redis } from "ioredis";

export function loginStore(redisUrl: string | undefined, prefix: string | undefined): RateLimitStore {
  if (redisUrl === undefined || redisUrl === "") return createMemoryStore();
  // Fail fast while Redis is down (the limiter then answers 503) instead of queueing commands.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", () => {}); // reported per decision by the limiter's onStoreError
  return createRedisStore({ client: ioredisClient(redis), ...(prefix === undefined ? {} : { prefix }) });
}

/** A development secret when none is configured: printed as such, never used in production. */
export function jwtSecretOrDevelopment(value: string | undefined): string {
  if (value !== undefined && value !== "") return value;
  console.log("JWT_SECRET is not set: using a random development secret (tokens die with the process)");
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** `TRUSTED_PROXIES`: comma-separated CIDRs of the reverse proxies in front of the app (none when unset). */
export const trustedProxies = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((cidr) => cidr.trim())
    .filter((cidr) => cidr !== "");
