import { err, ok } from "@keel/result";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  claimSource,
  createTenantResolver,
  headerSource,
  pathPrefixSource,
  subdomainSource,
  TenantConflict,
  TenantInvalid,
  TenantMissing,
  TenantNotFound,
  TenantSuspended,
  TenantUnauthenticated,
} from "../src/index.ts";

interface Tenant {
  readonly id: string;
  readonly status: "active" | "suspended";
}
const known = new Map<string, Tenant>([
  ["acme", { id: "acme", status: "active" }],
  ["globex", { id: "globex", status: "active" }],
  ["initech", { id: "initech", status: "suspended" }],
]);
let lookups = 0;
const lookup = async (id: string) => {
  lookups++;
  const tenant = known.get(id);
  if (tenant === undefined) return err(new TenantNotFound());
  return tenant.status === "suspended" ? err(new TenantSuspended()) : ok(tenant);
};
// Lower-cases, so "ACME" from a header and "acme" from a token agree.
const TenantId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,63}$/)
  .toLowerCase();

const resolve = createTenantResolver({
  sources: [headerSource("x-tenant-id"), subdomainSource({ baseDomain: "example.com" }), claimSource("tid")],
  id: TenantId,
  lookup,
});
const request = (host: string, tenantHeader?: string) =>
  new Request(
    `https://${host}/`,
    tenantHeader === undefined ? {} : { headers: { "x-tenant-id": tenantHeader } },
  );

describe("createTenantResolver()", () => {
  it("finds the tenant from any one source", async () => {
    expect((await resolve(request("api.test", "acme")))._unsafeUnwrap().id).toBe("acme");
    expect((await resolve(request("globex.example.com")))._unsafeUnwrap().id).toBe("globex");
    expect((await resolve(request("api.test"), { tid: "acme" }))._unsafeUnwrap().id).toBe("acme");
  });

  it("accepts sources that agree after the id schema normalises them", async () => {
    expect((await resolve(request("acme.example.com", "ACME"), { tid: "acme" })).isOk()).toBe(true);
  });

  it("refuses a request whose sources disagree (header says A, token says B)", async () => {
    const forged = await resolve(request("api.test", "globex"), { tid: "acme" });
    const error = forged._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(TenantConflict);
    expect((error as TenantConflict).sources).toEqual(["header x-tenant-id", "claim tid"]);
    expect(JSON.stringify(error)).not.toMatch(/acme|globex/);
    expect((await resolve(request("globex.example.com", "acme"))).isErr()).toBe(true);
  });

  it("answers a missing, an invalid, an unknown and a suspended tenant with their own errors", async () => {
    expect((await resolve(request("api.test")))._unsafeUnwrapErr()).toBeInstanceOf(TenantMissing);
    const invalid = (await resolve(request("api.test", "acme; drop table")))._unsafeUnwrapErr();
    expect(invalid).toBeInstanceOf(TenantInvalid);
    expect(JSON.stringify(invalid) + invalid.message).not.toContain("drop table");
    expect((await resolve(request("api.test", "nobody")))._unsafeUnwrapErr()).toBeInstanceOf(TenantNotFound);
    expect((await resolve(request("api.test", "initech")))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantSuspended,
    );
  });

  it("caches found tenants for ttlMs, never unknown ones, and keeps at most maxEntries", async () => {
    let now = 0;
    const cached = createTenantResolver({
      sources: [headerSource("x-tenant-id")],
      id: TenantId,
      lookup,
      cache: { ttlMs: 1000, maxEntries: 1, now: () => now },
    });
    lookups = 0;
    await cached(request("api.test", "acme"));
    await cached(request("api.test", "acme"));
    expect(lookups).toBe(1);
    await cached(request("api.test", "nobody"));
    await cached(request("api.test", "nobody"));
    expect(lookups).toBe(3);
    await cached(request("api.test", "globex")); // evicts acme: one entry at most
    await cached(request("api.test", "acme"));
    expect(lookups).toBe(5);
    now = 1001; // acme expired
    await cached(request("api.test", "acme"));
    expect(lookups).toBe(6);
  });

  it("refuses a bad cache option and an empty source list at set-up", () => {
    for (const cache of [
      { ttlMs: 0, maxEntries: 1 },
      { ttlMs: 1, maxEntries: 0 },
      { ttlMs: Infinity, maxEntries: 1 },
    ]) {
      expect(() =>
        createTenantResolver({ sources: [headerSource("x")], id: TenantId, lookup, cache }),
      ).toThrow(RangeError);
    }
    expect(() =>
      createTenantResolver({
        sources: [] as unknown as [ReturnType<typeof headerSource>],
        id: TenantId,
        lookup,
      }),
    ).toThrow(TypeError);
  });

  it("gives a tenant or a tagged error for any header, host, path and claim, never a throw (fast-check)", {
    timeout: 60_000,
  }, async () => {
    const everySource = createTenantResolver({
      sources: [
        headerSource("x-tenant-id"),
        subdomainSource({ baseDomain: "example.com" }),
        pathPrefixSource({ prefix: "/t/" }),
        claimSource("tid"),
      ],
      id: TenantId,
      lookup,
    });
    const label = fc.oneof(
      fc.constantFrom("acme", "globex", "initech", "ACME", ""),
      fc.string({ maxLength: 70 }),
    );
    const printable = (value: string) => /^[\t\x20-\x7e]*$/.test(value);
    await fc.assert(
      fc.asyncProperty(
        label.filter(printable),
        label.map((value) => value.replace(/[^a-z0-9-]/gi, "")),
        label.map((value) => encodeURIComponent(value)),
        fc.oneof(label, fc.anything()),
        async (header, subdomain, segment, claim) => {
          const host = subdomain === "" ? "example.com" : `${subdomain}.example.com`;
          const url = `https://${host}/t/${segment}/x`;
          let request: Request;
          try {
            request = new Request(url, { headers: { "x-tenant-id": header } });
          } catch {
            return; // not a URL a client can send
          }
          const outcome = await everySource(request, { tid: claim });
          if (outcome.isOk()) expect(known.get(outcome.value.id)?.status).toBe("active");
          else expect(typeof outcome.error._tag).toBe("string");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses a claim that is there but unusable, and a header that is empty or oversized, as TenantInvalid", async () => {
    for (const claims of [{ tid: 42 }, { tid: ["acme"] }, { tid: "" }, { tid: "a".repeat(300) }]) {
      const outcome = await resolve(request("api.test", "globex"), claims);
      expect(outcome._unsafeUnwrapErr()).toBeInstanceOf(TenantInvalid);
    }
    expect((await resolve(request("api.test", "")))._unsafeUnwrapErr()).toBeInstanceOf(TenantInvalid);
    expect((await resolve(request("api.test", "a".repeat(300))))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantInvalid,
    );
  });

  it("answers TenantUnauthenticated when a required claim is missing, whatever the header says", async () => {
    const strict = createTenantResolver({
      sources: [headerSource("x-tenant-id"), claimSource("tid", { required: true })],
      id: TenantId,
      lookup,
    });
    expect((await strict(request("api.test", "globex")))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantUnauthenticated,
    );
    expect((await strict(request("api.test", "globex"), { sub: "u1" }))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantUnauthenticated,
    );
    expect((await strict(request("api.test", "acme"), { tid: "acme" })).isOk()).toBe(true);
  });

  it("never throws on claims handed in as a throwing proxy", async () => {
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor: () => {
          throw new Error("trap");
        },
      },
    );
    expect((await resolve(request("api.test", "acme"), hostile))._unsafeUnwrapErr()).toBeInstanceOf(
      TenantInvalid,
    );
  });

  it("shares one lookup between concurrent requests for one tenant", async () => {
    lookups = 0;
    const shared = createTenantResolver({ sources: [headerSource("x-tenant-id")], id: TenantId, lookup });
    await Promise.all(Array.from({ length: 20 }, () => shared(request("api.test", "acme"))));
    expect(lookups).toBe(1);
  });
});
