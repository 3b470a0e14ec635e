/**
 * @module
 * Tagged errors to RFC 9457 problem details (`application/problem+json`), with a per-tag status table.
 */
import { defineField, errorFields, isTagged } from "./tagged-error.ts";

/** An RFC 9457 problem details object. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

/** How one tag becomes a problem. */
export interface ProblemRule {
  readonly status: number;
  /** Defaults to the tag split into words ("NotFound" -> "Not Found"). */
  readonly title?: string;
  /** Defaults to `typeBase` + the tag in kebab case, or `about:blank` without a `typeBase`. */
  readonly type?: string;
  /**
   * Which of the error's fields become extension members: all (`true`, the default), none (`false`), or
   * the listed ones. The error's `message` is the `detail` unless it is just the tag.
   */
  readonly expose?: boolean | readonly string[];
}

/** What an unmapped error is reported with, so a log line can carry the id the client saw. */
export interface UnexpectedReport {
  readonly error: unknown;
  readonly correlationId: string;
}

/** Options for {@link createProblemMapper}. */
export interface ProblemMapperOptions<Tag extends string> {
  /** A status (or a full rule) per tag. Tags not listed, and untagged errors, become a generic 500. */
  readonly statuses: { readonly [T in Tag]: number | ProblemRule };
  /** Base URI for problem `type`s, e.g. `"https://errors.example.com/"`. */
  readonly typeBase?: string;
  /** Called for every unmapped error (a 500), with the correlation id sent to the client. Log it here. */
  readonly onUnexpected?: (report: UnexpectedReport) => void;
  /** Makes a correlation id when the caller gives none; defaults to `crypto.randomUUID()`. */
  readonly correlationId?: () => string;
}

/** Per-request context for a problem. */
export interface ProblemContext {
  /** The `instance` member: usually the request path. */
  readonly instance?: string;
  /** Correlation id to send (and report); one is generated for unmapped errors when absent. */
  readonly correlationId?: string;
}

/** Maps errors to problem details and responses; made once by {@link createProblemMapper}. */
export interface ProblemMapper {
  toProblem(error: unknown, context?: ProblemContext): ProblemDetails;
  toResponse(error: unknown, context?: ProblemContext): Response;
}

interface CompiledRule {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly expose: boolean | ReadonlySet<string>;
}

// Never extension members: the standard members, and the fields Keel errors use to carry internals
// (ValidationError's opt-in `input`, CleanupError's `primary`), which must not reach a client.
const reservedMembers: ReadonlySet<string> = new Set([
  "type",
  "title",
  "status",
  "detail",
  "instance",
  "input",
  "primary",
]);

const humanise = (tag: string): string => tag.replace(/([a-z0-9])([A-Z])/g, "$1 $2");
const kebab = (tag: string): string => tag.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

function compile(tag: string, rule: number | ProblemRule, typeBase: string | undefined): CompiledRule {
  const { status, title, type, expose = true } = typeof rule === "number" ? { status: rule } : rule;
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`createProblemMapper: status for "${tag}" must be an integer from 400 to 599`);
  }
  return {
    status,
    title: title ?? humanise(tag),
    type: type ?? (typeBase === undefined ? "about:blank" : typeBase + kebab(tag)),
    expose: typeof expose === "boolean" ? expose : new Set(expose),
  };
}

function extensions(error: object, expose: CompiledRule["expose"]): Record<string, unknown> {
  if (expose === false) return {};
  const members: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(errorFields(error as { _tag: string }))) {
    if (reservedMembers.has(key) || (expose !== true && !expose.has(key))) continue;
    defineField(members, key, value);
  }
  return members;
}

/** The members whose value is defined: optional members are left out, never sent as `null`. */
function present(members: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(members)) if (value !== undefined) defined[key] = value;
  return defined;
}

/**
 * Builds, once at set-up, a mapper from errors to RFC 9457 problems. Mapped tags get their status, title,
 * type, the message as `detail` and their fields as extension members. Anything else (an unmapped tag, a
 * plain `Error`, a string) becomes a generic 500 with no detail at all, only a `correlationId` that
 * `onUnexpected` also receives.
 *
 * @example
 * ```ts
 * import { createProblemMapper, TaggedError } from "@keel/result";
 * class NotFound extends TaggedError("NotFound")<{ id: string }> {}
 *
 * const problems = createProblemMapper({ statuses: { NotFound: 404 } });
 * const response = problems.toResponse(new NotFound({ id: "7" }), { instance: "/users/7" });
 * console.assert(response.status === 404);
 * console.assert(response.headers.get("content-type") === "application/problem+json");
 * console.assert((await response.json()).id === "7");
 * ```
 */
export function createProblemMapper<Tag extends string>(options: ProblemMapperOptions<Tag>): ProblemMapper {
  const rules = new Map<string, CompiledRule>();
  for (const [tag, rule] of Object.entries<number | ProblemRule>(options.statuses)) {
    rules.set(tag, compile(tag, rule, options.typeBase));
  }
  const newCorrelationId = options.correlationId ?? (() => crypto.randomUUID());

  function toProblem(error: unknown, context: ProblemContext = {}): ProblemDetails {
    const rule = isTagged(error) ? rules.get(error._tag) : undefined;
    if (rule === undefined || !isTagged(error)) {
      const correlationId = context.correlationId ?? newCorrelationId();
      options.onUnexpected?.({ error, correlationId });
      return {
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        ...present({ instance: context.instance }),
        correlationId,
      };
    }
    const message = (error as { message?: unknown }).message;
    return {
      ...extensions(error, rule.expose),
      type: rule.type,
      title: rule.title,
      status: rule.status,
      ...present({
        detail: typeof message === "string" && message !== error._tag ? message : undefined,
        instance: context.instance,
        correlationId: context.correlationId,
      }),
    };
  }

  return {
    toProblem,
    toResponse(error, context) {
      const problem = toProblem(error, context);
      return new Response(JSON.stringify(problem), {
        status: problem.status,
        headers: { "content-type": "application/problem+json" },
      });
    },
  };
}
