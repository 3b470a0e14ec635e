/**
 * The refusals of a body limit, as tagged errors.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ BodyTooLargeBase: TaggedErrorClass<"BodyTooLarge"> =
    /* @__PURE__ */ TaggedError("BodyTooLarge");
const /** @ignore */ MediaTypeUnsupportedBase: TaggedErrorClass<"MediaTypeUnsupported"> =
    /* @__PURE__ */ TaggedError("MediaTypeUnsupported");
const /** @ignore */ BodyIncompleteBase: TaggedErrorClass<"BodyIncomplete"> =
    /* @__PURE__ */ TaggedError("BodyIncomplete");

/**
 * A request body over the configured byte limit (by its `Content-Length`, or counted as it was read).
 *
 * @example
 * ```ts
 * import { BodyTooLarge } from "@keel/http-security";
 * console.assert(new BodyTooLarge()._tag === "BodyTooLarge");
 * ```
 */
export class BodyTooLarge extends BodyTooLargeBase {
  constructor() {
    super({ message: "The request body is too large" });
  }
}

/**
 * A request body whose `Content-Type` is missing or not in the allow-list.
 *
 * @example
 * ```ts
 * import { MediaTypeUnsupported } from "@keel/http-security";
 * console.assert(new MediaTypeUnsupported()._tag === "MediaTypeUnsupported");
 * ```
 */
export class MediaTypeUnsupported extends MediaTypeUnsupportedBase {
  constructor() {
    super({ message: "The request body's media type is not accepted" });
  }
}

/**
 * A request body that could not be read to its end before the handler ran: the client aborted or reset the
 * stream. A 400: the request is the client's to send again.
 *
 * @example
 * ```ts
 * import { BodyIncomplete } from "@keel/http-security";
 * console.assert(new BodyIncomplete()._tag === "BodyIncomplete");
 * ```
 */
export class BodyIncomplete extends BodyIncompleteBase {
  constructor() {
    super({ message: "The request body ended before it was complete" });
  }
}

/** Every error a body limit can end with. */
export type BodyLimitError = BodyTooLarge | MediaTypeUnsupported | BodyIncomplete;
