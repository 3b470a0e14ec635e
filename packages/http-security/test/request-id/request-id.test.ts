import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { uuidV7 } from "../../src/_internal/uuid-v7.ts";
import { requestId } from "../../src/hono.ts";
import { createRequestId } from "../../src/index.ts";

const PROPERTY_TIMEOUT = 120_000;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const withId = (id: string, header = "x-request-id") =>
  new Request("https://api.example.com/", { headers: { [header]: id } });

describe("uuidV7", () => {
  it("has the UUIDv7 layout and the time in its first 48 bits", () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const id = uuidV7(now);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace("-", "").slice(0, 12), 16)).toBeGreaterThanOrEqual(now);
  });

  it("sorts in creation order, also within one millisecond and past 4,096 ids a millisecond", () => {
    const ids = Array.from({ length: 10_000 }, () => uuidV7(Date.UTC(2030, 0, 1)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it("never goes backwards when the clock does", () => {
    const later = uuidV7(Date.UTC(2040, 0, 1));
    const earlier = uuidV7(Date.UTC(2000, 0, 1));
    expect(earlier > later).toBe(true);
  });
});

describe("createRequestId", () => {
  const ids = createRequestId();

  it.each([
    ["a UUID", "0190a3f2-6c1e-7a55-8b1c-2f0e4d9a1b2c"],
    ["a load balancer id", "Root=1-67891233-abcdef012345678912345678"],
    ["dots, underscores and colons", "edge_7.f3a:42"],
  ])("keeps an acceptable inbound id: %s", (_name, id) => {
    const accepted = id.includes("=") ? createRequestId({ accept: /^Root=[0-9a-f-]+$/ }) : ids;
    expect(accepted.fromRequest(withId(id))).toBe(id);
  });

  it.each([
    ["empty", ""],
    ["a space", "a b"],
    ["HTML", "<script>alert(1)</script>"],
    ["a quote", 'a"b'],
    ["a tab", "a\tb"],
    ["log injection attempt", "id%0d%0aINFO forged"],
    ["non-ASCII", "ïd"],
    ["too long", "a".repeat(129)],
    ["100 KB", "a".repeat(100_000)],
  ])("replaces an unacceptable inbound id: %s", (_name, id) => {
    let request: Request;
    try {
      request = withId(id);
    } catch {
      return; // the runtime itself refuses this header value
    }
    const result = ids.fromRequest(request);
    expect(result).toMatch(UUID_V7);
  });

  it("makes a fresh id when there is none", () => {
    expect(ids.fromRequest(new Request("https://api.example.com/"))).toMatch(UUID_V7);
    expect(ids.header).toBe("x-request-id");
  });

  it("reads its own header, with a length bound or a pattern", () => {
    const short = createRequestId({ header: "X-Correlation-Id", accept: { maxLength: 8 } });
    expect(short.header).toBe("x-correlation-id");
    expect(short.fromRequest(withId("abcd1234", "x-correlation-id"))).toBe("abcd1234");
    expect(short.fromRequest(withId("abcd12345", "x-correlation-id"))).toMatch(UUID_V7);
    const hex = createRequestId({ accept: /^[0-9a-f]{16}$/ });
    expect(hex.fromRequest(withId("0123456789abcdef"))).toBe("0123456789abcdef");
    expect(hex.fromRequest(withId("0123456789ABCDEF"))).toMatch(UUID_V7);
  });

  it("keeps visible ASCII and 256 characters as a hard limit whatever the pattern", () => {
    const loose = createRequestId({ accept: /^.*$/ });
    expect(loose.fromRequest(withId("a b"))).toMatch(UUID_V7);
    expect(loose.fromRequest(withId("x".repeat(257)))).toMatch(UUID_V7);
    expect(loose.fromRequest(withId("x".repeat(256)))).toBe("x".repeat(256));
  });

  it("never trusts an inbound id with accept: false", () => {
    const own = createRequestId({ accept: false });
    expect(own.fromRequest(withId("abc"))).toMatch(UUID_V7);
  });

  it("uses a custom generator, and checks what it returns", () => {
    let n = 0;
    expect(createRequestId({ generate: () => `id-${++n}` }).generate()).toBe("id-1");
    expect(() => createRequestId({ generate: () => "bad id" }).generate()).toThrow(TypeError);
  });

  it.each([
    ["header", { header: "bad header" }],
    ["accept", { accept: /abc/ }],
    ["accept", { accept: /^abc$/g }],
    ["accept", { accept: /^abc$/m }],
    ["accept.maxLength", { accept: { maxLength: 0 } }],
    ["accept.maxLength", { accept: { maxLength: 1000 } }],
    ["accept", { accept: "abc" }],
    ["generate", { generate: "uuid" }],
  ])("refuses a bad %s at set-up", (option, options) => {
    expect(() => createRequestId(options as never)).toThrow(
      new RegExp(`^createRequestId: ${option.replace(".", "\\.")} `),
    );
  });

  it(
    "never throws and returns either the inbound id or a UUIDv7 (property, 1,000 runs, 100 KB inputs)",
    () => {
      const big = fc
        .string({ maxLength: 8 })
        .map((text) => `${text}a`.repeat(Math.ceil(100_000 / (text.length + 1))));
      const latin1 = fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      });
      fc.assert(
        fc.property(fc.oneof(latin1, big), (id) => {
          const request = withId(id);
          const inbound = request.headers.get("x-request-id"); // as the runtime keeps it (trimmed)
          const result = ids.fromRequest(request);
          expect(result === inbound || UUID_V7.test(result)).toBe(true);
          if (result === inbound) expect(inbound).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("createRequestId: every option checked at set-up", () => {
  it.each([
    [{ headers: "x-id" }, "createRequestId: unknown option headers (did you mean header?)"],
    [{ generator: () => "x" }, "createRequestId: unknown option generator (did you mean generate?)"],
    [
      { accept: { maxLen: 10 } },
      "createRequestId: unknown option accept.maxLen (did you mean accept.maxLength?)",
    ],
  ])("refuses %o", (options, message) => {
    expect(() => createRequestId(options as never)).toThrow(new TypeError(message));
    expect(() => requestId(options as never)).toThrow(new TypeError(message));
  });
});
