/**
 * The example attacked over real HTTP, once per runtime: each `describe` starts the app on a free loopback
 * port, sends the requests an attacker would (and the ones the real clients send), then stops it. The HTML
 * page's CSP nonce is checked in headless Chromium (`launchChromium` from @keel/testing: `CHROMIUM_PATH`, a system
 * Chromium, or the one npm installed).
 */
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import { type HtmlSecurityMiddlewareOptions, htmlSecurity } from "@keel/http-security/hono";
import { type Browser, launchChromium } from "@keel/testing/browser";
import {
  type ExampleServer,
  exampleRuntimes,
  freePort,
  onRuntime,
  startExample,
} from "@keel/testing/example-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ORIGIN } from "../src/app.ts";

const dir = fileURLToPath(new URL("..", import.meta.url));
const PROBLEM_JSON = "application/problem+json";

// Origins that must never be granted anything: the look-alikes of APP_ORIGIN from CORS advisories.
const UNLISTED_ORIGINS = [
  "https://evil.example",
  "https://app.example.com.evil.example",
  "https://evilapp.example.com",
  "https://app.example.co",
  "https://APP.example.com",
  "https://app.example.com/",
  "https://app.example.com:8443",
  "http://app.example.com",
  "null",
];

/** A name that is not localhost: over plain HTTP, Chromium sends no Fetch Metadata to it (an old browser). */
const PLAIN_HOST = "notes.test";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium({ hosts: { [PLAIN_HOST]: "127.0.0.1" } });
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Sends a request as raw bytes (for framings fetch() will not produce) and resolves with the status code.
 * The server may answer and close before the body is all sent (a 413 does): that is the answer, not an error.
 */
function rawRequest(url: string, head: readonly string[], body: string): Promise<number> {
  const { hostname, port, host } = new URL(url);
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `${[head[0], `Host: ${host}`, ...head.slice(1), "Connection: close"].join("\r\n")}\r\n\r\n`,
      );
      // Not end(): Deno drops the body of a request whose client half-closed before it was read (500).
      socket.write(body);
    });
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (status) {
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    socket.on("error", (error) => reject(error));
    socket.on("close", () => reject(new Error("connection closed before a status line")));
  });
}

/** A chunked-encoded body of about `bytes` bytes, in 1 KB chunks. */
function chunked(bytes: number): string {
  const chunk = `${(1000).toString(16)}\r\n${"x".repeat(1000)}\r\n`;
  return `${chunk.repeat(Math.ceil(bytes / 1000))}0\r\n\r\n`;
}

/**
 * Opens `${origin}/` in Chromium, fills the form's text field and submits it; answers with the POST's
 * request headers and status, and whether the page shown after it lists the note.
 */
async function postForm(
  origin: string,
  text: string,
): Promise<[{ headers: Record<string, string>; status: number }, boolean]> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    await page.fill("input[name=text]", text);
    const [post] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.click("button"),
    ]);
    const headers = await post.request().allHeaders();
    if (post.status() === 303) await page.waitForURL(`${origin}/`);
    const listed = (await page.textContent("body"))?.includes(text) ?? false;
    return [{ headers, status: post.status() }, listed];
  } finally {
    await page.close();
  }
}

/**
 * The old-browser case, reproduced with a real Chromium: over plain HTTP on a name other than localhost the
 * page is not a secure context, so Chromium sends no `Sec-Fetch-*` headers and the cross-origin check can
 * only compare `Origin` with the host. The page is the preset's own, served by Node on a loopback port; its
 * CSP drops `upgrade-insecure-requests`, which would otherwise send the form to https:// (a plain-HTTP
 * staging server must do the same; see the http-security docs).
 */
describe("htmlSecurity's form in a browser without Fetch Metadata", onRuntime("node"), () => {
  const servers: ServerType[] = [];
  const serveForm = async (options: HtmlSecurityMiddlewareOptions): Promise<string> => {
    const notes: string[] = [];
    const app = new Hono()
      .use(htmlSecurity(options))
      .get("/", (c) =>
        c.html(
          `<!doctype html><ul>${notes.map((note) => `<li>${note}</li>`).join("")}</ul>` +
            '<form method="post" action="/notes"><input name="text" /><button>Add</button></form>',
        ),
      )
      .post("/notes", async (c) => {
        notes.push(String((await c.req.formData()).get("text")));
        return c.redirect("/", 303);
      });
    const port = await freePort();
    servers.push(serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }));
    return `http://${PLAIN_HOST}:${port}`;
  };
  const plainHttp = { "upgrade-insecure-requests": false } as const;

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it("posts the page's own form with the preset's Referrer-Policy (same-origin)", async () => {
    const origin = await serveForm({
      secureHeaders: { contentSecurityPolicy: { directives: plainHttp } },
    });
    const [post, listed] = await postForm(origin, "from an old browser");
    expect(post.headers["sec-fetch-site"]).toBeUndefined();
    expect(post.headers.origin).toBe(origin);
    expect(post.status).toBe(303);
    expect(listed).toBe(true);
  });

  it("refuses it (403, fails closed) when the app sets Referrer-Policy: no-referrer (Origin: null)", async () => {
    const origin = await serveForm({
      secureHeaders: { referrerPolicy: "no-referrer", contentSecurityPolicy: { directives: plainHttp } },
    });
    const [post, listed] = await postForm(origin, "a note that must not be saved");
    expect(post.headers["sec-fetch-site"]).toBeUndefined();
    expect(post.headers.origin).toBe("null");
    expect(post.status).toBe(403);
    expect(listed).toBe(false);
  });
});

for (const runtime of exampleRuntimes)
  describe(`http-security-hono on ${runtime}`, onRuntime(runtime), () => {
    let server: ExampleServer;

    beforeAll(async () => {
      server = await startExample({ dir, runtime });
    });

    afterAll(async () => {
      await server?.stop();
    });

    const api = (path: string, init: RequestInit = {}): Promise<Response> =>
      fetch(`${server.url}/api${path}`, init);
    const postNote = (headers: Record<string, string>, body = '{"text":"hello"}'): Promise<Response> =>
      api("/notes", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

    async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe(PROBLEM_JSON);
      return (await response.json()) as Record<string, unknown>;
    }

    it("sends the security headers on API answers, problems, the page and 404s, and no X-Powered-By", async () => {
      const answers = await Promise.all([
        api("/notes"),
        postNote({ "sec-fetch-site": "cross-site" }),
        fetch(`${server.url}/`),
        fetch(`${server.url}/missing`),
      ]);
      for (const response of answers) {
        const headers = response.headers;
        expect(headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
        expect(headers.get("x-content-type-options")).toBe("nosniff");
        expect(headers.get("x-frame-options")).toBe("SAMEORIGIN");
        // The API keeps no-referrer; the HTML preset sends same-origin (see the form tests below).
        expect(headers.get("referrer-policy")).toBe(
          response === answers[2] || response === answers[3] ? "same-origin" : "no-referrer",
        );
        expect(headers.get("cross-origin-opener-policy")).toBe("same-origin");
        expect(headers.get("cross-origin-resource-policy")).toBe("same-origin");
        expect(headers.get("permissions-policy")).toContain("camera=()");
        expect(headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
        expect(headers.has("x-powered-by")).toBe(false);
        await response.body?.cancel();
      }
      const [apiAnswer, , page] = answers;
      expect(apiAnswer?.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(page?.headers.get("content-security-policy")).toMatch(
        /script-src 'self' 'nonce-[A-Za-z0-9+/_-]+={0,2}'/,
      );
    });

    it("grants CORS with credentials to the app origin only; never to a look-alike, never reflected", async () => {
      const mine = await api("/notes", { headers: { origin: APP_ORIGIN } });
      expect(mine.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
      expect(mine.headers.get("access-control-allow-credentials")).toBe("true");
      expect(mine.headers.get("vary")).toMatch(/origin/i);
      await mine.body?.cancel();
      for (const origin of UNLISTED_ORIGINS) {
        const response = await api("/notes", { headers: { origin } });
        expect(response.status, origin).toBe(200);
        expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
        expect(response.headers.get("access-control-allow-credentials"), origin).toBeNull();
        expect(response.headers.get("vary"), origin).toMatch(/origin/i);
        await response.body?.cancel();
      }
    });

    it("answers preflights strictly: the app's own 204, anything else 403 with no CORS headers", async () => {
      const preflight = (origin: string, method: string, headers = "content-type"): Promise<Response> =>
        api("/notes", {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": method,
            "access-control-request-headers": headers,
          },
        });
      const allowed = await preflight(APP_ORIGIN, "POST");
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
      expect(allowed.headers.get("access-control-allow-methods")).toBe("GET, POST");
      const refused = [
        ...UNLISTED_ORIGINS.map((origin) => preflight(origin, "POST")),
        preflight(APP_ORIGIN, "DELETE"),
        preflight(APP_ORIGIN, "POST", "content-type, x-evil"),
      ];
      for (const response of await Promise.all(refused)) {
        const problem = await expectProblem(response, 403);
        expect(response.headers.get("access-control-allow-origin")).toBeNull();
        expect(JSON.stringify(problem)).not.toMatch(/evil|app\.example/);
      }
    });

    it("refuses cross-origin writes whatever the Content-Type, and lets the app origin and the page write", async () => {
      for (const contentType of [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ]) {
        const forged = await postNote({ "sec-fetch-site": "cross-site", "content-type": contentType });
        expect((await expectProblem(forged, 403)).correlationId).toBe(forged.headers.get("x-request-id"));
      }
      // An older browser: no Sec-Fetch-Site, an Origin that is not this host.
      await expectProblem(await postNote({ origin: "https://evil.example" }), 403);
      await expectProblem(
        await postNote({ "sec-fetch-site": "same-site", origin: "https://evil.example" }),
        403,
      );
      // The HTML form is protected the same way.
      const forgedForm = await fetch(`${server.url}/notes`, {
        method: "POST",
        headers: { "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
        body: "text=pwned",
        redirect: "manual",
      });
      await expectProblem(forgedForm, 403);

      const fromApp = await postNote({ "sec-fetch-site": "cross-site", origin: APP_ORIGIN });
      expect(fromApp.status).toBe(201);
      expect(fromApp.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
      expect(await fromApp.json()).toMatchObject({ text: "hello" });
      const sameOrigin = await postNote({ "sec-fetch-site": "same-origin" }, '{"text":"mine"}');
      expect(sameOrigin.status).toBe(201);
      const form = await fetch(`${server.url}/notes`, {
        method: "POST",
        headers: { "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
        body: "text=from+the+form",
        redirect: "manual",
      });
      expect(form.status).toBe(303);
      const texts = ((await (await api("/notes")).json()) as { text: string }[]).map((note) => note.text);
      expect(texts).toContain("from the form");
      expect(texts).not.toContain("pwned");
    });

    it("refuses an oversized body: by Content-Length, chunked as it streams, and with both headers", async () => {
      const before = ((await (await api("/notes")).json()) as unknown[]).length;
      await expectProblem(
        await postNote({ "sec-fetch-site": "same-origin" }, `{"text":"${"x".repeat(5000)}"}`),
        413,
      );
      const post = [
        "POST /api/notes HTTP/1.1",
        "Sec-Fetch-Site: same-origin",
        "Content-Type: application/json",
      ];
      // No Content-Length: only counting the stream as it is read can catch this one.
      expect(await rawRequest(server.url, [...post, "Transfer-Encoding: chunked"], chunked(64_000))).toBe(
        413,
      );
      // A Content-Length that claims 10 bytes next to a chunked body of 8 KB: the runtime's HTTP parser refuses
      // the framing (400) or the limit catches the stream (413); it is never stored.
      const both = [...post, "Content-Length: 10", "Transfer-Encoding: chunked"];
      expect([400, 413]).toContain(await rawRequest(server.url, both, chunked(8_000)));
      await expectProblem(
        await postNote({ "sec-fetch-site": "same-origin", "content-type": "text/plain" }),
        415,
      );
      expect(((await (await api("/notes")).json()) as unknown[]).length).toBe(before);
    });

    it("keeps a well-formed inbound request id and replaces a malformed one", async () => {
      const kept = await api("/notes", { headers: { "x-request-id": "lb-4f2a9c" } });
      expect(kept.headers.get("x-request-id")).toBe("lb-4f2a9c");
      const replaced = await api("/notes", { headers: { "x-request-id": `${"a".repeat(300)}` } });
      expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      await Promise.all([kept.body?.cancel(), replaced.body?.cancel()]);
    });

    // The preset's own form, posted by a real browser that sends Fetch Metadata (localhost is a secure
    // context). Without Fetch Metadata: see "htmlSecurity's form in a browser without Fetch Metadata" below.
    it("in Chromium with Fetch Metadata (localhost), the page's own form posts", async () => {
      const origin = `http://localhost:${new URL(server.url).port}`;
      const [post] = await postForm(origin, `note ${Math.random()}`);
      expect(post.headers["sec-fetch-site"]).toBe("same-origin");
      expect(post.headers.origin).toBe(origin);
      expect(post.status).toBe(303);
    });

    it("in Chromium, runs the page's nonced script and blocks the injected one", async () => {
      const page = await browser.newPage();
      try {
        const violations: string[] = [];
        page.on("console", (message) => {
          if (message.text().includes("Content Security Policy")) violations.push(message.text());
        });
        const response = await page.goto(server.url);
        expect(response?.status()).toBe(200);
        expect(await page.textContent("#nonced-script")).toBe("The page's own script ran.");
        expect(await page.textContent("#injected-script")).toBe(
          "An injected script would change this line; the CSP blocks it.",
        );
        // The nonced <style> applied, so the nonce reached style-src too.
        expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).not.toBe("none");
        expect(violations.some((text) => text.includes("script"))).toBe(true);
        // A second load gets a different nonce.
        const nonces = await Promise.all(
          [1, 2].map(async () => (await fetch(`${server.url}/`)).headers.get("content-security-policy")),
        );
        expect(nonces[0]).not.toBe(nonces[1]);
      } finally {
        await page.close();
      }
    });
  });
