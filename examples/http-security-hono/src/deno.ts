/** Deno entry: `npm run start:deno -w examples/http-security-hono` from the repo root (Deno.serve logs the address). */
import app from "./app.ts";

// Just what this file uses, so that type-checking needs no Deno types.
declare const Deno: {
  readonly env: { get(name: string): string | undefined };
  serve(
    options: { port: number; hostname: string },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

Deno.serve({ port: Number(Deno.env.get("PORT") ?? 3000), hostname: "127.0.0.1" }, app.fetch);
