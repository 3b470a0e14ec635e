/** Deno entry: `npm run start:deno -w examples/auth-hono` from the repo root (Deno.serve logs the address). */
import { getConnInfo } from "hono/deno";
import { createApp } from "./app.ts";
import { jwtSecretOrDevelopment, loginStore, trustedProxies } from "./store.ts";

// Just what this file uses, so that type-checking needs no Deno types.
declare const Deno: {
  readonly env: { get(name: string): string | undefined };
  serve(
    options: { port: number; hostname: string },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): unknown;
};

const app = createApp({
  jwtSecret: jwtSecretOrDevelopment(Deno.env.get("JWT_SECRET")),
  loginStore: loginStore(Deno.env.get("REDIS_URL"), Deno.env.get("RATE_LIMIT_PREFIX")),
  remoteAddress: (c) => getConnInfo(c).remote.address,
  trustedProxies: trustedProxies(Deno.env.get("TRUSTED_PROXIES")),
  onStoreError: (error) =>
    console.error(JSON.stringify({ level: "error", event: "rate-limit-store", error: String(error) })),
});

Deno.serve({ port: Number(Deno.env.get("PORT") ?? 3000), hostname: "127.0.0.1" }, app.fetch);
