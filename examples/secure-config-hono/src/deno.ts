/**
 * Deno entry: `deno run --env-file=.env -A src/deno.ts` (Deno.serve logs the address it listens on). Instead
 * of `-A`: `--allow-net=127.0.0.1 --allow-env=PORT,DATABASE_URL,JWT_SECRET,API_KEY,LOG_LEVEL,NODE_ENV`.
 */
import { ok } from "@keel/result";
import { loadConfigOrThrow } from "@keel/secure-config";
import { createApp, spec } from "./app.ts";

// Just what this file uses, so that type-checking needs no Deno types.
declare const Deno: {
  serve(
    options: { port: number; hostname: string },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

// From Deno.env, key by key, before the port opens. A bad environment throws one ConfigError naming every
// bad key (never a value); uncaught, it ends the process with a non-zero exit code.
const config = loadConfigOrThrow(spec);

Deno.serve({ port: config.PORT, hostname: "127.0.0.1" }, createApp(() => ok(config)).fetch);
