/**
 * Cloudflare Workers / workerd entry. A Worker has no environment at start-up: its variables and secrets
 * arrive as the `env` binding, with each request. `configForBinding` validates a binding object the first
 * time it sees it and caches the config for it. A bad binding throws its ConfigError in the request:
 * `app.onError` answers a generic 500 and logs the error (keys and reasons, no values).
 */
import { configForBinding } from "@keel/secure-config";
import { createApp, spec } from "./app.ts";

export default createApp(configForBinding(spec));
