/**
 * Cloudflare Workers / workerd entry. A Worker has no environment at start-up: its variables and secrets
 * arrive as the `env` binding, with each request. `createConfigLoader` validates a binding object the first
 * time it sees it and caches the Result for it. A bad binding is an Err, thrown in the request:
 * `app.onError` answers a generic 500 and logs the error (keys and reasons, no values).
 */
import { createConfigLoader } from "@keel/secure-config";
import { createApp, spec } from "./app.ts";

export default createApp(createConfigLoader(spec));
