/**
 * What operators rely on, over real processes: a graceful shutdown on SIGTERM on Node, Bun and Deno (the
 * request under way is answered, the pools close, the exit code is 0), a production start refused for a
 * weak secret, a development start that generates its secret and says so, and spans printed once a
 * tracer provider is registered.
 */
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { onRuntime, runExampleToExit, startExample } from "@keel/testing/example-server";
import { requireService } from "@keel/testing/services";
import { afterAll, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const postgres = await requireService("postgres");
const redis = await requireService("redis");
if (postgres.skip || redis.skip) throw new Error("the reference service's tests need PostgreSQL and Redis");

const schemas: string[] = [];
afterAll(async () => {
  if (postgres.skip || schemas.length === 0) return;
  const { default: connect } = await import("postgres");
  const url = new URL(postgres.url);
  if (url.username === "") url.username = "postgres";
  const admin = connect(url.href, { max: 1, onnotice: () => {} });
  for (const schema of schemas) await admin.unsafe(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

const strongSecret = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );

/** An HTTP/1.1 request whose body is sent in two parts, the second when the test says. */
function splitRequest(url: string, path: string, body: string) {
  const { hostname, port } = new URL(url);
  const half = Math.floor(body.length / 2);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
  );
  let text = "";
  socket.on("data", (chunk: Uint8Array) => (text += new TextDecoder().decode(chunk)));
  const answered = new Promise<string>((resolve, reject) => {
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
  return { finish: () => socket.write(body.slice(half)), answered };
}

const refusesConnections = async (url: string): Promise<boolean> =>
  fetch(`${url}/healthz`).then(
    () => false,
    () => true,
  );

// Deno's server.shutdown() cuts the body of a request still uploading when the listener closes (its read
// fails), so on Deno the test sends the rest of the body before the listener closes.
const cutsUploads = (runtime: string) => runtime === "deno";

for (const runtime of ["node", "bun", "deno"] as const)
  describe(`reference-service operations on ${runtime}`, onRuntime(runtime), () => {
    it(`on SIGTERM: /readyz turns 503 while it still serves, the request under way is answered, exit 0${
      cutsUploads(runtime)
        ? " (Deno: its body completed before the listener closes, as Deno cuts uploads)"
        : ""
    }`, async () => {
      const schema = `reference_stop_${runtime}_${crypto.randomUUID().slice(0, 8)}`;
      schemas.push(schema);
      const server = await startExample({
        dir,
        runtime,
        env: {
          JWT_SECRET: strongSecret(),
          DATABASE_URL: postgres.skip ? "" : postgres.url,
          DB_SCHEMA: schema,
          REDIS_URL: redis.skip ? "" : redis.url,
          RATE_LIMIT_PREFIX: `keel:stop:${crypto.randomUUID()}:`,
          SHUTDOWN_DELAY_MS: "1000",
        },
        readyTimeoutMs: 170_000, // PGlite takes a minute to open on a busy machine: a hang detector
      });
      try {
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
        // A sign-up with half its body sent: the handler is waiting for the rest when SIGTERM lands.
        const signUp = splitRequest(
          server.url,
          "/auth/signup",
          JSON.stringify({
            workspace: `stop-${crypto.randomUUID().slice(0, 8)}`,
            workspaceName: "Stopping",
            email: "ops@example.com",
            password: "correct horse battery staple",
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        server.kill("SIGTERM");
        await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status).toBe(503);
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        if (cutsUploads(runtime)) signUp.finish();
        // After the delay the listener closes; the request under way is still answered.
        await expect.poll(() => refusesConnections(server.url), { timeout: 5_000 }).toBe(true);
        if (!cutsUploads(runtime)) signUp.finish();
        expect(await signUp.answered).toMatch(/^HTTP\/1\.1 201 /);
        expect(await server.closed).toBe(0);
        const output = server.output();
        expect(output).toContain('"msg":"shutting down","signal":"SIGTERM"');
        expect(output).toContain('"msg":"shutdown complete"');
      } finally {
        await server.stop();
      }
    });
  });

describe("reference-service start-up on node", onRuntime("node"), () => {
  it("refuses to start in production with a weak JWT_SECRET, naming the key but never the value", async () => {
    const weak = "password".repeat(5);
    const { code, output } = await runExampleToExit({
      dir,
      runtime: "node",
      env: { NODE_ENV: "production", JWT_SECRET: weak },
    });
    expect(code).not.toBe(0);
    expect(output).toContain("JWT_SECRET");
    expect(output).not.toContain("passwordpassword");
  });

  it("refuses to start in production without a JWT_SECRET (no development secret is generated)", async () => {
    const { code, output } = await runExampleToExit({
      dir,
      runtime: "node",
      env: { NODE_ENV: "production" },
    });
    expect(code).not.toBe(0);
    expect(output).toContain("JWT_SECRET");
    expect(output).not.toContain("was generated");
  });

  it("refuses to start in production on PGlite and memory: DATABASE_URL and REDIS_URL are required there", async () => {
    const { code, output } = await runExampleToExit({
      dir,
      runtime: "node",
      env: { NODE_ENV: "production", JWT_SECRET: strongSecret() },
    });
    expect(code).not.toBe(0);
    expect(output).toContain("DATABASE_URL");
    expect(output).toContain("REDIS_URL");
  });

  it("starts as `npm start` does: PGlite, memory, a generated development secret said as such, a curl line", async () => {
    const server = await startExample({ dir, runtime: "node", env: { OTEL_TRACES_EXPORTER: "console" } });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const output = server.output();
      expect(output).toContain("development: JWT_SECRET is not set, so a random one was generated");
      expect(output).toContain("(PGlite in process, rate limits in memory)");
      expect(output).toContain(`try: curl -s -X POST ${server.url}/auth/signup`);
      // The console exporter printed the request's server span, named by its route.
      await expect.poll(() => server.output()).toContain("name: 'GET /healthz'");
      expect(server.output()).toContain("'http.response.status_code': 200");
    } finally {
      await server.stop();
    }
  });
});
