import fc from "fast-check";
import { type Context, Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { bodyLimit, jsonApiSecurity } from "../../src/hono.ts";
import { type BodyLimitOptions, createBodyLimit } from "../../src/index.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs (Bun, Deno run in parallel): not a time assertion.
const PROPERTY_TIMEOUT = 120_000;
const URL_ = "https://api.example.com/upload";

/** A body stream with no Content-Length (chunked), in chunks of `size` bytes; counts the bytes pulled from it. */
function chunked(total: number, size = 1024): ReadableStream<Uint8Array> & { pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        const length = Math.min(size, total - sent);
        sent += length;
        controller.enqueue(new Uint8Array(length).fill(120));
      },
    },
    { highWaterMark: 0 },
  );
  return Object.assign(stream, { pulled: () => sent });
}
/** A handler that reads the body and, when the read throws (the limit hit), answers on its own. */
const readCatching = async (c: Context) => {
  try {
    await c.req.text();
  } catch {
    return c.text("handler's own answer", 400);
  }
  return c.text("read");
};

/** A POST of `total` bytes of undeclared length (chunked) to `path` of the API's origin. */
const streamed = (total: number, headers: Record<string, string> = {}, path = "/upload") =>
  new Request(new URL(path, URL_), {
    method: "POST",
    headers,
    body: chunked(total),
    duplex: "half",
  } as RequestInit);

describe("createBodyLimit()", () => {
  const limit = createBodyLimit({ maxBytes: 4096 });

  it("passes a GET or HEAD on without touching its body", async () => {
    for (const method of ["GET", "HEAD"]) {
      const request = new Request(URL_, { method });
      // Reading `.body` makes some adapters build the whole request: the check must not.
      Object.defineProperty(request, "body", {
        get: () => {
          throw new Error(".body was read");
        },
      });
      const result = await limit.check(request);
      expect(result.isOk() && result.value.request).toBe(request);
    }
  });

  it("passes a request without a body untouched", async () => {
    const request = new Request(URL_, { method: "POST" });
    const result = await limit.check(request);
    expect(result.isOk() && result.value.request).toBe(request);
  });

  it("passes a declared Content-Length within the limit on as it is, unread (servers enforce that length)", async () => {
    const request = new Request(URL_, {
      method: "POST",
      headers: { "content-length": "4096" },
      body: "x".repeat(4096),
    });
    const result = await limit.check(request);
    expect(result.isOk() && result.value.request).toBe(request);
    expect(request.bodyUsed).toBe(false);
    expect((await request.text()).length).toBe(4096);
  });

  it("refuses a Content-Length over the limit before reading", async () => {
    // A server-side request carries the client's Content-Length; here it is set by hand.
    const request = new Request(URL_, {
      method: "POST",
      headers: { "content-length": "4097" },
      body: "x".repeat(4097),
    });
    expect(request.headers.get("content-length")).toBe("4097");
    const result = await limit.check(request);
    expect(result.isErr() && result.error._tag).toBe("BodyTooLarge");
    expect(request.bodyUsed).toBe(false);
  });

  it("reads a body of undeclared length up to the limit, exactly, and hands on a copy with its bytes", async () => {
    const request = streamed(4096);
    const result = await limit.check(request);
    if (result.isErr()) throw result.error;
    expect(result.value.request).not.toBe(request);
    expect(result.value.request.headers.has("transfer-encoding")).toBe(false);
    expect((await result.value.request.text()).length).toBe(4096);
    expect(result.value.exceeded()).toBe(false);
  });

  it.each([4097, 10_000, 100_000, 10_000_000])(
    "refuses a %i-byte body of undeclared length before handing it on, reading at most the limit and a chunk",
    async (size) => {
      const body = chunked(size);
      const request = new Request(URL_, { method: "POST", body, duplex: "half" } as RequestInit);
      const result = await limit.check(request);
      expect(result.isErr() && result.error._tag).toBe("BodyTooLarge");
      // Memory is bounded by the limit: the rest of the stream is never pulled.
      expect(body.pulled()).toBeLessThanOrEqual(4096 + 1024);
    },
  );

  it("reads a body sent one byte a chunk into one buffer, and hands on every byte", async () => {
    const result = await limit.check(
      new Request(URL_, { method: "POST", body: chunked(4096, 1), duplex: "half" } as RequestInit),
    );
    if (result.isErr()) throw result.error;
    const bytes = new Uint8Array(await result.value.request.arrayBuffer());
    expect(bytes.length).toBe(4096);
    expect(bytes.every((byte) => byte === 120)).toBe(true);
  });

  it("answers BodyIncomplete when the body stream fails before its end (the client aborted)", async () => {
    let sent = 0;
    const aborted = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 2) controller.enqueue(new Uint8Array(10));
        else controller.error(new Error("connection reset"));
      },
    });
    const result = await limit.check(
      new Request(URL_, { method: "POST", body: aborted, duplex: "half" } as RequestInit),
    );
    expect(result.isErr() && result.error._tag).toBe("BodyIncomplete");
  });

  it("refuses a GET whose declared Content-Length is over the limit, from its headers alone", async () => {
    const request = new Request(URL_, { headers: { "content-length": "4097" } });
    const result = await limit.check(request);
    expect(result.isErr() && result.error._tag).toBe("BodyTooLarge");
  });

  it("reads a body that declares both Content-Length and Transfer-Encoding (the framing decides)", async () => {
    const request = streamed(5000, { "content-length": "10", "transfer-encoding": "chunked" });
    const result = await limit.check(request);
    expect(result.isErr() && result.error._tag).toBe("BodyTooLarge");
  });

  it("reads a body whose Content-Length is not a number", async () => {
    for (const length of ["1e3", "10, 10", "-1", " "]) {
      const result = await limit.check(streamed(5000, { "content-length": length }));
      expect(result.isErr() && result.error._tag).toBe("BodyTooLarge");
    }
  });

  describe("stream: true", () => {
    const streaming = createBodyLimit({ maxBytes: 4096, stream: true });

    it.each([4097, 10_000, 100_000])("fails the read of a %i-byte chunked body", async (size) => {
      const result = await streaming.check(streamed(size));
      if (result.isErr()) throw result.error;
      await expect(result.value.request.arrayBuffer()).rejects.toBeDefined();
      expect(result.value.exceeded()).toBe(true);
      expect(result.value.refusal()?._tag).toBe("BodyTooLarge");
    });

    it("hands the body on as a stream, unread, and passes one within the limit", async () => {
      const body = chunked(4096);
      const result = await streaming.check(
        new Request(URL_, { method: "POST", body, duplex: "half" } as RequestInit),
      );
      if (result.isErr()) throw result.error;
      expect(body.pulled()).toBeLessThan(4096);
      expect((await result.value.request.text()).length).toBe(4096);
      expect(result.value.exceeded()).toBe(false);
    });
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
    ])("Content-Type %j: allowed %s", async (type, allowed) => {
      const result = await post({ "content-type": type });
      expect(result.isOk()).toBe(allowed);
      if (result.isErr()) expect(result.error._tag).toBe("MediaTypeUnsupported");
    });

    it("refuses a body without Content-Type up front when it declares a length", async () => {
      const declared = new Request(URL_, {
        method: "POST",
        headers: { "content-length": "1" },
        body: new Uint8Array([1]),
      });
      declared.headers.delete("content-type");
      const result = await typed.check(declared);
      expect(result.isErr() && result.error._tag).toBe("MediaTypeUnsupported");
      const empty = new Request(URL_, { method: "POST", headers: { "content-length": "0" }, body: "" });
      expect((await typed.check(empty)).isOk()).toBe(true);
    });

    it("passes an untyped, undeclared body that turns out empty, and refuses one with a byte", async () => {
      // A bodiless `curl -X POST` as Node's servers hand it over: no Content-Length, an empty stream.
      const empty = new Request(URL_, {
        method: "POST",
        body: new ReadableStream({ start: (controller) => controller.close() }),
        duplex: "half",
      } as RequestInit);
      const passed = await typed.check(empty);
      if (passed.isErr()) throw passed.error;
      expect(await passed.value.request.text()).toBe("");
      expect(passed.value.refusal()).toBeUndefined();

      const untyped = streamed(10);
      untyped.headers.delete("content-type");
      const refused = await typed.check(untyped);
      expect(refused.isErr() && refused.error._tag).toBe("MediaTypeUnsupported");
    });

    it("with stream: true, fails an untyped, undeclared body at its first byte", async () => {
      const streaming = createBodyLimit({ contentTypes: ["application/json"], stream: true });
      const untyped = streamed(10);
      untyped.headers.delete("content-type");
      const checked = await streaming.check(untyped);
      if (checked.isErr()) throw checked.error;
      await expect(checked.value.request.text()).rejects.toThrow();
      expect(checked.value.refusal()?._tag).toBe("MediaTypeUnsupported");
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

  it.each<[string, unknown, RegExp]>([
    ["a negative maxBytes", { maxBytes: -1 }, /maxBytes/],
    ["a fractional maxBytes", { maxBytes: 1.5 }, /maxBytes/],
    ["an empty contentTypes", { contentTypes: [] }, /contentTypes/],
    [
      "a media type with parameters",
      { contentTypes: ["application/json; charset=utf-8"] },
      /contentTypes\[0\]/,
    ],
    ["a wildcard media type", { contentTypes: ["*/*"] }, /contentTypes\[0\]/],
    ["a bare type", { contentTypes: ["json"] }, /contentTypes\[0\]/],
    ["a misspelt option", { maxByte: 10 }, /unknown option maxByte \(did you mean maxBytes\?\)/],
    ["a stream that is not a boolean", { stream: "yes" }, /stream/],
    ["options that are not an object", "1mb", /options/],
  ])("refuses %s at set-up, naming the option", (_, options, message) => {
    expect(() => createBodyLimit(options as BodyLimitOptions)).toThrow(message);
  });

  it(
    "never throws on any Content-Type or Content-Length value",
    async () => {
      const big = fc
        .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(";", "/", " ", ","))
        .map(([text, separator]) => `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + 1))));
      const latin1 = fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      });
      const typed = createBodyLimit({ maxBytes: 10, contentTypes: ["application/json"] });
      await fc.assert(
        fc.asyncProperty(fc.oneof(latin1, big), async (type) => {
          let request: Request;
          try {
            request = new Request(URL_, { method: "POST", headers: { "content-type": type }, body: "{}" });
          } catch {
            return;
          }
          const result = await typed.check(request);
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
    .post("/caught", readCatching)
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

  it("answers 413 for a chunked body over the limit before any handler runs, logging nothing", async () => {
    const effects: string[] = [];
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const guarded = new Hono()
      .use(bodyLimit({ maxBytes: 1024 }))
      .post("/never-reads", (c) => {
        effects.push("never-reads");
        return c.text("done");
      })
      .post("/one-chunk", async (c) => {
        effects.push("one-chunk");
        await c.req.raw.body?.getReader().read();
        return c.text("done");
      })
      .post("/swallows", async (c) => {
        effects.push("swallows");
        await c.req.text().catch(() => "");
        return c.text("done");
      });
    try {
      for (const path of ["/never-reads", "/one-chunk", "/swallows"]) {
        const response = await guarded.request(streamed(5000, {}, path));
        expect(response.status).toBe(413);
        expect((await response.json()).status).toBe(413);
      }
      expect(effects).toEqual([]);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it("the preset answers a body that failed mid-read with a 400 problem carrying its headers", async () => {
    const guarded = new Hono()
      .use(jsonApiSecurity({ origin: ["https://app.example.com"] }))
      .post("/notes", (c) => c.text("done"));
    let sent = 0;
    const aborted = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 1) controller.enqueue(new TextEncoder().encode('{"a":'));
        else controller.error(new Error("connection reset"));
      },
    });
    const response = await guarded.request("/notes", {
      method: "POST",
      headers: { ...json, "sec-fetch-site": "same-origin" },
      body: aborted,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(400);
    expect((await response.json()).correlationId).toBe(response.headers.get("x-request-id"));
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("the preset refuses the same bodies before the handler too", async () => {
    const effects: string[] = [];
    const guarded = new Hono()
      .use(jsonApiSecurity({ origin: ["https://app.example.com"], bodyLimit: { maxBytes: 1024 } }))
      .post("/never-reads", (c) => {
        effects.push("never-reads");
        return c.text("done");
      });
    const response = await guarded.request(
      streamed(5000, { ...json, "sec-fetch-site": "same-origin" }, "/never-reads"),
    );
    expect(response.status).toBe(413);
    expect(effects).toEqual([]);
  });

  it("with stream: true, answers 413 for a chunked body that goes over while the handler reads it", async () => {
    const streaming = new Hono()
      .use(bodyLimit({ maxBytes: 1024, stream: true }))
      .post("/echo", async (c) => c.text(`read ${(await c.req.text()).length}`))
      .post("/caught", readCatching);
    streaming.onError((_, c) => c.text("error", 500));
    for (const path of ["/echo", "/caught"]) {
      const response = await streaming.request(streamed(5000, {}, path));
      expect(response.status).toBe(413);
      expect((await response.json()).status).toBe(413);
    }
    const small = await streaming.request(streamed(1000, {}, "/echo"));
    expect(await small.text()).toBe("read 1000");
  });

  it("passes a chunked body within the limit to the handler, whole", async () => {
    const response = await app.request("/echo", {
      method: "POST",
      headers: json,
      body: new Blob([JSON.stringify({ text: "x".repeat(500) })]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(await response.json()).toEqual({ length: 511 });
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
