/**
 * The refusals of the cross-origin (CSRF) protection, as tagged errors. None repeats the request's Origin.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ CrossOriginRequestBase: TaggedErrorClass<"CrossOriginRequest"> =
    /* @__PURE__ */ TaggedError("CrossOriginRequest");
const /** @ignore */ CrossOriginRequestFromOldBrowserBase: TaggedErrorClass<"CrossOriginRequestFromOldBrowser"> =
    /* @__PURE__ */ TaggedError("CrossOriginRequestFromOldBrowser");

/**
 * A state-changing request the browser marked as cross-site or same-site (`Sec-Fetch-Site`), from an
 * origin that is not trusted.
 *
 * @example
 * ```ts
 * import { CrossOriginRequest } from "@keel/http-security";
 * console.assert(new CrossOriginRequest()._tag === "CrossOriginRequest");
 * ```
 */
export class CrossOriginRequest extends CrossOriginRequestBase {
  constructor() {
    super({ message: "Cross-origin request refused" });
  }
}

/**
 * A state-changing request without `Sec-Fetch-Site` (an older browser) whose `Origin` does not match the
 * request's host.
 *
 * @example
 * ```ts
 * import { CrossOriginRequestFromOldBrowser } from "@keel/http-security";
 * console.assert(new CrossOriginRequestFromOldBrowser()._tag === "CrossOriginRequestFromOldBrowser");
 * ```
 */
export class CrossOriginRequestFromOldBrowser extends CrossOriginRequestFromOldBrowserBase {
  constructor() {
    super({ message: "Cross-origin request refused" });
  }
}

/** Every error the cross-origin (CSRF) protection can end with. */
export type CrossOriginError = CrossOriginRequest | CrossOriginRequestFromOldBrowser;
