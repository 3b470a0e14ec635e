/** Node entry: `node --env-file=.env src/node.ts` (Node >= 22.18 runs the TypeScript by type stripping). */
import { serve } from "@hono/node-server";
import { ok } from "@keel/result";
import { loadConfigOrThrow } from "@keel/secure-config";
import { createApp, spec } from "./app.ts";

// From process.env, before the port opens. A bad environment throws one ConfigError naming every bad key
// (never a value); uncaught, it ends the process with a non-zero exit code: the deploy fails, not a request.
const config = loadConfigOrThrow(spec);

serve({ fetch: createApp(() => ok(config)).fetch, port: config.PORT, hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
