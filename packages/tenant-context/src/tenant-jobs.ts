/**
 * Background work for a tenant: the producer puts the current tenant into the job, and the consumer looks
 * the tenant up again and runs the handler inside it, so the job's code sees `current()` as a request does.
 *
 * @module
 */
import { err, fromSchema, ok, TaggedError } from "@keel/result";
import type { Result, StandardSchemaV1, TaggedErrorClass } from "./_internal/external-types.ts";
import type { TenantContext, TenantLike } from "./tenant-context.ts";
import type { TenantNotFound, TenantSuspended } from "./tenant-errors.ts";
import type { LookupResult } from "./tenant-resolver.ts";

/** A job's payload: the tenant it runs for, and its data. Plain JSON, for any queue. */
export interface TenantJob<Data> {
  /** The id of the tenant the job runs for: the consumer looks the tenant up again by it. */
  readonly tenantId: string;
  /** The job's own data, as given to {@link tenantJob}. */
  readonly data: Data;
}

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ TenantJobInvalidBase: TaggedErrorClass<"TenantJobInvalid"> =
    /* @__PURE__ */ TaggedError("TenantJobInvalid");

/**
 * A job payload without a tenant id (not made by {@link tenantJob}), or whose data fails the handler's
 * schema.
 *
 * @example
 * ```ts
 * import { TenantJobInvalid } from "@keel/tenant-context";
 * console.assert(new TenantJobInvalid()._tag === "TenantJobInvalid");
 * ```
 */
export class TenantJobInvalid extends TenantJobInvalidBase {
  constructor() {
    super({ message: "The job names no tenant, or its data is not valid" });
  }
}

/**
 * The payload of a job for the current tenant. Throws `TenantContextMissing` outside a tenant: a job must belong to one.
 *
 * @example
 * ```ts
 * import { createTenantContext, tenantJob } from "@keel/tenant-context";
 * const tenants = createTenantContext<{ id: string }>();
 * const job = tenants.run({ id: "acme" }, () => tenantJob(tenants, { invoiceId: 7 }));
 * console.assert(job.tenantId === "acme" && job.data.invoiceId === 7);
 * ```
 */
export function tenantJob<Data>(
  context: Pick<TenantContext<TenantLike>, "currentOrThrow">,
  data: Data,
): TenantJob<Data> {
  return { tenantId: context.currentOrThrow().id, data };
}

/** Options for {@link createTenantJobHandler}. */
export interface TenantJobHandlerOptions<Tenant extends TenantLike, Data, R> {
  /** Validates the job's data before `handle` sees it (a queue delivers whatever was put in it). */
  readonly data?: StandardSchemaV1<unknown, Data>;
  /** The service's tenant context: the handler runs inside the job's tenant. */
  readonly context: TenantContext<Tenant>;
  /** Looks the tenant up again (it may have been suspended since the job was queued). */
  readonly lookup: (tenantId: string) => LookupResult<Tenant>;
  /** The job's work, run inside its tenant. */
  readonly handle: (data: Data, tenant: Tenant) => R | Promise<R>;
}

/**
 * Makes the consumer side: give it a job's payload (e.g. BullMQ's `job.data`); it checks the payload, looks
 * the tenant up, and runs `handle` inside the tenant. An unknown or suspended tenant is an `err`, and the
 * handler does not run.
 *
 * @example
 * ```ts
 * import { ok } from "@keel/result";
 * import { createTenantContext, createTenantJobHandler, tenantJob } from "@keel/tenant-context";
 *
 * const tenants = createTenantContext<{ id: string }>();
 * const handle = createTenantJobHandler({
 *   context: tenants,
 *   lookup: (id) => ok({ id }),
 *   handle: (data: { invoiceId: number }) => `${tenants.currentOrThrow().id}:${data.invoiceId}`,
 * });
 * const job = tenants.run({ id: "acme" }, () => tenantJob(tenants, { invoiceId: 7 }));
 * const done = await handle(JSON.parse(JSON.stringify(job))); // as a queue delivers it
 * console.assert(done.isOk() && done.value === "acme:7");
 * ```
 */
export function createTenantJobHandler<Tenant extends TenantLike, Data, R>(
  options: TenantJobHandlerOptions<Tenant, Data, R>,
): (payload: unknown) => Promise<Result<R, TenantJobInvalid | TenantNotFound | TenantSuspended>> {
  const { context, lookup, handle } = options;
  const validateData = options.data === undefined ? undefined : fromSchema(options.data);
  return async (payload) => {
    if (typeof payload !== "object" || payload === null) return err(new TenantJobInvalid());
    // Each field read once: a getter must not answer the check one thing and the lookup another.
    const { tenantId, data } = payload as Partial<TenantJob<unknown>>;
    if (typeof tenantId !== "string" || tenantId === "") return err(new TenantJobInvalid());
    const checked = validateData === undefined ? ok(data as Data) : validateData(data);
    if (checked.isErr()) return err(new TenantJobInvalid());
    const tenant = await lookup(tenantId);
    if (tenant.isErr()) return err(tenant.error);
    return ok(await context.run(tenant.value, () => handle(checked.value, tenant.value)));
  };
}
