/** Cloudflare Workers / workerd entry: a module worker is an object with `fetch`, which a Hono app is. */
export { default } from "./app.ts";
