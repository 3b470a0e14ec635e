/**
 * @module
 * The refusals of a body limit, as tagged errors.
 */
import { TaggedError, type TaggedErrorClass } from "@keel/result";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const BodyTooLargeBase: TaggedErrorClass<"BodyTooLarge"> = /* @__PURE__ */ TaggedError("BodyTooLarge");
const MediaTypeUnsupportedBase: TaggedErrorClass<"MediaTypeUnsupported"> =
  /* @__PURE__ */ TaggedError("MediaTypeUnsupported");

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

/** Every error a body limit can end with. */
export type BodyLimitError = BodyTooLarge | MediaTypeUnsupported;
