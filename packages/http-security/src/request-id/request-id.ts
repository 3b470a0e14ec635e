/**
 * Request ids: an inbound id is kept only when it has a strict shape and length, otherwise a fresh
 * time-ordered one (UUIDv7) is made; the id is echoed in a response header, for logs and problem
 * correlation ids.
 *
 * @module
 */
import { isToken } from "../_internal/http-syntax.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { uuidV7 } from "../_internal/uuid-v7.ts";

/** Options for {@link createRequestId}. */
export interface RequestIdOptions {
  /** The request and response header; defaults to `x-request-id`. */
  readonly header?: string;
  /**
   * Which inbound ids to keep: a `RegExp` anchored with `^…$` (no `g` or `y` flag), `{ maxLength }` with
   * the default characters, or `false` to always make a fresh id (for a service reached directly by
   * clients, whose ids nobody vouches for). Defaults to 1 to 128 of `A-Z a-z 0-9 - _ . :`. Whatever the
   * pattern says, an id of more than 256 characters or with a character outside visible ASCII is refused.
   */
  readonly accept?: RegExp | { readonly maxLength: number } | false;
  /** Makes a fresh id; defaults to a UUIDv7 (time-ordered, 74 random bits). */
  readonly generate?: () => string;
}

/** Request ids, built once by {@link createRequestId}. */
export interface RequestId {
  /** The header read and written, in lower case. */
  readonly header: string;
  /** The request's id: its inbound header when that is acceptable, else a fresh one. */
  fromRequest(request: Request): string;
  /** A fresh id. */
  generate(): string;
}

const HARD_LIMIT = 256;
const visibleAscii = /^[\x21-\x7e]+$/;

const fail = optionChecker("createRequestId");

function compileAccept(accept: RequestIdOptions["accept"]): (id: string) => boolean {
  if (accept === false) return () => false;
  if (accept === undefined) return compileAccept({ maxLength: 128 });
  if (accept instanceof RegExp) {
    if (accept.global || accept.sticky) fail("accept", "must not have the g or y flag (it would keep state)");
    if (!accept.source.startsWith("^") || !accept.source.endsWith("$") || accept.multiline) {
      fail("accept", "must be anchored with ^ and $ (and not multiline), so it matches the whole id");
    }
    return (id) => accept.test(id);
  }
  if (typeof accept === "object" && accept !== null) {
    refuseUnknownKeys("createRequestId", accept, ["maxLength"], "accept");
    const { maxLength } = accept;
    if (!Number.isSafeInteger(maxLength) || maxLength < 1 || maxLength > HARD_LIMIT) {
      fail("accept.maxLength", `must be a whole number from 1 to ${HARD_LIMIT}`);
    }
    return (id) => id.length <= maxLength && /^[A-Za-z0-9._:-]+$/.test(id);
  }
  return fail("accept", "must be a RegExp, { maxLength } or false");
}

/**
 * Builds, once at set-up, a request id reader: `fromRequest(request)` returns the inbound id (from the
 * `header` option, default `x-request-id`) when it matches `accept`, and otherwise a fresh UUIDv7, whose
 * text sorts by creation time. Send the id back in the same header and use it as the log and problem
 * correlation id (the Hono `requestId()` middleware does all three). Bad options throw a `TypeError`.
 *
 * @example
 * ```ts
 * import { createRequestId } from "@keel/http-security";
 *
 * const ids = createRequestId();
 * const inbound = ids.fromRequest(new Request("https://api.example.com/", { headers: { "x-request-id": "edge-7f3a.42" } }));
 * console.assert(inbound === "edge-7f3a.42");
 *
 * const injected = ids.fromRequest(new Request("https://api.example.com/", { headers: { "x-request-id": "a<script>" } }));
 * console.assert(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(injected));
 *
 * const first = ids.generate();
 * const second = ids.generate();
 * console.assert(first < second); // time-ordered
 *
 * const strict = createRequestId({ header: "x-correlation-id", accept: /^[0-9a-f]{32}$/ });
 * console.assert(strict.fromRequest(new Request("https://api.example.com/", { headers: { "x-correlation-id": "x" } })) !== "x");
 * ```
 */
export function createRequestId(options: RequestIdOptions = {}): RequestId {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createRequestId", options, ["header", "accept", "generate"]);
  const header = options.header ?? "x-request-id";
  if (typeof header !== "string" || !isToken(header)) fail("header", "must be a header name");
  const accepts = compileAccept(options.accept);
  const make = options.generate ?? (() => uuidV7());
  if (typeof make !== "function") fail("generate", "must be a function");
  const generate = (): string => {
    const id = make();
    if (typeof id !== "string" || id.length > HARD_LIMIT || !visibleAscii.test(id)) {
      throw new TypeError("createRequestId: generate must return 1 to 256 visible ASCII characters");
    }
    return id;
  };
  return {
    header: header.toLowerCase(),
    fromRequest(request) {
      const inbound = request.headers.get(header);
      if (
        inbound !== null &&
        inbound.length <= HARD_LIMIT &&
        visibleAscii.test(inbound) &&
        accepts(inbound)
      ) {
        return inbound;
      }
      return generate();
    },
    generate,
  };
}
