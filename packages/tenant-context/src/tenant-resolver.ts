/**
 * From a request to its tenant: read every configured source, refuse when they disagree, validate the id,
 * and look the tenant up. Every outcome is a `Result`; hostile input never throws.
 *
 * @module
 */
import { err, fromSchema, ok } from "@keel/result";
import type { Result, ResultAsync, StandardSchemaV1 } from "./_internal/external-types.ts";
import { SharedLoads } from "./_internal/shared-loads.ts";
import { TtlCache } from "./_internal/ttl-cache.ts";
import type { TenantLike } from "./tenant-context.ts";
import {
  TenantConflict,
  TenantInvalid,
  TenantMissing,
  type TenantNotFound,
  type TenantResolutionError,
  type TenantSuspended,
  TenantUnauthenticated,
} from "./tenant-errors.ts";
import type { Claims, TenantSource } from "./tenant-sources.ts";

// Longer than any sane id: refused before the schema sees it.
const MAX_ID_LENGTH = 256;

/** What a lookup may return: a `Result`, a `ResultAsync` or a promise of a `Result`. */
export type LookupResult<Tenant> =
  | Result<Tenant, TenantNotFound | TenantSuspended>
  | ResultAsync<Tenant, TenantNotFound | TenantSuspended>
  | Promise<Result<Tenant, TenantNotFound | TenantSuspended>>;

/** Options for {@link createTenantResolver}. */
export interface TenantResolverOptions<
  Tenant extends TenantLike,
  Id extends StandardSchemaV1<unknown, string>,
> {
  /** Where the request may name its tenant. Every source is read; two that disagree refuse the request. */
  readonly sources: readonly [TenantSource, ...TenantSource[]];
  /** Validates the raw id, e.g. `@keel/brand`'s `TenantId` or a Zod schema. Its output is what `lookup` gets. */
  readonly id: Id;
  /** Finds the tenant: `TenantNotFound` for an unknown id, `TenantSuspended` for one that may not be served. */
  readonly lookup: (id: StandardSchemaV1.InferOutput<Id>) => LookupResult<Tenant>;
  /**
   * Keep found tenants for `ttlMs`, at most `maxEntries` of them (least recently used out first). Only
   * tenants found are kept: unknown ids are looked up every time, so random ids cannot evict real tenants,
   * and a suspension takes effect within `ttlMs`.
   */
  readonly cache?: { readonly ttlMs: number; readonly maxEntries: number; readonly now?: () => number };
}

/** Resolves a request's tenant; made once by {@link createTenantResolver}. */
export type TenantResolver<Tenant> = (
  request: Request,
  claims?: Claims,
) => Promise<Result<Tenant, TenantResolutionError>>;

/**
 * Builds, once, the function that finds a request's tenant. Pass verified token claims when a source reads
 * one. A problem built from its errors never names a tenant (spread `tenantProblemStatuses` into your
 * problem mapper).
 *
 * @example
 * ```ts
 * import { err, ok } from "@keel/result";
 * import { createTenantResolver, claimSource, headerSource, TenantNotFound } from "@keel/tenant-context";
 * import * as z from "zod";
 *
 * const tenants = new Map([["acme", { id: "acme", name: "Acme" }]]);
 * const resolve = createTenantResolver({
 *   sources: [headerSource("x-tenant-id"), claimSource("tid")],
 *   id: z.string().regex(/^[a-z0-9-]{1,63}$/),
 *   lookup: (id) => {
 *     const tenant = tenants.get(id);
 *     return tenant === undefined ? err(new TenantNotFound()) : ok(tenant);
 *   },
 * });
 *
 * const request = new Request("https://api.example.com/", { headers: { "x-tenant-id": "acme" } });
 * const found = await resolve(request, { tid: "acme" });
 * console.assert(found.isOk() && found.value.name === "Acme");
 * const forged = await resolve(request, { tid: "globex" }); // header and token disagree
 * console.assert(forged.isErr() && forged.error._tag === "TenantConflict");
 * ```
 */
export function createTenantResolver<Tenant extends TenantLike, Id extends StandardSchemaV1<unknown, string>>(
  options: TenantResolverOptions<Tenant, Id>,
): TenantResolver<Tenant> {
  const { sources, lookup } = options;
  if (sources.length === 0) throw new TypeError("createTenantResolver: give at least one source");
  const validateId = fromSchema(options.id);
  const cache = options.cache === undefined ? undefined : new TtlCache<Tenant>(options.cache);

  function read(source: TenantSource, request: Request, claims: Claims | undefined): string | undefined {
    try {
      return source.read(request, claims);
    } catch {
      return ""; // claims handed in as a throwing proxy: unusable, so refused below
    }
  }

  function readId(request: Request, claims: Claims | undefined): Result<string, TenantResolutionError> {
    let found: { readonly id: string; readonly source: string } | undefined;
    for (const source of sources) {
      const raw = read(source, request, claims);
      if (raw === undefined) {
        if (source.required === true) return err(new TenantUnauthenticated({ source: source.name }));
        continue;
      }
      const valid = raw === "" || raw.length > MAX_ID_LENGTH ? undefined : validateId(raw);
      if (valid === undefined || valid.isErr()) return err(new TenantInvalid({ source: source.name }));
      // Compared after validation, so "Acme" and "acme" agree when the id schema normalises case.
      if (found !== undefined && found.id !== valid.value) {
        return err(new TenantConflict({ sources: [found.source, source.name] }));
      }
      found ??= { id: valid.value, source: source.name };
    }
    return found === undefined ? err(new TenantMissing()) : ok(found.id);
  }

  // Concurrent requests for one tenant share one lookup; found tenants are kept in the cache, if any.
  const tenants = new SharedLoads<Tenant, TenantNotFound | TenantSuspended>(
    async (id) => await lookup(id as StandardSchemaV1.InferOutput<Id>),
    cache,
  );

  return async (request, claims) => {
    const id = readId(request, claims);
    return id.isErr() ? err(id.error) : tenants.get(id.value);
  };
}
