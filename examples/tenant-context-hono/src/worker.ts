/**
 * Cloudflare Workers / workerd entry. Needs `DATABASE_URL` (PGlite cannot run on Workers, which refuse to
 * compile WebAssembly at run time) and the `nodejs_compat` flag (postgres.js uses Node's Buffer beside Workers' TCP sockets). The database is opened
 * on the first request that needs it, since a Worker only gets its `env` with a request.
 */
import { createApp, tenants } from "./app.ts";
import { type Database, openPostgres } from "./database.ts";

interface Env {
  readonly DATABASE_URL?: string;
  readonly DB_SCHEMA?: string;
}

// Kept once opened. Not a shared promise: a Worker may not settle, in one request, a promise made by
// another, so each request awaits its own (the first ones run the idempotent migration).
let database: Database | undefined;
// A Worker's env is the same for every request; it only arrives with one.
let currentEnv: Env = {};

const app = createApp(async () => {
  database ??= await openPostgres(tenants, currentEnv, { perRequest: true });
  return database;
});

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    currentEnv = env;
    return app.fetch(request);
  },
};
