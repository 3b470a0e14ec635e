/**
 * Request body limits on Web `Request`: a byte limit that holds whatever the framing (a declared
 * `Content-Length`, chunked, or HTTP/2 with no length), decided before the handler runs, and an optional
 * `Content-Type` allow-list.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { trimOws } from "../_internal/http-syntax.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { BodyIncomplete, type BodyLimitError, BodyTooLarge, MediaTypeUnsupported } from "./errors.ts";

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
  /**
   * `false` (the default): a body that declares no length (chunked, or HTTP/2) is read, up to `maxBytes`,
   * before the request is handed on, so an oversized one is refused before the handler runs; memory is
   * bounded by `maxBytes`. `true`, for uploads that should stream: the body is handed on as a stream that
   * fails once it passes `maxBytes`, so the handler starts at once but may act before the limit is hit.
   */
  readonly stream?: boolean;
}

/** A request that passed the body limit, and whether its body later went over it. */
export interface LimitedRequest {
  /**
   * The request to hand on: the same request when its length was declared within the limit or it has no
   * body; a copy holding the bytes already read; or, with `stream: true`, a copy whose body stream errors
   * with {@link BodyTooLarge} past the limit.
   */
  readonly request: Request;
  /** Whether reading the body went past the limit (only with `stream: true`; the handler saw its read fail). */
  exceeded(): boolean;
  /**
   * Why reading the body failed, if the limit made it fail (only with `stream: true`): `BodyTooLarge` past
   * `maxBytes`, or `MediaTypeUnsupported` for bytes of a body that named no media type and declared no length.
   */
  refusal(): BodyLimitError | undefined;
}

/** A body limit, built once by {@link createBodyLimit}. */
export interface BodyLimit {
  /**
   * Decides on a request's body: a declared `Content-Length` within the limit passes untouched (every
   * server enforces the length it declares), one over it is refused at once, and a body of undeclared length
   * is read up to the limit first (or, with `stream: true`, wrapped to fail past it). A `GET` or `HEAD` is
   * passed on without touching its body. With `contentTypes`, a request with no `Content-Type` that declares
   * no body (a bodiless `curl -X POST`, which Node's servers still hand a body stream) passes when it turns
   * out empty.
   */
  check(request: Request): Promise<Result<LimitedRequest, BodyLimitError>>;
}

const mediaType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;
const digits = /^[0-9]+$/;
const where = "createBodyLimit";
const fail = optionChecker(where);

/** The `type/subtype` of a Content-Type value, lower-cased; `""` for one longer than any media type. */
function essence(contentType: string): string {
  const semicolon = contentType.indexOf(";");
  const end = semicolon === -1 ? contentType.length : semicolon;
  // RFC 6838 caps type and subtype at 127 characters each: a longer value is not worth lower-casing.
  if (end > 300) return "";
  return trimOws(contentType.slice(0, end)).toLowerCase();
}

const passed = (request: Request): LimitedRequest => ({
  request,
  exceeded: () => false,
  refusal: () => undefined,
});

/**
 * A copy of `request` with another body. `new Request(request, init)` keeps what is not a header (workerd's
 * `request.cf`: TLS client auth, bot score); some adapters' request objects refuse it
 * (`@hono/node-server` with `overrideGlobalObjects: false`), and then the copy is built from the parts.
 */
function withBody(request: Request, body: BodyInit | null): Request {
  const headers = new Headers(request.headers);
  // The copy's body is what it is: neither the old framing nor a stale length describes it.
  headers.delete("transfer-encoding");
  headers.delete("content-length");
  // duplex: "half" is required for a stream body (Node); not yet in every RequestInit type.
  const init = { headers, body, duplex: "half" } as RequestInit;
  try {
    return new Request(request, init);
  } catch {
    const parts = { ...init, method: request.method, signal: request.signal } as RequestInit;
    return new Request(request.url, parts);
  }
}

/**
 * Reads at most `maxBytes` of a body into one buffer (grown by doubling, never past `maxBytes`): the bytes,
 * or the refusal once it is known. Chunks are copied and dropped, so a body sent one byte a chunk costs its
 * bytes, not a buffer object per byte. A stream that errors (the client aborted) is `BodyIncomplete`.
 */
async function readUpTo(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  untyped: boolean,
): Promise<Result<Uint8Array<ArrayBuffer>, BodyLimitError>> {
  const reader = body.getReader();
  let bytes = new Uint8Array(Math.min(maxBytes, 16_384));
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return err(new BodyIncomplete());
    }
    if (chunk.done) break;
    const value = chunk.value;
    const refusal =
      untyped && value.byteLength > 0
        ? new MediaTypeUnsupported()
        : total + value.byteLength > maxBytes
          ? new BodyTooLarge()
          : undefined;
    if (refusal !== undefined) {
      // Not awaited: a client that keeps sending must not hold the answer up.
      reader.cancel().catch(() => {});
      return err(refusal);
    }
    if (total + value.byteLength > bytes.byteLength) {
      const grown = new Uint8Array(
        Math.min(maxBytes, Math.max(bytes.byteLength * 2, total + value.byteLength)),
      );
      grown.set(bytes.subarray(0, total));
      bytes = grown;
    }
    bytes.set(value, total);
    total += value.byteLength;
  }
  return ok(bytes.slice(0, total));
}

/** The body wrapped so that reading past the limit fails; the refusal is kept for the adapter. */
function streamed(request: Request, body: ReadableStream<Uint8Array>, maxBytes: number, untyped: boolean) {
  let total = 0;
  let refusal: BodyLimitError | undefined;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (untyped && total > 0) refusal = new MediaTypeUnsupported();
        else if (total > maxBytes) refusal = new BodyTooLarge();
        if (refusal !== undefined) return controller.error(refusal);
        controller.enqueue(chunk);
      },
    }),
  );
  return ok<LimitedRequest>({
    request: withBody(request, counted),
    exceeded: () => refusal?._tag === "BodyTooLarge",
    refusal: () => refusal,
  });
}

/**
 * Builds, once at set-up, a request body limit. A `Content-Length` over the limit is refused before any
 * byte is read (`BodyTooLarge`, 413); a media type outside `contentTypes` is refused (`MediaTypeUnsupported`,
 * 415); a body that declares no length is read up to the limit before anything else sees it, and refused
 * with 413 past it. Bad options (unknown ones included) throw a `TypeError` here.
 *
 * @example
 * ```ts
 * import { createBodyLimit } from "@keel/http-security";
 *
 * const limit = createBodyLimit({ maxBytes: 10, contentTypes: ["application/json"] });
 * const post = (body: BodyInit, type = "application/json") =>
 *   // duplex: "half" lets a stream be a request body (Node needs it; not yet in every RequestInit type).
 *   limit.check(new Request("https://api.example.com/", { method: "POST", headers: { "content-type": type }, body, duplex: "half" } as RequestInit));
 *
 * const small = await post('{"a":1}');
 * console.assert(small.isOk() && (await small.value.request.json()).a === 1);
 * const wrongType = await post("a=1", "application/x-www-form-urlencoded");
 * console.assert(wrongType.isErr() && wrongType.error._tag === "MediaTypeUnsupported");
 *
 * // A stream has no declared length: it is read up to the limit, and refused before any handler runs.
 * const chunked = new Blob([JSON.stringify({ text: "x".repeat(100) })]).stream();
 * const big = await post(chunked);
 * console.assert(big.isErr() && big.error._tag === "BodyTooLarge");
 * ```
 */
export function createBodyLimit(options: BodyLimitOptions = {}): BodyLimit {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys(where, options, ["maxBytes", "contentTypes", "stream"]);
  const maxBytes = options.maxBytes ?? 1_048_576;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    fail("maxBytes", "must be a whole number of bytes, 0 or more");
  const stream = options.stream ?? false;
  if (typeof stream !== "boolean") fail("stream", "must be true or false");
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
    async check(request) {
      const headers = request.headers;
      const length = headers.get("content-length");
      const chunked = headers.has("transfer-encoding");
      // A length counts only alone: with Transfer-Encoding beside it, the framing decides (RFC 9112 6.3).
      const declared = length !== null && !chunked && digits.test(length) ? Number(length) : undefined;
      if (declared !== undefined && declared > maxBytes) return err(new BodyTooLarge());
      // Fetch gives GET and HEAD no body (a Request cannot carry one), and reading `.body` would make some
      // adapters build one anyway: their headers are checked, nothing more.
      const method = request.method;
      if (method === "GET" || method === "HEAD") return ok(passed(request));
      // A body with no media type is refused: up front when a length or chunking is declared, else at its
      // first byte (the stream may well be empty).
      let untyped = false;
      if (allowed !== undefined && declared !== 0) {
        const type = headers.get("content-type");
        if (type === null ? length !== null || chunked : !allowed.has(essence(type))) {
          return err(new MediaTypeUnsupported());
        }
        untyped = type === null;
      }
      // The server reads exactly the length it declared: nothing to count.
      if (declared !== undefined) return ok(passed(request));
      const body = request.body;
      if (body === null) return ok(passed(request));
      if (stream) return streamed(request, body, maxBytes, untyped);
      const bytes = await readUpTo(body, maxBytes, untyped);
      if (bytes.isErr()) return err(bytes.error);
      return ok(passed(withBody(request, bytes.value.byteLength === 0 ? null : bytes.value)));
    },
  };
}
