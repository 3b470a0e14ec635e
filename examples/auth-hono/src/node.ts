/** Node entry: `npm start -w examples/auth-hono` from the repo root (the repo's Node 24 strips the types). */
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "./app.ts";
import { jwtSecretOrDevelopment, loginStore, trustedProxies } from "./store.ts";

const app = createApp({
  jwtSecret: jwtSecretOrDevelopment(process.env.JWT_SECRET),
  loginStore: loginStore(process.env.REDIS_URL, process.env.RATE_LIMIT_PREFIX),
  remoteAddress: (c) => getConnInfo(c).remote.address,
  trustedProxies: trustedProxies(process.env.TRUSTED_PROXIES),
  onStoreError: (error) =>
    console.error(JSON.stringify({ level: "error", event: "rate-limit-store", error: String(error) })),
});
const port = Number(process.env.PORT ?? 3000);

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
