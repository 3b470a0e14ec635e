/** Bun entry: `bun src/bun.ts` (Bun loads `.env` from the working directory by itself). */
import { ok } from "@keel/result";
import { loadConfigOrThrow } from "@keel/secure-config";
import { createApp, spec } from "./app.ts";

// Just what this file uses, so that type-checking needs no @types/bun.
declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): {
    readonly port: number;
  };
};

// From Bun.env, before the port opens. A bad environment throws one ConfigError naming every bad key
// (never a value); uncaught, it ends the process with a non-zero exit code: the deploy fails, not a request.
const config = loadConfigOrThrow(spec);

const server = Bun.serve({
  port: config.PORT,
  hostname: "127.0.0.1",
  fetch: createApp(() => ok(config)).fetch,
});
console.log(`listening on http://127.0.0.1:${server.port}`);
