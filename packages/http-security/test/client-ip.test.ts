import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIp, parseIp } from "../src/_internal/ip.ts";
import { createClientIp, ipKey } from "../src/index.ts";

const PROPERTY_TIMEOUT = 120_000;
const request = (headers: Record<string, string> = {}) =>
  new Request("https://api.example.com/", { headers });
const textOf = (result: { isOk(): boolean; unwrapOr(fallback: string): string }) =>
  result.isOk() ? result.unwrapOr("") : "ERR";

describe("createClientIp: the connection address", () => {
  const direct = createClientIp();

  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:203.0.113.7", "203.0.113.7"],
    ["2001:DB8:0:0::1", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["::1", "::1"],
  ])("normalises %s to %s", (remote, expected) => {
    expect(textOf(direct(request(), remote))).toBe(expected);
  });

  it.each([[undefined], [""], ["127.1"], ["0x7f.0.0.1"], ["localhost"], ["[::1]"], ["1.2.3.4:80"]])(
    "fails with ClientAddressUnknown for %s",
    (remote) => {
      const result = direct(request(), remote);
      expect(result.isErr() && result.error._tag).toBe("ClientAddressUnknown");
    },
  );

  it("ignores every forwarding header by default", () => {
    const spoofed = request({
      "x-forwarded-for": "1.1.1.1",
      forwarded: "for=1.1.1.1",
      "x-real-ip": "1.1.1.1",
      "cf-connecting-ip": "1.1.1.1",
      "true-client-ip": "1.1.1.1",
    });
    expect(textOf(direct(spoofed, "203.0.113.7"))).toBe("203.0.113.7");
  });
});

describe("createClientIp: trusted proxies (X-Forwarded-For)", () => {
  const clientIp = createClientIp({ trustedProxies: ["10.0.0.0/8", "2001:db8:ffff::/48", "127.0.0.1"] });
  const via = (xff: string, remote = "10.0.0.1") =>
    textOf(clientIp(request({ "x-forwarded-for": xff }), remote));

  it.each([
    ["one proxy", "203.0.113.7", "10.0.0.1", "203.0.113.7"],
    ["a client-written entry before the real one", "6.6.6.6, 203.0.113.7", "10.0.0.1", "203.0.113.7"],
    ["two trusted proxies", "6.6.6.6, 203.0.113.7, 10.0.0.9", "10.0.0.1", "203.0.113.7"],
    ["not from a trusted proxy", "6.6.6.6", "198.51.100.1", "198.51.100.1"],
    ["mapped remote proxy", "203.0.113.7", "::ffff:10.0.0.1", "203.0.113.7"],
    ["IPv6 proxy", "203.0.113.7", "2001:db8:ffff::2", "203.0.113.7"],
    ["IPv6 client in brackets with a port", "[2001:db8::7]:4711", "10.0.0.1", "2001:db8::7"],
    ["IPv4 client with a port", "203.0.113.7:52000", "10.0.0.1", "203.0.113.7"],
    ["mapped client", "::FFFF:203.0.113.7", "10.0.0.1", "203.0.113.7"],
    ["only trusted addresses: the leftmost", "10.0.0.3, 10.0.0.2", "10.0.0.1", "10.0.0.3"],
    ["empty header", "", "10.0.0.1", "10.0.0.1"],
    ["obfuscated IPv4 (127.1) stops the walk", "127.1", "10.0.0.1", "10.0.0.1"],
    ["hex IPv4 (0x7f.1) stops the walk", "0x7f.1", "10.0.0.1", "10.0.0.1"],
    ["leading zeros stop the walk", "010.0.0.1", "10.0.0.1", "10.0.0.1"],
    ["a zone id stops the walk", "fe80::1%eth0", "10.0.0.1", "10.0.0.1"],
    ["unknown stops the walk", "unknown", "10.0.0.1", "10.0.0.1"],
    ["garbage before a trusted entry", "x, 10.0.0.2", "10.0.0.1", "10.0.0.2"],
    ["a spoofed trusted address on the left", "127.0.0.1, 203.0.113.7", "10.0.0.1", "203.0.113.7"],
    ["an empty element stops the walk", "203.0.113.7,,", "10.0.0.1", "10.0.0.1"],
    ["bare IPv6 with a port is not an address", "2001:db8::7:4711:1:2:3:4:5", "10.0.0.1", "10.0.0.1"],
  ])("%s", (_name, xff, remote, expected) => {
    expect(via(xff, remote)).toBe(expected);
  });

  it("reads several X-Forwarded-For headers in order", () => {
    const headers = new Headers();
    headers.append("x-forwarded-for", "6.6.6.6");
    headers.append("x-forwarded-for", "203.0.113.7");
    const result = clientIp(new Request("https://api.example.com/", { headers }), "10.0.0.1");
    expect(textOf(result)).toBe("203.0.113.7");
  });

  it("does not read Forwarded when configured for X-Forwarded-For", () => {
    expect(textOf(clientIp(request({ forwarded: "for=1.1.1.1" }), "10.0.0.1"))).toBe("10.0.0.1");
  });

  it("walks at most 64 entries of a 100 KB header", () => {
    const long = Array.from({ length: 10_000 }, () => "10.0.0.2").join(", ");
    expect(via(`203.0.113.7, ${long}`)).toBe("10.0.0.2");
  });
});

describe("createClientIp: Forwarded (RFC 7239)", () => {
  const clientIp = createClientIp({ trustedProxies: ["10.0.0.0/8"], header: "forwarded" });
  const via = (forwarded: string) => textOf(clientIp(request({ forwarded }), "10.0.0.1"));

  it.each([
    ['for="[2001:db8::1]:4711"', "2001:db8::1"],
    ["for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60"],
    ['for="192.0.2.60:8080"', "192.0.2.60"],
    ["for=6.6.6.6, for=192.0.2.60", "192.0.2.60"],
    ['for="::ffff:192.0.2.60"', "192.0.2.60"],
    ["for=_hidden", "10.0.0.1"],
    ["for=unknown", "10.0.0.1"],
    ["for=192.0.2.60:8080", "10.0.0.1"],
    ['for="[fe80::1%25eth0]"', "10.0.0.1"],
    ['for="6.6.6.6, for=192.0.2.60"', "10.0.0.1"],
    ['for="6.6.6.6, for=192.0.2.61', "192.0.2.61"],
    ["for=127.1", "10.0.0.1"],
    ["proto=https", "10.0.0.1"],
  ])("%s -> %s", (forwarded, expected) => {
    expect(via(forwarded)).toBe(expected);
  });
});

describe("createClientIp: hops", () => {
  it("takes the entry that many steps back", () => {
    const two = createClientIp({ hops: 2 });
    const xff = (value: string) => textOf(two(request({ "x-forwarded-for": value }), "192.0.2.1"));
    expect(xff("6.6.6.6, 203.0.113.7, 198.51.100.2")).toBe("203.0.113.7");
    expect(xff("198.51.100.2")).toBe("198.51.100.2"); // a shorter chain: the leftmost
    expect(xff("127.1, 198.51.100.2")).toBe("198.51.100.2");
    const none = createClientIp({ hops: 0 });
    expect(textOf(none(request({ "x-forwarded-for": "6.6.6.6" }), "192.0.2.1"))).toBe("192.0.2.1");
  });
});

describe("createClientIp: Cloudflare", () => {
  it("reads CF-Connecting-IP only with trustCloudflare: true", () => {
    const cloudflare = createClientIp({ trustCloudflare: true });
    const result = cloudflare(request({ "cf-connecting-ip": "2001:DB8::5" }));
    expect(textOf(result)).toBe("2001:db8::5");
    expect(textOf(cloudflare(request({ "cf-connecting-ip": "127.1" }), "192.0.2.1"))).toBe("192.0.2.1");
    expect(textOf(cloudflare(request()))).toBe("ERR");
    expect(textOf(createClientIp()(request({ "cf-connecting-ip": "1.1.1.1" })))).toBe("ERR");
  });
});

describe("createClientIp: options", () => {
  it.each([
    ["trustedProxies", { trustedProxies: "10.0.0.0/8" }],
    ["trustedProxies\\[0\\]", { trustedProxies: ["10.0.0.1/8"] }],
    ["trustedProxies\\[1\\]", { trustedProxies: ["10.0.0.0/8", "127.1"] }],
    ["trustedProxies", { trustedProxies: ["10.0.0.0/8"], hops: 1 }],
    ["hops", { hops: -1 }],
    ["hops", { hops: 1.5 }],
    ["hops", { hops: 65 }],
    ["header", { header: "x-real-ip" }],
    ["trustCloudflare", { trustCloudflare: "yes" }],
  ])("refuses a bad %s at set-up, without quoting it", (option, options) => {
    expect(() => createClientIp(options as never)).toThrow(new RegExp(`^createClientIp: ${option} `));
    try {
      createClientIp(options as never);
    } catch (error) {
      expect((error as Error).message).not.toContain("127.1");
      expect((error as Error).message).not.toContain("x-real-ip");
    }
  });
});

describe("ipKey", () => {
  it.each([
    ["203.0.113.7", {}, "203.0.113.7"],
    ["::ffff:203.0.113.7", {}, "203.0.113.7"],
    ["2001:db8:1234:5678:9abc::1", {}, "2001:db8:1234:5600::/56"],
    ["2001:db8:1234:56ff::1", {}, "2001:db8:1234:5600::/56"],
    ["2001:db8::1", { ipv6Prefix: 64 }, "2001:db8::/64"],
    ["2001:db8::1", { ipv6Prefix: 128 }, "2001:db8::1"],
    ["203.0.113.7", { ipv4Prefix: 24 }, "203.0.113.0/24"],
    ["::1", { ipv6Prefix: 0 }, "::/0"],
  ])("%s with %o -> %s", (ip, options, expected) => {
    expect(textOf(ipKey(ip, options))).toBe(expected);
  });

  it.each(["127.1", "0x7f.1", "fe80::1%eth0", "[::1]", "", "1.2.3.4:80"])("refuses %s", (ip) => {
    const result = ipKey(ip);
    expect(result.isErr() && result.error._tag).toBe("InvalidIpAddress");
    expect(result.isErr() && result.error.message).not.toContain(ip || "§");
  });

  it("refuses bad prefixes", () => {
    expect(() => ipKey("::1", { ipv6Prefix: 129 })).toThrow(/ipv6Prefix/);
    expect(() => ipKey("::1", { ipv4Prefix: -1 })).toThrow(/ipv4Prefix/);
  });

  it(
    "gives one key to every address of a /56 (property, 1,000 runs)",
    () => {
      const low = fc.array(fc.integer({ min: 0, max: 0xff }), { minLength: 9, maxLength: 9 });
      fc.assert(
        fc.property(fc.ipV6(), low, (ip, bytes) => {
          const own = parseIp(ip) ?? [];
          if (own.length !== 16) return; // an IPv4-mapped address keys as IPv4
          const sibling = formatIp([...own.slice(0, 7), ...bytes]);
          expect(ipKey(sibling).unwrapOr("x")).toBe(ipKey(ip).unwrapOr("y"));
          expect(ipKey(ip).unwrapOr("")).toMatch(/\/56$/);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "never throws, on any text up to 100 KB (property, 1,000 runs)",
    () => {
      const big = fc
        .string({ maxLength: 8 })
        .map((text) => `${text}:`.repeat(Math.ceil(100_000 / (text.length + 1))));
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.ipV4Extended(), big), (text) => {
          ipKey(text);
          for (const header of ["x-forwarded-for", "forwarded"] as const) {
            let headers: Headers;
            try {
              headers = new Headers({ [header]: text });
            } catch {
              continue; // the runtime's own Headers refuses the value (a control character)
            }
            const all = createClientIp({ trustedProxies: ["0.0.0.0/0", "::/0"], header });
            const result = all(new Request("https://api.example.com/", { headers }), "10.0.0.1");
            expect(result.isOk()).toBe(true);
          }
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
