// The JSON-API preset against Hono's own stack for the same job (requestId, secureHeaders, cors, csrf and
// bodyLimit from hono) and against a bare app, as requests per second. Variants run interleaved in slices
// (A B C, A B C, ...) so a machine that slows down mid-run slows all of them alike.
//
//   node bench/preset-throughput.ts            in-process (app.request), on the runtime that runs it:
//   bun bench/preset-throughput.ts             the same on Bun
//   deno run -A bench/preset-throughput.ts     the same on Deno
//   node bench/preset-throughput.ts --http     over HTTP: @hono/node-server in a child process, autocannon here
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jsonApiSecurity } from "@keel/http-security/hono";
import { type Env, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { csrf } from "hono/csrf";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";

const origin = "https://app.example.com";
const variants = ["bare", "hono's stack", "Keel preset"] as const;
type Variant = (typeof variants)[number];

/** What the bench needs of an app. */
interface App {
  request(request: Request): Response | Promise<Response>;
  fetch(request: Request): Response | Promise<Response>;
}

/** The three apps, with the same route; the stacks send the same security headers. */
export function apps(): Record<Variant, App> {
  const route = <E extends Env>(app: Hono<E>): App =>
    app
      .get("/items", (c) => c.json({ ok: true }))
      .post("/items", async (c) => c.json(await c.req.json(), 201));
  return {
    bare: route(new Hono()),
    "hono's stack": route(
      new Hono()
        .use(requestId())
        .use(
          secureHeaders({
            contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
            crossOriginEmbedderPolicy: false,
            permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
          }),
        )
        .use(cors({ origin: [origin], credentials: true }))
        .use(csrf({ origin: [origin] }))
        .use(bodyLimit({ maxSize: 1_048_576 })),
    ),
    "Keel preset": route(new Hono().use(jsonApiSecurity({ origin: [origin], cors: { credentials: true } }))),
  };
}

const body = '{"name":"a widget","count":3}';
const requests = {
  GET: () => new Request("http://api.test/items", { headers: { origin } }),
  // A server hands the handler the client's Content-Length; in process it is set by hand.
  POST: () =>
    new Request("http://api.test/items", {
      method: "POST",
      headers: {
        origin: "http://api.test",
        "sec-fetch-site": "same-origin",
        "content-type": "application/json",
        "content-length": String(body.length),
      },
      body,
    }),
};

async function inProcess(): Promise<void> {
  const built = apps();
  const sliceMs = 250;
  const reps = 6;
  const runtime = "Bun" in globalThis ? "Bun" : "Deno" in globalThis ? "Deno" : `Node ${process.version}`;
  console.log(`in-process, ${runtime}: ${reps} x ${sliceMs} ms slices per variant, interleaved`);
  for (const [method, make] of Object.entries(requests)) {
    // The same answer from every variant, or the comparison means nothing.
    for (const variant of variants) {
      const status = (await built[variant].request(make())).status;
      if (status !== (method === "GET" ? 200 : 201))
        throw new Error(`${variant} ${method} answered ${status}`);
    }
    const ops: Record<Variant, number> = { bare: 0, "hono's stack": 0, "Keel preset": 0 };
    for (let rep = 0; rep < reps + 1; rep++) {
      for (const variant of variants) {
        const app = built[variant];
        const until = performance.now() + sliceMs;
        let count = 0;
        while (performance.now() < until) {
          for (let i = 0; i < 50; i++) await (await app.request(make())).arrayBuffer();
          count += 50;
        }
        if (rep > 0) ops[variant] += count; // the first round warms up
      }
    }
    report(method, ops, (count) => count / ((reps * sliceMs) / 1000));
  }
}

function report(method: string, ops: Record<Variant, number>, perSecond: (count: number) => number): void {
  const rate = (variant: Variant) => perSecond(ops[variant]);
  const keel = rate("Keel preset");
  console.log(
    `${method}: ${variants.map((variant) => `${variant} ${Math.round(rate(variant)).toLocaleString("en-US")} req/s`).join(", ")}; ` +
      `Keel / hono's stack ${(keel / rate("hono's stack")).toFixed(2)}, Keel / bare ${(keel / rate("bare")).toFixed(2)}`,
  );
}

async function overHttp(): Promise<void> {
  const { default: autocannon } = await import("autocannon");
  const server = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ports = await new Promise<Record<Variant, number>>((resolve) => {
    server.stdout.once("data", (line: Buffer) => resolve(JSON.parse(line.toString())));
  });
  const seconds = 3;
  const reps = 3;
  console.log(
    `over HTTP (@hono/node-server, autocannon, 10 connections): ${reps} x ${seconds} s per variant`,
  );
  try {
    for (const method of ["GET", "POST"] as const) {
      const ops: Record<Variant, number> = { bare: 0, "hono's stack": 0, "Keel preset": 0 };
      for (let rep = 0; rep < reps; rep++) {
        for (const variant of variants) {
          const result = await autocannon({
            url: `http://127.0.0.1:${ports[variant]}/items`,
            connections: 10,
            duration: seconds,
            method,
            headers:
              method === "GET"
                ? { origin }
                : {
                    origin: `http://127.0.0.1:${ports[variant]}`,
                    "sec-fetch-site": "same-origin",
                    "content-type": "application/json",
                  },
            ...(method === "POST" ? { body } : {}),
          });
          if (result.errors > 0 || result.non2xx > 0) throw new Error(`${variant} ${method}: errors`);
          ops[variant] += result.requests.total;
        }
      }
      report(method, ops, (count) => count / (reps * seconds));
    }
  } finally {
    server.kill();
  }
}

async function serve(): Promise<void> {
  const { serve: listen } = await import("@hono/node-server");
  const built = apps();
  const ports: Partial<Record<Variant, number>> = {};
  for (const variant of variants) {
    ports[variant] = await new Promise<number>((resolve) => {
      listen({ fetch: built[variant].fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
    });
  }
  console.log(JSON.stringify(ports));
}

const mode = process.argv.includes("--serve")
  ? serve
  : process.argv.includes("--http")
    ? overHttp
    : inProcess;
await mode();
