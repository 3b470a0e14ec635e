import { runtime } from "@keel/testing";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MiniflareWorker, startWorker } from "../_internal/miniflare-worker.ts";

// The remote key set in real workerd, where every request has its own I/O context and may not await a
// promise of another request (the reason jose shares no fetch there): a Worker bundled from src, one
// verifier per isolate, 25 concurrent requests, each its own request, against a JWKS server on 127.0.0.1
// that counts its hits. Miniflare is a Node program that starts workerd, so this file runs on Node only
// (package.json keel.workerdSkipFiles); test/jwt/jwks.test.ts runs the same counts on every leg, in one
// request.

const WORKER = `
import { createJwtVerifier } from "./src/jwt/index.ts";
const verifiers = new Map();
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    let verifier = verifiers.get(path);
    if (verifier === undefined) {
      verifier = createJwtVerifier({
        algorithms: ["ES256"],
        key: { jwksUrl: env.JWKS_ORIGIN + path, cooldownMs: 60000, timeoutMs: 2000 },
        issuer: "https://auth.example",
        audience: "api",
      });
      verifiers.set(path, verifier);
    }
    const result = await verifier.verify(request.headers.get("x-token"));
    return Response.json(result.isOk() ? "ok" : result.error._tag);
  },
};
`;

describe.skipIf(runtime !== "node")(
  "remote JWKS in workerd, one request per verification (Node only: miniflare drives workerd)",
  () => {
    let mf: MiniflareWorker;
    let server: { close(): void };
    const hits = new Map<string, number>();
    const ec = generateKeyPair("ES256", { extractable: true });
    const token = async (kid: string) =>
      new SignJWT({ sub: "user-1" })
        .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
        .setIssuer("https://auth.example")
        .setAudience("api")
        .setExpirationTime("10m")
        .sign((await ec).privateKey);

    beforeAll(async () => {
      const { createServer } = await import("node:http");
      const jwk = { ...(await exportJWK((await ec).publicKey)), kid: "k1", alg: "ES256", use: "sig" };
      const http = createServer((request, response) => {
        const path = request.url ?? "";
        hits.set(path, (hits.get(path) ?? 0) + 1);
        // Slow enough that every request of a burst arrives while the first one's fetch is in flight.
        setTimeout(
          () => {
            if (path === "/down") response.writeHead(500).end("down");
            else
              response
                .writeHead(200, { "content-type": "application/json" })
                .end(JSON.stringify({ keys: [jwk] }));
          },
          path === "/slow" ? 1_500 : 300,
        );
      });
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      server = http;
      const port = (http.address() as { port: number }).port;

      mf = await startWorker(WORKER, { bindings: { JWKS_ORIGIN: `http://127.0.0.1:${port}` } });
    }, 120_000);

    afterAll(async () => {
      await mf?.dispose();
      server?.close();
    });

    const verify = async (path: string, kid: string): Promise<string> => {
      const response = await mf.dispatchFetch(`http://worker${path}`, {
        headers: { "x-token": await token(kid) },
      });
      return (await response.json()) as string;
    };
    const tally = (tags: string[]) =>
      tags.reduce<Record<string, number>>((acc, tag) => {
        acc[tag] = (acc[tag] ?? 0) + 1;
        return acc;
      }, {});

    it("25 concurrent requests with random unknown kids: one JWKS fetch; then 25 more: none", async () => {
      const kids = () => Array.from({ length: 25 }, () => `forged-${crypto.randomUUID()}`);
      expect(tally(await Promise.all(kids().map((kid) => verify("/jwks", kid))))).toEqual({
        JwtInvalidSignature: 25,
      });
      expect(hits.get("/jwks")).toBe(1);
      expect(tally(await Promise.all(kids().map((kid) => verify("/jwks", kid))))).toEqual({
        JwtInvalidSignature: 25,
      });
      expect(tally(await Promise.all(Array.from({ length: 5 }, () => verify("/jwks", "k1"))))).toEqual({
        ok: 5,
      });
      expect(hits.get("/jwks")).toBe(1);
    }, 60_000);

    it("25 concurrent requests on a cold isolate with the real kid: one fetch, every one verified", async () => {
      expect(tally(await Promise.all(Array.from({ length: 25 }, () => verify("/cold", "k1"))))).toEqual({
        ok: 25,
      });
      expect(hits.get("/cold")).toBe(1);
    }, 60_000);

    it("a JWKS outage: 25 concurrent then 10 sequential requests, one fetch, every one JwtKeyUnavailable", async () => {
      expect(tally(await Promise.all(Array.from({ length: 25 }, () => verify("/down", "k1"))))).toEqual({
        JwtKeyUnavailable: 25,
      });
      for (let i = 0; i < 10; i++) expect(await verify("/down", "k1")).toBe("JwtKeyUnavailable");
      expect(hits.get("/down")).toBe(1);
    }, 60_000);

    it("the request that fetches is cancelled mid-fetch: the ones waiting for it still answer, no fetch storm", async () => {
      const cancelled = new AbortController();
      const first = mf
        .dispatchFetch("http://worker/slow", {
          headers: { "x-token": await token("k1") },
          signal: cancelled.signal,
        })
        .then(
          (response) => response.json(),
          () => "cancelled",
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const waiting = Promise.all(Array.from({ length: 10 }, () => verify("/slow", "k1")));
      await new Promise((resolve) => setTimeout(resolve, 200));
      cancelled.abort();
      const tags = await waiting;
      expect(await first).toBeDefined();
      expect(tags.every((tag) => tag === "ok" || tag === "JwtKeyUnavailable")).toBe(true);
      expect(hits.get("/slow")).toBe(1);
    }, 60_000);
  },
);
