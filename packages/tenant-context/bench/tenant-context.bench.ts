// @keel/tenant-context against what a user would otherwise write, same process. See scripts/lib/bench.ts.
import { AsyncLocalStorage } from "node:async_hooks";
import { err, ok } from "@keel/result";
import {
  createTenantContext,
  createTenantResolver,
  headerSource,
  TenantNotFound,
} from "@keel/tenant-context";
import { tenant } from "@keel/tenant-context/hono";
import { Hono } from "hono";
import { contextStorage, getContext } from "hono/context-storage";
import * as z from "zod";
import { compare } from "../../../scripts/lib/bench.ts";

interface Tenant {
  readonly id: string;
}
const known = new Map<string, Tenant>([["acme", { id: "acme" }]]);

const tenants = createTenantContext<Tenant>();
const resolve = createTenantResolver({
  sources: [headerSource("x-tenant-id")],
  id: z.string().regex(/^[a-z0-9-]{1,63}$/),
  lookup: (id) => {
    const tenant = known.get(id);
    return tenant === undefined ? err(new TenantNotFound()) : ok(tenant);
  },
  cache: { ttlMs: 60_000, maxEntries: 1000 },
});

const bare = new Hono().get("/", (c) => c.json({ tenant: c.req.header("x-tenant-id") ?? "" }));
const keel = new Hono()
  .use(tenant({ context: tenants, resolve }))
  .get("/", (c) => c.json({ tenant: tenants.currentOrThrow().id }));
// Hono's own: one untyped context in AsyncLocalStorage, the tenant read from the header by hand.
const honoStorage = new Hono<{ Variables: { tenant: string } }>()
  .use(contextStorage())
  .use(async (c, next) => {
    c.set("tenant", c.req.header("x-tenant-id") ?? "");
    await next();
  })
  .get("/", (c) => c.json({ tenant: getContext<{ Variables: { tenant: string } }>().var.tenant }));

const request = () => new Request("http://api.test/", { headers: { "x-tenant-id": "acme" } });

compare({
  name: "request through the tenant middleware (header, cached lookup)",
  anchor: { label: "bare Hono app", run: () => bare.request(request()) },
  keel: { label: "tenant()", run: () => keel.request(request()) },
});

compare({
  name: "request with the tenant in AsyncLocalStorage",
  anchor: { label: "hono/context-storage", run: () => honoStorage.request(request()) },
  keel: { label: "tenant()", run: () => keel.request(request()) },
});

const raw = new AsyncLocalStorage<Tenant>();
const acme: Tenant = { id: "acme" };
const readRaw = () => raw.getStore();
const readKeel = () => tenants.current();
compare({
  name: "read the current tenant",
  anchor: { label: "AsyncLocalStorage#getStore()", run: () => raw.run(acme, readRaw) },
  keel: { label: "current()", run: () => tenants.run(acme, readKeel) },
});
