/**
 * The two ways a rate-limit decision ends without admitting the request, as tagged errors. Neither carries
 * the key, the client's address or any other value the request supplied: a problem built from them repeats
 * nothing the client sent.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ RateLimitedBase: TaggedErrorClass<"RateLimited"> =
    /* @__PURE__ */ TaggedError("RateLimited");
const /** @ignore */ RateLimitStoreUnavailableBase: TaggedErrorClass<"RateLimitStoreUnavailable"> =
    /* @__PURE__ */ TaggedError("RateLimitStoreUnavailable");

/**
 * The request went over its allowance: answer 429 with `Retry-After`. `retryAfterMs` is the wait after
 * which a request of the same cost could pass; `limit`, `remaining` and `resetMs` are the decision's, for
 * the `RateLimit` header.
 *
 * @example
 * ```ts
 * import { RateLimited } from "@keel/http-security/rate-limit";
 * const refused = new RateLimited({ policy: "login", limit: 5, remaining: 0, resetMs: 60_000, retryAfterMs: 12_000 });
 * console.assert(refused._tag === "RateLimited" && refused.retryAfterMs === 12_000);
 * ```
 */
export class RateLimited extends RateLimitedBase<RateLimitedFields> {
  /**
   * Builds the refusal from the decision's numbers, which become its fields. The limiter makes these; a
   * custom limiter or a test builds one to get the same 429 answer and headers.
   */
  constructor(decision: RateLimitedFields) {
    super({ ...decision, message: "Too many requests" });
  }
}

/** The fields of {@link RateLimited}. */
export interface RateLimitedFields {
  /** The name of the policy that refused the request (`"default"` unless named). */
  readonly policy: string;
  /** The policy's limit. */
  readonly limit: number;
  /** Units left (0, or fewer than the request's cost). */
  readonly remaining: number;
  /** Milliseconds until the allowance is fully restored. */
  readonly resetMs: number;
  /** Milliseconds until a request of the same cost could pass. */
  readonly retryAfterMs: number;
}

/**
 * The rate-limit store could not decide (Redis down or timing out, a Durable Object unreachable). The
 * store's own error is on `cause` for logs; the message names none of its details. A fail-closed limiter
 * answers it as 503; a fail-open one admits the request and reports it.
 *
 * @example
 * ```ts
 * import { RateLimitStoreUnavailable } from "@keel/http-security/rate-limit";
 * const failure = new RateLimitStoreUnavailable({ cause: new Error("ECONNREFUSED") });
 * console.assert(failure._tag === "RateLimitStoreUnavailable" && failure.cause instanceof Error);
 * ```
 */
export class RateLimitStoreUnavailable extends RateLimitStoreUnavailableBase {
  /**
   * Builds the error, keeping the store's own failure as `cause` for logs. A custom `RateLimitStore`
   * returns one when its backend cannot decide, so the limiter can fail open or closed as configured.
   */
  constructor(options: { readonly cause?: unknown } = {}) {
    super({ message: "The rate-limit store is unavailable", cause: options.cause });
  }
}

/** Every error a rate-limit check can end with. */
export type RateLimitError = RateLimited | RateLimitStoreUnavailable;
