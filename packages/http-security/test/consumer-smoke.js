// Run by scripts/consumer-check.ts against the packed tarball, on Node (import and require), Bun, Deno and
// flag-free workerd. It imports the public specifiers only, exercises every entry point, and throws on failure.
import {
  CrossOriginRequest,
  createBodyLimit,
  createClientIp,
  createCors,
  createCrossOriginProtection,
  createJsonApiSecurity,
  createRequestId,
  createSecureHeaders,
  createSignedCookies,
  generateCspNonce,
  httpSecurityProblemStatuses,
  ipNetwork,
  serializeCookie,
  timingSafeEqual,
} from "@keel/http-security";
import {
  bodyLimit,
  byClientIp,
  clientIp,
  cors,
  crossOriginProtection,
  htmlSecurity,
  jsonApiSecurity,
  rateLimit,
  requestId,
  secureHeaders,
} from "@keel/http-security/hono";
import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
import { createPasswordHasher } from "@keel/http-security/password";
import { createMemoryStore, createRateLimiter, rateLimitKey } from "@keel/http-security/rate-limit";
import { createRedisStore, ioredisClient } from "@keel/http-security/rate-limit/redis";
import { createRateLimitBindingStore, RateLimiterObject } from "@keel/http-security/rate-limit/workers";

export default async function smoke() {
  const headers = new Headers({ "x-powered-by": "x" });
  const secure = createSecureHeaders({ contentSecurityPolicy: { preset: "html", nonce: true } });
  const nonce = generateCspNonce();
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

  // A string body has no declared length here: read up to the limit, and refused.
  const limited = await createBodyLimit({ maxBytes: 4 }).check(
    new Request("https://api.example.com/", { method: "POST", body: "too long" }),
  );
  if (!limited.isErr() || limited.error._tag !== "BodyTooLarge") throw new Error("body limit failed");

  if (!(await timingSafeEqual("abc", "abc")) || (await timingSafeEqual("abc", "abcd")))
    throw new Error("timingSafeEqual failed");
  const id = createRequestId().fromRequest(
    new Request("https://api.example.com/", { headers: { "x-request-id": "bad id" } }),
  );
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(id)) throw new Error("request id failed");
  const ip = createClientIp({ trustedProxies: ["10.0.0.0/8"] })(
    new Request("https://api.example.com/", { headers: { "x-forwarded-for": "127.1, ::ffff:1.2.3.4" } }),
    "10.0.0.1",
  );
  if (!ip.isOk() || ip.value !== "1.2.3.4" || ipNetwork("2001:db8::1").unwrapOr("") !== "2001:db8::/56")
    throw new Error("client ip failed");
  if (!serializeCookie("__Host-a", "1").endsWith("Secure; SameSite=Lax")) throw new Error("cookie failed");
  const signed = createSignedCookies({ keys: ["k".repeat(32)] });
  const pair = (await signed.serialize("s", "v")).split(";")[0];
  if ((await signed.get(pair, "s")) !== "v" || (await signed.get("s=v.x", "s")) !== undefined)
    throw new Error("signed cookie failed");
  if (createJsonApiSecurity({ origin: ["https://a.example.com"] }).requestId === undefined)
    throw new Error("preset failed");

  for (const middleware of [
    secureHeaders(),
    cors({ origin: ["https://a.example.com"] }),
    crossOriginProtection(),
    bodyLimit(),
    requestId(),
    clientIp(),
    jsonApiSecurity({ origin: ["https://a.example.com"] }),
    htmlSecurity(),
    rateLimit({
      limiter: createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 1000 }),
      key: byClientIp(),
    }),
  ]) {
    if (typeof middleware !== "function") throw new Error("hono entry");
  }

  // The rate-limit entries: a limiter on the memory store; the Redis and Workers stores as values.
  const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
  const key = rateLimitKey("smoke", "1");
  if (!(await limiter.check(key)).isOk() || !(await limiter.check(key)).isErr())
    throw new Error("rate limit failed");
  const redisLike = { evalsha: async () => [1, 0, 0], eval: async () => [1, 0, 0] };
  if (typeof createRedisStore({ client: ioredisClient(redisLike) }).consume !== "function")
    throw new Error("redis entry");
  if (typeof RateLimiterObject !== "function" || typeof createRateLimitBindingStore !== "function")
    throw new Error("workers entry");

  // The JWT entry (jose).
  const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
  const signer = createJwtSigner({
    algorithm: "HS256",
    key: secret,
    issuer: "https://smoke",
    audience: "api",
  });
  const verifier = createJwtVerifier({
    algorithms: ["HS256"],
    key: secret,
    issuer: "https://smoke",
    audience: "api",
  });
  const verified = await verifier.verify(await signer.sign({}, { subject: "u" }));
  if (!verified.isOk() || verified.value.claims.sub !== "u") throw new Error("jwt failed");

  // The password entry: node:crypto where the runtime has it, @noble/hashes on flag-free workerd.
  const passwords = createPasswordHasher({
    allowWeakParameters: true,
    argon2id: { memoryCost: 64, timeCost: 1 },
  });
  const phc = await passwords.hash("a\u0000b");
  if (!phc.isOk() || !phc.value.startsWith("$argon2id$v=19$m=64,t=1,p=1$"))
    throw new Error("password hash failed");
  const [right, wrong] = [
    await passwords.verify(phc.value, "a\u0000b"),
    await passwords.verify(phc.value, "a"),
  ];
  if (!right.isOk() || right.value !== true || !wrong.isOk() || wrong.value !== false)
    throw new Error("password verify failed");
  const reference = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
  if ((await passwords.verify(reference, "password")).unwrapOr(false) !== true)
    throw new Error("password vector");
  return "ok";
}
