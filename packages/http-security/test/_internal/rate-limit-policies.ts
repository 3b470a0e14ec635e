// The two policy shapes the store tests build, by limit and window.
import type { RateLimitPolicy } from "../../src/rate-limit/index.ts";

export const sliding = (limit: number, windowMs: number): RateLimitPolicy => ({
  algorithm: "sliding-window",
  limit,
  windowMs,
});

export const bucket = (limit: number, windowMs: number): RateLimitPolicy => ({
  algorithm: "token-bucket",
  limit,
  windowMs,
});
