/**
 * @module
 * Request body limits on Web `Request`: a byte limit enforced on the body stream itself (a missing or false
 * `Content-Length` does not get around it) and an optional `Content-Type` allow-list.
 */
import { err, ok, type Result } from "@keel/result";
import { trimOws } from "./_internal/http-syntax.ts";
import { type BodyLimitError, BodyTooLarge, UnsupportedMediaType } from "./security-errors.ts";

/** Options for {@link createBodyLimit}. */
export interface BodyLimitOptions {
  /** The largest body accepted, in bytes; defaults to 1 MiB (1,048,576). */
  readonly maxBytes?: number;
  /**
   * The media types a request with a body may have (`type/subtype`, compared case-insensitively, parameters
   * such as `charset` ignored), e.g. `["application/json"]`. A body with no `Content-Type` or another one is
   * refused. Not checked by default.
   */
  readonly contentTypes?: readonly string[];
}

/** A request that passed the up-front checks, and whether its body later went over the limit. */
export interface LimitedRequest {
  /** The request to hand on: its body stream errors with {@link BodyTooLarge} past the limit. */
  readonly request: Request;
  /** Whether reading the body went past the limit (the handler then saw its read fail). */
  exceeded(): boolean;
  /**
   * Why reading the body failed, if the limit made it fail: `BodyTooLarge` past `maxBytes`, or
   * `UnsupportedMediaType` for bytes of a body that named no media type and declared no length (see
   * {@link BodyLimit.check}).
   */
  refusal(): BodyLimitError | undefined;
}

/** A body limit, built once by {@link createBodyLimit}. */
export interface BodyLimit {
  /**
   * Refuses at once a request whose `Content-Length` is over the limit or whose media type is not allowed;
   * otherwise wraps its body so that reading more than `maxBytes` fails. With `contentTypes`, a request with
   * no `Content-Type` that declares no body (neither `Content-Length` nor `Transfer-Encoding`: a bodiless
   * `curl -X POST`, which Node's servers still hand a body stream, or an HTTP/2 request) passes, and its
   * read fails at the first byte, if there is one.
   */
  check(request: Request): Result<LimitedRequest, BodyLimitError>;
}

const mediaType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

const fail = (option: string, reason: string): never => {
  throw new TypeError(`createBodyLimit: ${option} ${reason}`);
};

/** The `type/subtype` of a Content-Type value, lower-cased. */
function essence(contentType: string): string {
  const semicolon = contentType.indexOf(";");
  return trimOws(semicolon === -1 ? contentType : contentType.slice(0, semicolon)).toLowerCase();
}

/**
 * Builds, once at set-up, a request body limit. A `Content-Length` over the limit is refused before any
 * byte is read (`BodyTooLarge`, 413); a media type outside `contentTypes` is refused (`UnsupportedMediaType`,
 * 415); every other body is counted as it is read, and the read fails once it passes `maxBytes`, whatever
 * `Content-Length` said (a chunked body has none). Bad options throw a `TypeError` here.
 *
 * @example
 * ```ts
 * import { createBodyLimit } from "@keel/http-security";
 *
 * const limit = createBodyLimit({ maxBytes: 10, contentTypes: ["application/json"] });
 * const post = (body: string, type = "application/json") =>
 *   limit.check(new Request("https://api.example.com/", { method: "POST", headers: { "content-type": type }, body }));
 *
 * const small = post('{"a":1}');
 * console.assert(small.isOk() && (await small.value.request.json()).a === 1);
 * const wrongType = post("a=1", "application/x-www-form-urlencoded");
 * console.assert(wrongType.isErr() && wrongType.error._tag === "UnsupportedMediaType");
 *
 * const big = post(JSON.stringify({ text: "x".repeat(100) }));
 * let failed = false;
 * if (big.isOk()) await big.value.request.text().catch(() => (failed = true));
 * console.assert(big.isErr() || (failed && big.value.exceeded()));
 * ```
 */
export function createBodyLimit(options: BodyLimitOptions = {}): BodyLimit {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  const maxBytes = options.maxBytes ?? 1_048_576;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    fail("maxBytes", "must be a whole number of bytes, 0 or more");
  const types = options.contentTypes;
  if (types !== undefined && (!Array.isArray(types) || types.length === 0)) {
    fail("contentTypes", "must be a non-empty list of media types");
  }
  const allowed = types === undefined ? undefined : new Set<string>();
  for (const [index, type] of (types ?? []).entries()) {
    if (typeof type !== "string" || !mediaType.test(type.toLowerCase())) {
      fail(`contentTypes[${index}]`, "must be a media type such as application/json (no parameters)");
    }
    allowed?.add(type.toLowerCase());
  }

  return {
    check(request) {
      const body = request.body;
      if (body === null) return ok({ request, exceeded: () => false, refusal: () => undefined });
      const length = request.headers.get("content-length");
      if (length !== null && /^[0-9]+$/.test(length) && Number(length) > maxBytes) {
        return err(new BodyTooLarge());
      }
      // A body with no media type is refused: up front when a length or chunking is declared, else at its
      // first byte (the stream may well be empty).
      let untyped = false;
      if (allowed !== undefined && length !== "0") {
        const type = request.headers.get("content-type");
        const declared = length !== null || request.headers.has("transfer-encoding");
        if (type === null ? declared : !allowed.has(essence(type))) return err(new UnsupportedMediaType());
        untyped = type === null;
      }
      let total = 0;
      let refusal: BodyLimitError | undefined;
      const counted = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            total += chunk.byteLength;
            if (untyped && total > 0) refusal = new UnsupportedMediaType();
            else if (total > maxBytes) refusal = new BodyTooLarge();
            if (refusal !== undefined) return controller.error(refusal);
            controller.enqueue(chunk);
          },
        }),
      );
      // duplex: "half" is required for a stream body (Node); not yet in every RequestInit type.
      const init = { body: counted, duplex: "half" } as RequestInit;
      return ok({
        request: new Request(request, init),
        exceeded: () => refusal?._tag === "BodyTooLarge",
        refusal: () => refusal,
      });
    },
  };
}
