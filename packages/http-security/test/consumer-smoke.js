// Run by scripts/consumer-check.ts against the packed tarball, on Node (import and require), Bun, Deno and
// flag-free workerd. It imports the public specifiers only, exercises every entry point, and throws on failure.
import {
  CrossOriginRequest,
  createBodyLimit,
  createCors,
  createCrossOriginProtection,
  createCspNonce,
  createSecureHeaders,
  httpSecurityProblemStatuses,
} from "@keel/http-security";
import { bodyLimit, cors, csrf, secureHeaders } from "@keel/http-security/hono";

export default async function smoke() {
  const headers = new Headers({ "x-powered-by": "x" });
  const secure = createSecureHeaders({ contentSecurityPolicy: { preset: "html", nonce: true } });
  const nonce = createCspNonce();
  secure.apply(headers, nonce);
  if (!headers.get("content-security-policy")?.includes(`'nonce-${nonce}'`) || headers.has("x-powered-by"))
    throw new Error("secure headers failed");
  let refused = false;
  try {
    createSecureHeaders({ contentSecurityPolicy: { directives: { "script-src": ["'self'; x"] } } });
  } catch (error) {
    refused = error instanceof TypeError;
  }
  if (!refused) throw new Error("CSP validation failed");

  const policy = createCors({ origin: ["https://app.example.com"] });
  const target = new Headers();
  policy.apply(
    new Request("https://api.example.com/", { headers: { origin: "https://app.example.com.evil.com" } }),
    target,
  );
  if (target.has("access-control-allow-origin") || target.get("vary") !== "Origin")
    throw new Error("cors failed");

  const check = createCrossOriginProtection().check(
    new Request("https://api.example.com/", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }),
  );
  if (!check.isErr() || !(check.error instanceof CrossOriginRequest)) throw new Error("csrf failed");
  if (httpSecurityProblemStatuses.CrossOriginRequest !== 403) throw new Error("statuses");

  const limited = createBodyLimit({ maxBytes: 4 }).check(
    new Request("https://api.example.com/", { method: "POST", body: "too long" }),
  );
  if (
    !limited.isOk() ||
    (await limited.value.request.text().then(
      () => true,
      () => false,
    ))
  )
    throw new Error("body limit failed");

  for (const middleware of [
    secureHeaders(),
    cors({ origin: ["https://a.example.com"] }),
    csrf(),
    bodyLimit(),
  ]) {
    if (typeof middleware !== "function") throw new Error("hono entry");
  }
  return "ok";
}
