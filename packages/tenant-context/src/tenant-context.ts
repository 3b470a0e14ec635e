/**
 * The current tenant, carried through async code by `AsyncLocalStorage` (`node:async_hooks`: Node, Deno,
 * Bun, and Workers with the `nodejs_als` flag). Only `run` ever sets it; `enterWith` is never used, so a
 * tenant cannot leak past the function it was set for.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { err, ok } from "@keel/result";
import type { Result } from "./_internal/external-types.ts";
import { CrossTenantAccess, TenantContextMissing } from "./tenant-errors.ts";

/** What a tenant must have: a stable string id. Any other fields are yours. */
export interface TenantLike {
  /** The tenant's id: what policies, keys and log lines carry, so it must not change over its life. */
  readonly id: string;
}

/** Options for {@link TenantContext.run}. */
export interface RunOptions {
  /** The request id to carry with the tenant, for {@link TenantContext.logFields}. */
  readonly requestId?: string;
  /**
   * Allow `run` inside another tenant's run. Off by default: switching tenants mid-request is almost
   * always a bug (a job for tenant B started from tenant A's request), so it throws unless said here.
   */
  readonly allowSwitch?: boolean;
}

/** The tenant context of a service: one per service, made once by {@link createTenantContext}. */
export interface TenantContext<Tenant extends TenantLike> {
  /**
   * Runs `fn` inside `tenant`: every `current()` in `fn` and in what it starts (awaits, timers, microtasks,
   * promise combinators) sees it. Running inside the same tenant again is fine; inside another tenant it
   * throws a `TypeError` unless `allowSwitch` is set.
   */
  // A property, not a method: method parameters are checked bivariantly, which would let a context of a
  // richer tenant type accept a narrower tenant.
  readonly run: <R>(tenant: Tenant, fn: () => R, options?: RunOptions) => R;
  /** The current tenant, or `TenantContextMissing` outside a run. */
  current(): Result<Tenant, TenantContextMissing>;
  /** The current tenant; throws `TenantContextMissing` outside a run. For code where running without one is a bug. */
  currentOrThrow(): Tenant;
  /**
   * Binds `fn` to the tenant current now (or to no tenant, outside a run), so it runs inside it whenever it
   * is called: for callbacks that a library calls later from elsewhere (an `EventEmitter` listener, a
   * stream's `pull`).
   */
  bind<Args extends unknown[], R>(fn: (...args: Args) => R): (...args: Args) => R;
  /**
   * `record` when its tenant is the current one; otherwise `CrossTenantAccess` (or `TenantContextMissing` outside a
   * run). `tenantIdOf` reads the record's tenant id; by default its own `tenantId` field.
   */
  ensureOwned<R>(
    record: R,
    tenantIdOf?: (record: R) => unknown,
  ): Result<R, CrossTenantAccess | TenantContextMissing>;
  /**
   * A key scoped to the current tenant, for caches, rate limits and object storage: `t:<id>:<part>:...`,
   * with `%` and `:` percent-encoded in each part, so that no two tenants' keys can collide. Throws
   * `TenantContextMissing` outside a run.
   */
  tenantKey(...parts: readonly (string | number)[]): string;
  /**
   * The fields a log line needs: `{ tenantId, requestId }` inside a run (the request id when the run has
   * one), `{}` outside. One call, for any logger.
   */
  logFields(): LogFields;
}

/** What {@link TenantContext.logFields} gives. */
export interface LogFields {
  /** The current tenant's id; absent outside a run. */
  readonly tenantId?: string;
  /** The run's request id; absent outside a run, or when the run was given none. */
  readonly requestId?: string;
}

interface Store<Tenant> {
  readonly tenant: Tenant;
  readonly requestId: string | undefined;
  /** `ok(tenant)`, made once per run: `current()` is read far more often than `run` is called. */
  readonly current: Result<Tenant, never>;
}

// Only the separator and the escape character are escaped: injective for any string (lone surrogates
// included, which encodeURIComponent throws on), so no two (tenant, parts) lists share a key.
const escapePart = (part: string): string => part.replaceAll("%", "%25").replaceAll(":", "%3A");

// An own `tenantId` only: a polluted Object.prototype must not give every record a tenant.
const defaultTenantIdOf = (record: unknown): unknown =>
  typeof record === "object" && record !== null && Object.hasOwn(record, "tenantId")
    ? (record as { tenantId?: unknown }).tenantId
    : undefined;

/**
 * Makes the tenant context of a service. Make it once, at module level, and share it: every `run` and
 * `current()` of one service must use the same context.
 *
 * @example
 * ```ts
 * import { createTenantContext } from "@keel/tenant-context";
 *
 * const tenants = createTenantContext<{ id: string; plan: "free" | "pro" }>();
 * const plan = await tenants.run({ id: "acme", plan: "pro" }, async () => {
 *   await new Promise((resolve) => setTimeout(resolve, 1));
 *   return tenants.currentOrThrow().plan; // still acme after an await and a timer
 * });
 * console.assert(plan === "pro");
 * console.assert(tenants.current().isErr()); // outside the run: TenantContextMissing
 * ```
 */
export function createTenantContext<Tenant extends TenantLike>(): TenantContext<Tenant> {
  const storage = new AsyncLocalStorage<Store<Tenant> | undefined>();

  function current(): Result<Tenant, TenantContextMissing> {
    const store = storage.getStore();
    return store === undefined ? err(new TenantContextMissing()) : store.current;
  }

  function currentOrThrow(): Tenant {
    const store = storage.getStore();
    if (store === undefined) throw new TenantContextMissing();
    return store.tenant;
  }

  return {
    run(tenant, fn, options = {}) {
      const outer = storage.getStore();
      const allowSwitch = Object.hasOwn(options, "allowSwitch") && options.allowSwitch === true;
      if (outer !== undefined && outer.tenant.id !== tenant.id && !allowSwitch) {
        throw new TypeError(
          "tenant-context: run() inside another tenant's run; pass { allowSwitch: true } if that is intended",
        );
      }
      const requestId = Object.hasOwn(options, "requestId") ? options.requestId : outer?.requestId;
      return storage.run({ tenant, requestId, current: ok(tenant) }, fn);
    },
    current,
    currentOrThrow,
    bind(fn) {
      // Outside a run, bound to "no tenant": called later inside one, it still sees none.
      const store = storage.getStore();
      return (...args) => storage.run(store, () => fn(...args));
    },
    ensureOwned(record, tenantIdOf = defaultTenantIdOf) {
      const store = storage.getStore();
      if (store === undefined) return err(new TenantContextMissing());
      return tenantIdOf(record) === store.tenant.id ? ok(record) : err(new CrossTenantAccess());
    },
    logFields() {
      const store = storage.getStore();
      if (store === undefined) return {};
      return store.requestId === undefined
        ? { tenantId: store.tenant.id }
        : { tenantId: store.tenant.id, requestId: store.requestId };
    },
    tenantKey(...parts) {
      let key = `t:${escapePart(currentOrThrow().id)}`;
      for (const part of parts) key += `:${escapePart(String(part))}`;
      return key;
    },
  };
}
