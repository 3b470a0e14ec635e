// JWT verification: createJwtVerifier against jose's jwtVerify alone (the same checks: algorithms, iss,
// aud, typ, exp required), and the jwtAuth middleware against hono/jwt, in the same process. See
// scripts/lib/bench.ts.

import { jwtAuth } from "@keel/http-security/hono";
import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
import { Hono } from "hono";
import { jwt as honoJwt } from "hono/jwt";
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, jwtVerify } from "jose";
import { compare } from "../../../scripts/lib/bench.ts";

const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
const issuer = "https://auth.example";
const audience = "api";
const joseChecks = { issuer, audience, typ: "JWT", requiredClaims: ["exp"] };

const hsToken = await createJwtSigner({ algorithm: "HS256", key: secret, issuer, audience }).sign(
  { scope: "orders:read" },
  { subject: "user-1" },
);
const hsOptions = { algorithms: ["HS256"], key: secret, issuer, audience } as const;
const hsVerifier = createJwtVerifier(hsOptions);
const secretBytes = new TextEncoder().encode(secret);
const joseHs = {
  label: "jose jwtVerify",
  run: () => jwtVerify(hsToken, secretBytes, { algorithms: ["HS256"], ...joseChecks }),
};
compare({
  name: "JWT verify, HS256",
  anchor: joseHs,
  keel: { label: "createJwtVerifier", run: () => hsVerifier.verify(hsToken) },
});

// A client presents the same token with every request: with `cache`, only the first one is verified.
const cachedVerifier = createJwtVerifier({ ...hsOptions, cache: { maxEntries: 1000 } });
compare({
  name: "JWT verify, HS256, a token presented before",
  anchor: joseHs,
  keel: { label: "createJwtVerifier with cache", run: () => cachedVerifier.verify(hsToken) },
});

const es = await generateKeyPair("ES256", { extractable: true });
const esToken = await createJwtSigner({ algorithm: "ES256", key: es.privateKey, issuer, audience }).sign(
  {},
  { subject: "user-1" },
);
const esVerifier = createJwtVerifier({
  algorithms: ["ES256"],
  key: await exportSPKI(es.publicKey),
  issuer,
  audience,
});
await esVerifier.ready();
compare({
  name: "JWT verify, ES256 (PEM key)",
  anchor: {
    label: "jose jwtVerify",
    run: () => jwtVerify(esToken, es.publicKey, { algorithms: ["ES256"], ...joseChecks }),
  },
  keel: { label: "createJwtVerifier", run: () => esVerifier.verify(esToken) },
});

const handler = () => new Response("ok");
const request = (token: string) =>
  new Request("http://api.test/", { headers: { authorization: `Bearer ${token}` } });

const honoHsApp = new Hono()
  .use(honoJwt({ secret, alg: "HS256", verification: { iss: issuer, aud: audience } }))
  .get("/", handler);
const keelHsApp = new Hono().use(jwtAuth({ verifier: hsVerifier })).get("/", handler);
compare({
  name: "JWT middleware, HS256",
  anchor: { label: "hono/jwt", run: () => honoHsApp.request(request(hsToken)) },
  keel: { label: "jwtAuth()", run: () => keelHsApp.request(request(hsToken)) },
});

const rs = await generateKeyPair("RS256", { extractable: true });
const rsToken = await createJwtSigner({
  algorithm: "RS256",
  key: await exportPKCS8(rs.privateKey),
  issuer,
  audience,
}).sign({}, { subject: "user-1" });
const rsVerifier = createJwtVerifier({
  algorithms: ["RS256"],
  key: await exportJWK(rs.publicKey),
  issuer,
  audience,
});
await rsVerifier.ready();
const honoRsApp = new Hono()
  .use(honoJwt({ secret: rs.publicKey, alg: "RS256", verification: { iss: issuer, aud: audience } }))
  .get("/", handler);
const keelRsApp = new Hono().use(jwtAuth({ verifier: rsVerifier })).get("/", handler);
compare({
  name: "JWT middleware, RS256",
  anchor: { label: "hono/jwt", run: () => honoRsApp.request(request(rsToken)) },
  keel: { label: "jwtAuth()", run: () => keelRsApp.request(request(rsToken)) },
});
