/**
 * The refusals of the cross-origin (CSRF) protection, as tagged errors. None repeats the request's Origin.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
/**
 * The class {@link CrossOriginRequest} extends: `TaggedError("CrossOriginRequest")` from `@keel/result`,
 * which gives it its `_tag`, `name`, `message`, `cause` and fields. Exported as a type only, to show what it
 * inherits.
 */
const CrossOriginRequestBase: TaggedErrorClass<"CrossOriginRequest"> =
  /* @__PURE__ */ TaggedError("CrossOriginRequest");
/**
 * The class {@link CrossOriginRequestFromOldBrowser} extends:
 * `TaggedError("CrossOriginRequestFromOldBrowser")` from `@keel/result`, which gives it its `_tag`, `name`,
 * `message`, `cause` and fields. Exported as a type only, to show what it inherits.
 */
const CrossOriginRequestFromOldBrowserBase: TaggedErrorClass<"CrossOriginRequestFromOldBrowser"> =
  /* @__PURE__ */ TaggedError("CrossOriginRequestFromOldBrowser");

export type { CrossOriginRequestBase, CrossOriginRequestFromOldBrowserBase };

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
