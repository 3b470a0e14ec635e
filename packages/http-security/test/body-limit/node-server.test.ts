/**
 * The body limit behind a real `@hono/node-server`, over raw sockets: the framings an in-process request cannot
 * show (chunked, a Content-Length followed by more bytes), with the adapter's global objects overridden or not
 * (`overrideGlobalObjects: false` hands over requests that `new Request(request, init)` refuses).
 */
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { serve } from "@hono/node-server";
import { runtime } from "@keel/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyLimit, jsonApiSecurity } from "../../src/hono.ts";

/**
 * Sends raw bytes (a head and a body; `Connection: close` unless `keepAlive`) and resolves with the first
 * status and everything the server sent before closing.
 */
function raw(
  port: number,
  head: readonly string[],
  body: string,
  keepAlive = false,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect(port, "127.0.0.1", () => {
      const lines = [...head, "Host: 127.0.0.1", ...(keepAlive ? [] : ["Connection: close"])];
      socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`);
    });
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => {
      received += chunk;
    });
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]);
      if (Number.isNaN(status)) return reject(new Error(`no status line in ${JSON.stringify(received)}`));
      resolve({ status, text: received });
    };
    // The server may answer and close before the body is all sent: that answer is the result.
    socket.on("error", () => done());
    socket.on("close", done);
  });
}

const chunkedBody = (bytes: number, size = 1000): string => {
  let body = "";
  for (let sent = 0; sent < bytes; sent += size) {
    const length = Math.min(size, bytes - sent);
    body += `${length.toString(16)}\r\n${"x".repeat(length)}\r\n`;
  }
  return `${body}0\r\n\r\n`;
};

// A Worker cannot listen on a socket: there the in-process tests in body-limit.test.ts cover the same rules.
const noServer = runtime === "workerd" ? " (skipped on workerd: a Worker cannot run a node:http server)" : "";

for (const overrideGlobalObjects of [true, false]) {
  describe.skipIf(noServer !== "")(
    `bodyLimit() behind @hono/node-server (overrideGlobalObjects: ${overrideGlobalObjects})${noServer}`,
    () => {
      const effects: string[] = [];
      let server: ReturnType<typeof serve>;
      let port = 0;

      beforeAll(async () => {
        const read = async (c: { req: { text(): Promise<string> } }) => `read ${(await c.req.text()).length}`;
        const app = new Hono()
          .use("/plain/*", bodyLimit({ maxBytes: 1024 }))
          .post("/plain/never-reads", (c) => {
            effects.push("plain");
            return c.text("done");
          })
          .post("/plain/read", async (c) => c.text(await read(c)))
          .use(
            "/preset/*",
            jsonApiSecurity({ origin: ["https://app.example"], bodyLimit: { maxBytes: 1024 } }),
          )
          .post("/preset/never-reads", (c) => {
            effects.push("preset");
            return c.text("done");
          })
          .post("/preset/read", async (c) => c.text(await read(c)));
        await new Promise<void>((resolve) => {
          server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects }, () =>
            resolve(),
          );
        });
        port = (server.address() as AddressInfo).port;
      });

      afterAll(async () => {
        await new Promise((resolve) => server.close(resolve));
      });

      const json = ["Content-Type: application/json", "Sec-Fetch-Site: same-origin"];

      it("refuses a chunked body over the limit with 413 before the handler runs", async () => {
        for (const path of ["/plain/never-reads", "/preset/never-reads"]) {
          const head = [`POST ${path} HTTP/1.1`, ...json, "Transfer-Encoding: chunked"];
          expect((await raw(port, head, chunkedBody(64_000))).status).toBe(413);
        }
        expect(effects).toEqual([]);
      });

      it("hands a chunked body within the limit to the handler, whole", async () => {
        for (const path of ["/plain/read", "/preset/read"]) {
          const head = [`POST ${path} HTTP/1.1`, ...json, "Transfer-Encoding: chunked"];
          const answer = await raw(port, head, chunkedBody(1000, 300));
          expect(answer).toMatchObject({ status: 200 });
          expect(answer.text).toContain("read 1000");
        }
      });

      it("reads no more than a declared Content-Length, whatever follows it on the connection", async () => {
        for (const path of ["/plain/read", "/preset/read"]) {
          const head = [`POST ${path} HTTP/1.1`, ...json, "Content-Length: 10"];
          // What follows the 10 bytes is, to the server, the next request on the connection.
          const next = "GET /plain/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
          const answer = await raw(port, head, `0123456789${next}`, true);
          expect(answer.status).toBe(200);
          expect(answer.text).toContain("read 10");
        }
      });
    },
  );
}
