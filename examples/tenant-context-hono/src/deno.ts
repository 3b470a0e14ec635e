/** Deno entry: `npm run start:deno`. */
import { createApp, tenants } from "./app.ts";
import { openDatabase } from "./open-database.ts";

// Just what this file uses, so that type-checking needs no Deno types.
declare const Deno: {
  readonly env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; hostname: string },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

const env = Deno.env.toObject();
const database = openDatabase(tenants, env);
await database; // migrated, and row-level security checked, before the first request
const app = createApp(() => database);
Deno.serve({ port: Number(env.PORT ?? 3000), hostname: "127.0.0.1" }, app.fetch);
