/**
 * `@keel/http-security/rate-limit`: rate limiters (sliding window or token bucket) over a store, a login
 * limiter (per address, per account and address, and a per-account ceiling), the in-memory store, the store interface other stores implement,
 * and the limiter's errors. The Redis store is `@keel/http-security/rate-limit/redis`, the Workers stores
 * `@keel/http-security/rate-limit/workers`: importing this entry loads neither.
 *
 * @module
 */
export {
  type RateLimitError,
  RateLimited,
  type RateLimitedFields,
  RateLimitStoreUnavailable,
} from "./errors.ts";
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from "./memory-store.ts";
export {
  accountRateLimitKey,
  createLoginLimiter,
  createRateLimiter,
  ipRateLimitKey,
  type LoginAttempt,
  type LoginLimiter,
  type LoginLimiterOptions,
  type RateLimitCheck,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimitKey,
} from "./rate-limit.ts";
export type {
  RateLimitAlgorithm,
  RateLimitDecision,
  RateLimitPolicy,
  RateLimitStore,
} from "./store.ts";
