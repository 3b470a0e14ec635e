/**
 * The refusals of a CORS preflight, as tagged errors. None repeats the request's Origin or any header value.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ CorsOriginNotAllowedBase: TaggedErrorClass<"CorsOriginNotAllowed"> =
    /* @__PURE__ */ TaggedError("CorsOriginNotAllowed");
const /** @ignore */ CorsMethodNotAllowedBase: TaggedErrorClass<"CorsMethodNotAllowed"> =
    /* @__PURE__ */ TaggedError("CorsMethodNotAllowed");
const /** @ignore */ CorsHeaderNotAllowedBase: TaggedErrorClass<"CorsHeaderNotAllowed"> =
    /* @__PURE__ */ TaggedError("CorsHeaderNotAllowed");

/**
 * A CORS preflight from an origin the allow-list does not hold.
 *
 * @example
 * ```ts
 * import { CorsOriginNotAllowed } from "@keel/http-security";
 * console.assert(new CorsOriginNotAllowed()._tag === "CorsOriginNotAllowed");
 * ```
 */
export class CorsOriginNotAllowed extends CorsOriginNotAllowedBase {
  constructor() {
    super({ message: "CORS preflight refused: origin not allowed" });
  }
}

/**
 * A CORS preflight asking for a method the allow-list does not hold.
 *
 * @example
 * ```ts
 * import { CorsMethodNotAllowed } from "@keel/http-security";
 * console.assert(new CorsMethodNotAllowed()._tag === "CorsMethodNotAllowed");
 * ```
 */
export class CorsMethodNotAllowed extends CorsMethodNotAllowedBase {
  constructor() {
    super({ message: "CORS preflight refused: method not allowed" });
  }
}

/**
 * A CORS preflight asking for a request header the allow-list does not hold.
 *
 * @example
 * ```ts
 * import { CorsHeaderNotAllowed } from "@keel/http-security";
 * console.assert(new CorsHeaderNotAllowed()._tag === "CorsHeaderNotAllowed");
 * ```
 */
export class CorsHeaderNotAllowed extends CorsHeaderNotAllowedBase {
  constructor() {
    super({ message: "CORS preflight refused: request header not allowed" });
  }
}

/** Every error a CORS preflight check can end with. */
export type CorsError = CorsOriginNotAllowed | CorsMethodNotAllowed | CorsHeaderNotAllowed;
