/**
 * Tagged errors to RFC 9457 problem details (`application/problem+json`), with a per-tag status table.
 *
 * @module
 */
import { own } from "./_internal/own.ts";
import { readString } from "./_internal/read-string.ts";
import { statusPhrase } from "./_internal/status-phrases.ts";
import { internalFields, wireFields } from "./_internal/wire-data.ts";

/** An RFC 9457 problem details object. */
export interface ProblemDetails {
  /** A URI reference naming the problem type; `about:blank` when the status alone says it. */
  readonly type: string;
  /** A short, human-readable summary of the problem type, the same for every occurrence. */
  readonly title: string;
  /** The HTTP status code; {@link ProblemMapper.toResponse} also sends it as the response's status. */
  readonly status: number;
  /** What went wrong this time, for a person to read: the error's message, when it is more than its tag. */
  readonly detail?: string;
  /** A URI reference for this occurrence; the request path when built from a request. */
  readonly instance?: string;
  /** Extension members: the fields the rule exposes, and `correlationId` when there is one. */
  readonly [extension: string]: unknown;
}

/** How one tag becomes a problem. */
export interface ProblemRule {
  /** The HTTP status for this tag, from 400 to 599; anything else throws when the mapper is built. */
  readonly status: number;
  /**
   * Defaults to the status phrase when `type` is `about:blank` (RFC 9457 section 4.2.1), else to the tag
   * split into words ("NotFound" -> "Not Found").
   */
  readonly title?: string;
  /**
   * A URI reference. Defaults to `typeBase` + the tag in kebab case (percent-encoded), or `about:blank`
   * without a `typeBase`.
   */
  readonly type?: string;
  /**
   * Which of the error's fields become extension members. None by default: fields often hold ids, emails or
   * internals. List them, or say `"all"` explicitly. Internal fields (`input`, `primary`, `cause`, `stack`)
   * are never sent, at any depth, whatever this says. The error's `message` is the `detail` unless it is
   * just the tag.
   */
  readonly expose?: readonly string[] | "all";
}

/** A tag's entry in `statuses`: a status, a full rule, or `"unexpected"` (a deliberate generic 500). */
export type StatusEntry = number | ProblemRule | "unexpected";

/** What an unexpected error is reported with, so a log line can carry the id the client saw. */
export interface UnexpectedReport {
  /** What was thrown or returned: the full error, internals included, for the log and never for the client. */
  readonly error: unknown;
  /** The id sent to the client in the problem's `correlationId`, so a support request finds this log line. */
  readonly correlationId: string;
}

/** Options for {@link createProblemMapper}. */
export interface ProblemMapperOptions<Tag extends string> {
  /**
   * An entry per tag. Give the tag union as the type argument (`createProblemMapper<AppError["_tag"]>`) to
   * have a misspelt or missing tag refused at compile time.
   */
  readonly statuses: { readonly [T in Tag]: StatusEntry };
  /** Base URI for problem `type`s, e.g. `"https://errors.example.com/"` (a `/` is added when missing). */
  readonly typeBase?: string;
  /** Called for every unexpected error (a 500), with the correlation id sent to the client. Log it here. */
  readonly onUnexpected?: (report: UnexpectedReport) => void;
  /** Makes a correlation id when the caller gives none; defaults to `crypto.randomUUID()`. */
  readonly correlationId?: () => string;
}

/** Per-request context for a problem. */
export interface ProblemContext {
  /** The `instance` member: usually the request path. */
  readonly instance?: string;
  /** Correlation id to send (and report); one is generated for unexpected errors when absent. */
  readonly correlationId?: string;
}

/**
 * The tags of the error type `E` that a mapper for `Tag` does not map (`never` when all are mapped). A
 * member without a `_tag` counts as unmapped. `UnexpectedError` is always accepted: it is a generic 500.
 */
export type UnmappedTag<E, Tag extends string> = E extends { readonly _tag: infer T extends string }
  ? T extends Tag | "UnexpectedError"
    ? never
    : T
  : "(an error without a _tag)";

/** `unknown` when every tag of `E` is mapped; otherwise a type no error satisfies, naming the unmapped tags. */
export type Mapped<E, Tag extends string> = [UnmappedTag<E, Tag>] extends [never]
  ? unknown
  : { readonly "~unmapped tags": UnmappedTag<E, Tag> };

/** Maps errors to problem details and responses; made once by {@link createProblemMapper}. */
export interface ProblemMapper<Tag extends string = string> {
  /** The problem for an error whose every possible tag is mapped (checked at compile time). */
  toProblem<E>(error: E & Mapped<E, Tag>, context?: ProblemContext): ProblemDetails;
  /** {@link ProblemMapper.toProblem} as an `application/problem+json` response. */
  toResponse<E>(error: E & Mapped<E, Tag>, context?: ProblemContext): Response;
  /** The problem for anything at all (a thrown value): unmapped tags and untagged values are a generic 500. */
  toProblemUnchecked(error: unknown, context?: ProblemContext): ProblemDetails;
  /** {@link ProblemMapper.toProblemUnchecked} as an `application/problem+json` response. */
  toResponseUnchecked(error: unknown, context?: ProblemContext): Response;
}

interface CompiledRule {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly expose: ReadonlySet<string> | "all";
}

// The members a problem defines itself; a field of the same name is never an extension member.
const problemMembers: ReadonlySet<string> = new Set([
  "type",
  "title",
  "status",
  "detail",
  "instance",
  "correlationId",
]);
// Fields every tagged error has that are not data.
const errorMembers: ReadonlySet<string> = new Set(["_tag", "name", "message"]);

// RFC 3986 URI-reference characters (brackets, only valid around an IPv6 host, are left out); anything
// else must be percent-encoded. A relative reference's first segment may not hold a ":".
const uriCharacters = /^(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const isUriReference = (text: string): boolean =>
  uriCharacters.test(text) && (scheme.test(text) || !/^[^/?#]*:/.test(text));
// Problem types are documentation links or names: nothing that runs.
const typeBaseScheme = /^(?:https?:\/\/|urn:|tag:)/i;

const words = (tag: string): string =>
  tag.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
const slug = (tag: string): string =>
  encodeURIComponent(words(tag).trim().replace(/\s+/g, "-").toLowerCase());

function normaliseTypeBase(typeBase: unknown): string {
  if (typeof typeBase !== "string" || !typeBaseScheme.test(typeBase) || !isUriReference(typeBase)) {
    throw new RangeError(
      `createProblemMapper: typeBase must be an http(s), urn: or tag: URI, got "${String(typeBase)}"`,
    );
  }
  return /[/#?=:]$/.test(typeBase) ? typeBase : `${typeBase}/`;
}

function compileExpose(tag: string, expose: unknown): CompiledRule["expose"] {
  if (expose === "all") return "all";
  if (expose === undefined) return new Set();
  if (!Array.isArray(expose)) {
    throw new RangeError(`createProblemMapper: expose for "${tag}" must be a list of field names or "all"`);
  }
  for (const field of expose) {
    if (
      typeof field !== "string" ||
      internalFields.has(field) ||
      problemMembers.has(field) ||
      errorMembers.has(field)
    ) {
      throw new RangeError(`createProblemMapper: "${tag}" cannot expose "${String(field)}"`);
    }
  }
  return new Set(expose);
}

function compile(tag: string, entry: unknown, typeBase: string | undefined): CompiledRule {
  const rule: Partial<ProblemRule> =
    typeof entry === "number" ? { status: entry } : typeof entry === "object" && entry !== null ? entry : {};
  const status = own(rule, "status");
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`createProblemMapper: status for "${tag}" must be an integer from 400 to 599`);
  }
  if (tag === "UnexpectedError") {
    throw new RangeError(
      'createProblemMapper: UnexpectedError is always a generic 500; map it to "unexpected"',
    );
  }
  const type = own(rule, "type");
  if (type !== undefined && (typeof type !== "string" || !isUriReference(type))) {
    throw new RangeError(`createProblemMapper: type for "${tag}" is not a URI reference`);
  }
  let resolvedType = type ?? "about:blank";
  if (type === undefined && typeBase !== undefined) {
    try {
      resolvedType = typeBase + slug(tag);
    } catch {
      throw new RangeError(`createProblemMapper: tag "${tag}" cannot be written in a URI`);
    }
  }
  const phrase = resolvedType === "about:blank" ? statusPhrase(status) : undefined;
  const title = own(rule, "title");
  return {
    status,
    title: typeof title === "string" ? title : (phrase ?? words(tag)),
    type: resolvedType,
    expose: compileExpose(tag, own(rule, "expose")),
  };
}

function extensions(error: object, expose: CompiledRule["expose"]): Record<string, unknown> {
  if (expose !== "all" && expose.size === 0) return {};
  // Only the exposed fields are read and walked: a field that stays private costs nothing.
  const fields = wireFields(error, undefined, expose === "all" ? undefined : expose);
  for (const key of [...problemMembers, ...errorMembers]) delete fields[key];
  return fields;
}

/** The detail of a mapped error: an `Error`'s own message, unless it is just the tag. */
function detailOf(error: object, tag: string): string | undefined {
  let isError: boolean;
  try {
    isError = error instanceof Error; // a proxy's getPrototypeOf trap may throw
  } catch {
    return undefined;
  }
  const message = isError ? readString(error, "message") : undefined;
  return message !== tag ? message : undefined;
}

/** A string member of the caller's context, its own property only. */
function contextString(context: ProblemContext, key: "instance" | "correlationId"): string | undefined {
  const value = own(context, key);
  return typeof value === "string" ? value : undefined;
}

/** The members whose value is defined: optional members are left out, never sent as `null`. */
function present(members: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(members)) if (value !== undefined) defined[key] = value;
  return defined;
}

/**
 * Builds, once at set-up, a mapper from errors to RFC 9457 problems. A mapped tag gets its status, title,
 * type, the message as `detail`, and only the fields its rule exposes. Anything else (a tag marked
 * `"unexpected"`, an unmapped tag, a plain `Error`, a string) becomes a generic 500 with no detail, only a
 * `correlationId` that `onUnexpected` also receives. `toProblem` and `toResponse` refuse at compile time an
 * error type with a tag the table does not list; `toProblemUnchecked` and `toResponseUnchecked` take
 * anything (a thrown value). A bad status, `type` or `typeBase` throws here, at set-up.
 *
 * @example
 * ```ts
 * import { createProblemMapper, TaggedError } from "@keel/result";
 * class NotFound extends TaggedError("NotFound")<{ id: string }> {}
 * class Banned extends TaggedError("Banned") {}
 *
 * const problems = createProblemMapper<"NotFound" | "Banned">({
 *   statuses: { NotFound: { status: 404, expose: ["id"] }, Banned: 403 },
 * });
 * const response = problems.toResponse(new NotFound({ id: "7" }), { instance: "/users/7" });
 * console.assert(response.status === 404);
 * console.assert(response.headers.get("content-type") === "application/problem+json");
 * const body = await response.json();
 * console.assert(body.id === "7" && body.title === "Not Found" && body.type === "about:blank");
 * ```
 */
export function createProblemMapper<const Tag extends string>(
  options: ProblemMapperOptions<Tag>,
): ProblemMapper<Tag> {
  const rawTypeBase = own(options, "typeBase");
  const typeBase = rawTypeBase === undefined ? undefined : normaliseTypeBase(rawTypeBase);
  const rules = new Map<string, CompiledRule | "unexpected">();
  for (const [tag, entry] of Object.entries<StatusEntry>(own(options, "statuses") ?? {})) {
    rules.set(tag, entry === "unexpected" ? entry : compile(tag, entry, typeBase));
  }
  const onUnexpected = own(options, "onUnexpected");
  const makeCorrelationId = own(options, "correlationId");

  function newCorrelationId(): string {
    try {
      const id = makeCorrelationId?.();
      if (typeof id === "string") return id;
    } catch {
      // A failing id maker must not cost the client its answer: fall back to a random id.
    }
    return crypto.randomUUID();
  }

  function unexpected(error: unknown, context: ProblemContext): ProblemDetails {
    const correlationId = contextString(context, "correlationId") ?? newCorrelationId();
    try {
      onUnexpected?.({ error, correlationId });
    } catch {
      // A logger that throws (say, on a bigint it cannot stringify) must not turn the 500 into no answer.
    }
    return {
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      ...present({ instance: contextString(context, "instance") }),
      correlationId,
    };
  }

  function toProblemUnchecked(error: unknown, context: ProblemContext = {}): ProblemDetails {
    const tag = readString(error, "_tag");
    const rule = tag === undefined ? undefined : rules.get(tag);
    if (tag === undefined || rule === undefined || rule === "unexpected") return unexpected(error, context);
    const mapped = error as object;
    return {
      ...extensions(mapped, rule.expose),
      type: rule.type,
      title: rule.title,
      status: rule.status,
      ...present({
        detail: detailOf(mapped, tag),
        instance: contextString(context, "instance"),
        correlationId: contextString(context, "correlationId"),
      }),
    };
  }

  function toResponseUnchecked(error: unknown, context?: ProblemContext): Response {
    const problem = toProblemUnchecked(error, context);
    return new Response(JSON.stringify(problem), {
      status: problem.status,
      headers: { "content-type": "application/problem+json" },
    });
  }

  return {
    toProblem: toProblemUnchecked,
    toResponse: toResponseUnchecked,
    toProblemUnchecked,
    toResponseUnchecked,
  };
}
