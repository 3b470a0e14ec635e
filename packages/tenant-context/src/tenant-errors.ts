/**
 * The expected failures of tenant-scoped code, as tagged errors. None carries the tenant id a request asked
 * for: a problem response built from them never names another tenant.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "./_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ TenantContextMissingBase: TaggedErrorClass<"TenantContextMissing"> =
    /* @__PURE__ */ TaggedError("TenantContextMissing");
const /** @ignore */ TenantMissingBase: TaggedErrorClass<"TenantMissing"> =
    /* @__PURE__ */ TaggedError("TenantMissing");
const /** @ignore */ TenantUnauthenticatedBase: TaggedErrorClass<"TenantUnauthenticated"> =
    /* @__PURE__ */ TaggedError("TenantUnauthenticated");
const /** @ignore */ TenantInvalidBase: TaggedErrorClass<"TenantInvalid"> =
    /* @__PURE__ */ TaggedError("TenantInvalid");
const /** @ignore */ TenantConflictBase: TaggedErrorClass<"TenantConflict"> =
    /* @__PURE__ */ TaggedError("TenantConflict");
const /** @ignore */ TenantNotFoundBase: TaggedErrorClass<"TenantNotFound"> =
    /* @__PURE__ */ TaggedError("TenantNotFound");
const /** @ignore */ TenantSuspendedBase: TaggedErrorClass<"TenantSuspended"> =
    /* @__PURE__ */ TaggedError("TenantSuspended");
const /** @ignore */ CrossTenantAccessBase: TaggedErrorClass<"CrossTenantAccess"> =
    /* @__PURE__ */ TaggedError("CrossTenantAccess");

/**
 * Code that needs a tenant ran outside one.
 *
 * @example
 * ```ts
 * import { TenantContextMissing } from "@keel/tenant-context";
 * console.assert(new TenantContextMissing()._tag === "TenantContextMissing");
 * ```
 */
export class TenantContextMissing extends TenantContextMissingBase {
  constructor() {
    super({ message: "No tenant: this code must run inside a tenant" });
  }
}

/**
 * The request named no tenant in any configured source.
 *
 * @example
 * ```ts
 * import { TenantMissing } from "@keel/tenant-context";
 * console.assert(new TenantMissing()._tag === "TenantMissing");
 * ```
 */
export class TenantMissing extends TenantMissingBase {
  constructor() {
    super({ message: "The request names no tenant" });
  }
}

/**
 * A required source (a verified claim) is missing: the request is not authenticated for any tenant.
 *
 * @example
 * ```ts
 * import { TenantUnauthenticated } from "@keel/tenant-context";
 * console.assert(new TenantUnauthenticated({ source: "claim tid" }).source === "claim tid");
 * ```
 */
export class TenantUnauthenticated extends TenantUnauthenticatedBase<{ readonly source: string }> {
  /**
   * Reports the missing required source; the message names it.
   *
   * @param fields `source`: the missing source's `name` (`"claim tid"`).
   */
  constructor(fields: { source: string }) {
    super({ ...fields, message: `The request has no ${fields.source}` });
  }
}

/**
 * A source gave a tenant id that is not valid (it failed the id schema). The id itself is not kept.
 *
 * @example
 * ```ts
 * import { TenantInvalid } from "@keel/tenant-context";
 * console.assert(new TenantInvalid({ source: "header x-tenant-id" }).source === "header x-tenant-id");
 * ```
 */
export class TenantInvalid extends TenantInvalidBase<{ readonly source: string }> {
  /**
   * Reports an id that failed the id schema; the message names the source, never the id.
   *
   * @param fields `source`: the `name` of the source that gave the id (`"header x-tenant-id"`).
   */
  constructor(fields: { source: string }) {
    super({ ...fields, message: `The tenant id from ${fields.source} is not valid` });
  }
}

/**
 * Two sources named different tenants (the header says A, the token says B): the request is refused.
 *
 * @example
 * ```ts
 * import { TenantConflict } from "@keel/tenant-context";
 * const error = new TenantConflict({ sources: ["header x-tenant-id", "claim tid"] });
 * console.assert(error.sources.length === 2);
 * ```
 */
export class TenantConflict extends TenantConflictBase<{ readonly sources: readonly string[] }> {
  /**
   * Reports sources that disagree; the message names the sources, never the ids they gave.
   *
   * @param fields `sources`: the `name`s of the sources that named different tenants.
   */
  constructor(fields: { sources: readonly string[] }) {
    super({ ...fields, message: `The request names different tenants in ${fields.sources.join(" and ")}` });
  }
}

/**
 * The lookup knows no tenant with this id. Return it from your `lookup`.
 *
 * @example
 * ```ts
 * import { TenantNotFound } from "@keel/tenant-context";
 * console.assert(new TenantNotFound().message === "No such tenant");
 * ```
 */
export class TenantNotFound extends TenantNotFoundBase {
  constructor() {
    super({ message: "No such tenant" });
  }
}

/**
 * The tenant exists but may not be served (suspended, unpaid, deleted). Return it from your `lookup`.
 *
 * @example
 * ```ts
 * import { TenantSuspended } from "@keel/tenant-context";
 * console.assert(new TenantSuspended()._tag === "TenantSuspended");
 * ```
 */
export class TenantSuspended extends TenantSuspendedBase {
  constructor() {
    super({ message: "This tenant is suspended" });
  }
}

/**
 * A record belongs to another tenant than the current one. Neither tenant's id is kept.
 *
 * @example
 * ```ts
 * import { CrossTenantAccess } from "@keel/tenant-context";
 * console.assert(new CrossTenantAccess()._tag === "CrossTenantAccess");
 * ```
 */
export class CrossTenantAccess extends CrossTenantAccessBase {
  constructor() {
    super({ message: "The record belongs to another tenant" });
  }
}

/** Every error a request's tenant resolution can end with. */
export type TenantResolutionError =
  | TenantMissing
  | TenantUnauthenticated
  | TenantInvalid
  | TenantConflict
  | TenantNotFound
  | TenantSuspended;

/**
 * The status of every tenant error, ready to spread into `createProblemMapper`'s `statuses`. A missing or
 * malformed tenant is the client's mistake (400); a missing required claim is 401; disagreeing sources, a
 * suspended tenant or another tenant's record are refused (403); an unknown tenant is 404; `TenantContextMissing` is a
 * bug (a generic 500).
 *
 * @example
 * ```ts
 * import { createProblemMapper } from "@keel/result";
 * import { TenantNotFound, tenantProblemStatuses } from "@keel/tenant-context";
 * const problems = createProblemMapper({ statuses: { ...tenantProblemStatuses } });
 * console.assert(problems.toResponse(new TenantNotFound()).status === 404);
 * ```
 */
export const tenantProblemStatuses: {
  readonly TenantMissing: 400;
  readonly TenantUnauthenticated: 401;
  readonly TenantInvalid: 400;
  readonly TenantConflict: 403;
  readonly TenantNotFound: 404;
  readonly TenantSuspended: 403;
  readonly CrossTenantAccess: 403;
  readonly TenantContextMissing: "unexpected";
} = {
  TenantMissing: 400,
  TenantUnauthenticated: 401,
  TenantInvalid: 400,
  TenantConflict: 403,
  TenantNotFound: 404,
  TenantSuspended: 403,
  CrossTenantAccess: 403,
  TenantContextMissing: "unexpected",
};
