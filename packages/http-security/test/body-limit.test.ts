import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { bodyLimit } from "../src/hono.ts";
import { type BodyLimitOptions, createBodyLimit } from "../src/index.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs (Bun, Deno run in parallel): not a time assertion.
const PROPERTY_TIMEOUT = 120_000;
const URL_ = "https://api.example.com/upload";

/** A body stream with no Content-Length (chunked), in chunks of `size` bytes. */
const chunked = (total: number, size = 1024): ReadableStream<Uint8Array> => {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const length = Math.min(size, total - sent);
      sent += length;
      controller.enqueue(new Uint8Array(length).fill(120));
    },
  });
};
const streamed = (total: number, headers: Record<string, string> = {}) =>
  new Request(URL_, { method: "POST", headers, body: chunked(total), duplex: "half" } as RequestInit);

describe("createBodyLimit()", () => {
  const limit = createBodyLimit({ maxBytes: 4096 });

  it("passes a request without a body untouched", () => {
    const request = new Request(URL_);
    const result = limit.check(request);
    expect(result.isOk() && result.value.request).toBe(request);
  });

  it("refuses a Content-Length over the limit before reading", () => {
    // A server-side request carries the client's Content-Length; here it is set by hand.
    const request = new Request(URL_, {
      method: "POST",
      headers: { "content-length": "4097" },
      body: "x".repeat(4097),
    });
    expect(request.headers.get("content-length")).toBe("4097");
    const result = limit.check(request);
    expect(result.isErr() && result.error._tag).toBe("BodyTooLarge");
    expect(request.bodyUsed).toBe(false);
  });

  it("reads a body up to the limit, exactly", async () => {
    const result = limit.check(new Request(URL_, { method: "POST", body: "x".repeat(4096) }));
    expect(result.isOk()).toBe(true);
    if (result.isOk()) {
      expect((await result.value.request.text()).length).toBe(4096);
      expect(result.value.exceeded()).toBe(false);
    }
  });

  it.each([4097, 10_000, 100_000])(
    "fails the read of a %i-byte chunked body (no Content-Length)",
    async (size) => {
      const result = limit.check(streamed(size));
      expect(result.isOk()).toBe(true);
      if (!result.isOk()) return;
      await expect(result.value.request.arrayBuffer()).rejects.toBeDefined();
      expect(result.value.exceeded()).toBe(true);
    },
  );

  it("enforces the limit on the stream when Content-Length lies", async () => {
    const request = streamed(10_000, { "content-length": "10" });
    const result = limit.check(request);
    if (!result.isOk()) return; // a runtime may refuse the mismatch itself: also fine
    await expect(result.value.request.arrayBuffer()).rejects.toBeDefined();
    expect(result.value.exceeded()).toBe(true);
  });

  describe("content types", () => {
    const typed = createBodyLimit({ contentTypes: ["application/json", "Application/Merge-Patch+JSON"] });
    const post = (headers: Record<string, string>, body = "{}") =>
      typed.check(new Request(URL_, { method: "POST", headers, body }));

    it.each([
      ["application/json", true],
      ["application/json; charset=utf-8", true],
      ["APPLICATION/JSON", true],
      [" application/json ;charset=utf-8", true],
      ["application/merge-patch+json", true],
      ["application/x-www-form-urlencoded", false],
      ["multipart/form-data; boundary=x", false],
      ["text/plain", false],
      ["application/json-seq", false],
      ["application/jsonx", false],
      ["xapplication/json", false],
      ["application/json, text/plain", false],
      ["application/*", false],
      ["*/*", false],
      ["", false],
    ])("Content-Type %j: allowed %s", (type, allowed) => {
      const result = post({ "content-type": type });
      expect(result.isOk()).toBe(allowed);
      if (result.isErr()) expect(result.error._tag).toBe("UnsupportedMediaType");
    });

    it("refuses a body without Content-Type up front when it declares a length", () => {
      const declared = new Request(URL_, {
        method: "POST",
        headers: { "content-length": "1" },
        body: new Uint8Array([1]),
      });
      declared.headers.delete("content-type");
      const result = typed.check(declared);
      expect(result.isErr() && result.error._tag).toBe("UnsupportedMediaType");
      const empty = new Request(URL_, { method: "POST", headers: { "content-length": "0" }, body: "" });
      expect(typed.check(empty).isOk()).toBe(true);
    });

    it("passes an untyped, undeclared body that turns out empty, and fails one at its first byte", async () => {
      // A bodiless `curl -X POST` as Node's servers hand it over: no Content-Length, an empty stream.
      const empty = new Request(URL_, {
        method: "POST",
        body: new ReadableStream({ start: (controller) => controller.close() }),
        duplex: "half",
      } as RequestInit);
      const passed = typed.check(empty);
      if (passed.isErr()) throw passed.error;
      expect(await passed.value.request.text()).toBe("");
      expect(passed.value.refusal()).toBeUndefined();

      const untyped = streamed(10);
      untyped.headers.delete("content-type");
      const checked = typed.check(untyped);
      if (checked.isErr()) throw checked.error;
      await expect(checked.value.request.text()).rejects.toThrow();
      expect(checked.value.refusal()?._tag).toBe("UnsupportedMediaType");
      expect(checked.value.exceeded()).toBe(false);
    });

    it("answers 415 through the middleware when an undeclared body has bytes but no type", async () => {
      const app = new Hono()
        .use(bodyLimit({ contentTypes: ["application/json"] }))
        .post("/upload", async (c) => c.text(`read ${(await c.req.text()).length}`));
      const bodiless = new Request(URL_, {
        method: "POST",
        body: new ReadableStream({ start: (controller) => controller.close() }),
        duplex: "half",
      } as RequestInit);
      expect(await (await app.request(bodiless)).text()).toBe("read 0");
      const untyped = streamed(10);
      untyped.headers.delete("content-type");
      const refused = await app.request(untyped);
      expect(refused.status).toBe(415);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
    });
  });

  it.each<[string, BodyLimitOptions]>([
    ["a negative maxBytes", { maxBytes: -1 }],
    ["a fractional maxBytes", { maxBytes: 1.5 }],
    ["an empty contentTypes", { contentTypes: [] }],
    ["a media type with parameters", { contentTypes: ["application/json; charset=utf-8"] }],
    ["a wildcard media type", { contentTypes: ["*/*"] }],
    ["a bare type", { contentTypes: ["json"] }],
  ])("refuses %s at set-up", (_, options) => {
    expect(() => createBodyLimit(options)).toThrow(TypeError);
  });

  it(
    "never throws on any Content-Type or Content-Length value",
    () => {
      const big = fc
        .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(";", "/", " ", ","))
        .map(([text, separator]) => `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + 1))));
      const latin1 = fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      });
      const typed = createBodyLimit({ maxBytes: 10, contentTypes: ["application/json"] });
      fc.assert(
        fc.property(fc.oneof(latin1, big), (type) => {
          let request: Request;
          try {
            request = new Request(URL_, { method: "POST", headers: { "content-type": type }, body: "{}" });
          } catch {
            return;
          }
          const result = typed.check(request);
          if (result.isOk())
            expect(request.headers.get("content-type")?.toLowerCase()).toMatch(
              /^application\/json[ \t]*(?:;|$)/,
            );
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("bodyLimit()", () => {
  const app = new Hono()
    .use(bodyLimit({ maxBytes: 1024, contentTypes: ["application/json"] }))
    .post("/echo", async (c) => c.json({ length: JSON.stringify(await c.req.json()).length }))
    .post("/caught", async (c) => {
      try {
        await c.req.text();
      } catch {
        return c.text("handler's own answer", 400);
      }
      return c.text("read");
    })
    .get("/", (c) => c.text("no body"));

  const json = { "content-type": "application/json" };

  it("passes bodies within the limit and requests without one", async () => {
    const response = await app.request("/echo", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ a: 1 }),
    });
    expect(await response.json()).toEqual({ length: 7 });
    expect((await app.request("/")).status).toBe(200);
  });

  it("answers 413 for a Content-Length over the limit", async () => {
    const body = `"${"x".repeat(2000)}"`;
    const headers = { ...json, "content-length": String(body.length) };
    const response = await app.request("/echo", { method: "POST", headers, body });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 413, title: "Content Too Large" });
  });

  it("answers 413 for a chunked body that goes over while the handler reads it", async () => {
    for (const path of ["/echo", "/caught"]) {
      const response = await app.request(path, {
        method: "POST",
        headers: json,
        body: chunked(5000),
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect((await response.json()).status).toBe(413);
    }
  });

  it("answers 415 for a media type not allowed, naming nothing the client sent", async () => {
    const response = await app.request("/echo", {
      method: "POST",
      headers: { "content-type": "text/plain; x=secret-value" },
      body: "{}",
    });
    expect(response.status).toBe(415);
    expect(await response.text()).not.toContain("secret-value");
  });
});
