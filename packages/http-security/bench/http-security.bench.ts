// @keel/http-security's Hono middleware against Hono's own, in the same process, through app.request(). See
// scripts/lib/bench.ts.
import { cors, crossOriginProtection, jsonApiSecurity, secureHeaders } from "@keel/http-security/hono";
import { Hono } from "hono";
import { cors as honoCors } from "hono/cors";
import { csrf as honoCsrf } from "hono/csrf";
import { secureHeaders as honoSecureHeaders } from "hono/secure-headers";
import { compare } from "../../../scripts/lib/bench.ts";

const origin = "https://app.example.com";
const handler = () => new Response('{"ok":true}', { headers: { "content-type": "application/json" } });
const get = () => new Request("http://api.test/", { headers: { origin } });
const post = () =>
  new Request("http://api.test/", {
    method: "POST",
    headers: {
      origin: "http://api.test",
      "sec-fetch-site": "same-origin",
      "content-type": "application/json",
    },
    body: '{"a":1}',
  });

const bare = new Hono().all("/", handler);

const honoHeadersApp = new Hono().use(honoSecureHeaders()).all("/", handler);
const keelHeadersApp = new Hono().use(secureHeaders()).all("/", handler);
compare({
  name: "secure headers on a JSON response",
  anchor: { label: "hono/secure-headers", run: () => honoHeadersApp.request(get()) },
  keel: { label: "secureHeaders()", run: () => keelHeadersApp.request(get()) },
});

const honoCorsApp = new Hono().use(honoCors({ origin: [origin], credentials: true })).all("/", handler);
const keelCorsApp = new Hono().use(cors({ origin: [origin], credentials: true })).all("/", handler);
compare({
  name: "CORS, an allowed origin",
  anchor: { label: "hono/cors", run: () => honoCorsApp.request(get()) },
  keel: { label: "cors()", run: () => keelCorsApp.request(get()) },
});

const honoCsrfApp = new Hono().use(honoCsrf()).all("/", handler);
const keelCsrfApp = new Hono().use(crossOriginProtection()).all("/", handler);
compare({
  name: "CSRF, a same-origin POST",
  anchor: { label: "hono/csrf", run: () => honoCsrfApp.request(post()) },
  keel: { label: "crossOriginProtection()", run: () => keelCsrfApp.request(post()) },
});

const presetApp = new Hono().use(jsonApiSecurity({ origin: [origin] })).all("/", handler);
compare({
  name: "the whole JSON-API preset vs no security at all",
  anchor: { label: "bare Hono app", run: () => bare.request(get()) },
  keel: { label: "jsonApiSecurity()", run: () => presetApp.request(get()) },
});
