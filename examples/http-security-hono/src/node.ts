/** Node entry: `npm start -w examples/http-security-hono` from the repo root (the repo's Node 24 strips the types). */
import { serve } from "@hono/node-server";
import app from "./app.ts";

const port = Number(process.env.PORT ?? 3000);

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
