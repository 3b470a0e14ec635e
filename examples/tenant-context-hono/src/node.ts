/** Node entry: `npm start` (PGlite in process unless DATABASE_URL is set). */
import { serve } from "@hono/node-server";
import { createApp, tenants } from "./app.ts";
import { openDatabase } from "./open-database.ts";

const database = openDatabase(tenants, process.env);
await database; // migrated, and row-level security checked, before the first request
const app = createApp(() => database);
const port = Number(process.env.PORT ?? 3000);
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
  console.log(`try: curl -H 'x-tenant-id: acme' http://127.0.0.1:${info.port}/projects`);
});
