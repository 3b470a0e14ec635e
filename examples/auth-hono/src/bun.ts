/** Bun entry: `npm run start:bun -w examples/auth-hono` from the repo root. Redis through Bun's own client. */
import { createMemoryStore } from "@keel/http-security/rate-limit";
import { type BunRedisLike, bunRedisClient, createRedisStore } from "@keel/http-security/rate-limit/redis";
import { getConnInfo } from "hono/bun";
import { createApp } from "./app.ts";
import { jwtSecretOrDevelopment, trustedProxies } from "./store.ts";

// Just what this file uses, so that type-checking needs no @types/bun.
declare const Bun: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly RedisClient: new (url: string) => BunRedisLike;
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: unknown) => Response | Promise<Response>;
  }): { readonly port: number };
};

const redisUrl = Bun.env.REDIS_URL;
const prefix = Bun.env.RATE_LIMIT_PREFIX;
const app = createApp({
  jwtSecret: jwtSecretOrDevelopment(Bun.env.JWT_SECRET),
  loginStore:
    redisUrl === undefined || redisUrl === ""
      ? createMemoryStore()
      : createRedisStore({
          client: bunRedisClient(new Bun.RedisClient(redisUrl)),
          ...(prefix === undefined ? {} : { prefix }),
        }),
  remoteAddress: (c) => getConnInfo(c).remote.address,
  trustedProxies: trustedProxies(Bun.env.TRUSTED_PROXIES),
  onStoreError: (error) =>
    console.error(JSON.stringify({ level: "error", event: "rate-limit-store", error: String(error) })),
});

const server = Bun.serve({ port: Number(Bun.env.PORT ?? 3000), hostname: "127.0.0.1", fetch: app.fetch });
console.log(`listening on http://127.0.0.1:${server.port}`);
