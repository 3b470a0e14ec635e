import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { trimOws } from "../../src/_internal/http-syntax.ts";
import { formatIp, forwardedForOf, parseIp, parseNode } from "../../src/client-ip/ip.ts";
import { createClientIp, ipNetwork } from "../../src/index.ts";
import { CountingText, headerWhitespace, ONE_MB, repeatTo } from "../_internal/counting-text.ts";

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

describe("createClientIp and clientIp: unknown options", () => {
  it("refuse a misspelt option at set-up, naming it and the nearest one", () => {
    expect(() => createClientIp({ trustedProxy: ["10.0.0.0/8"] } as never)).toThrow(
      new TypeError("createClientIp: unknown option trustedProxy (did you mean trustedProxies?)"),
    );
    expect(() => createClientIp({ hop: 1 } as never)).toThrow(/unknown option hop \(did you mean hops\?\)/);
    expect(() => ipNetwork("203.0.113.7", { ipv6prefix: 48 } as never)).toThrow(
      new TypeError("ipNetwork: unknown option ipv6prefix (did you mean ipv6Prefix?)"),
    );
  });
});

describe("ipNetwork", () => {
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
    expect(textOf(ipNetwork(ip, options))).toBe(expected);
  });

  it.each(["127.1", "0x7f.1", "fe80::1%eth0", "[::1]", "", "1.2.3.4:80"])("refuses %s", (ip) => {
    const result = ipNetwork(ip);
    expect(result.isErr() && result.error._tag).toBe("IpAddressInvalid");
    expect(result.isErr() && result.error.message).not.toContain(ip || "§");
  });

  it("refuses bad prefixes", () => {
    expect(() => ipNetwork("::1", { ipv6Prefix: 129 })).toThrow(/ipv6Prefix/);
    expect(() => ipNetwork("::1", { ipv4Prefix: -1 })).toThrow(/ipv4Prefix/);
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
          expect(ipNetwork(sibling).unwrapOr("x")).toBe(ipNetwork(ip).unwrapOr("y"));
          expect(ipNetwork(ip).unwrapOr("")).toMatch(/\/56$/);
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
          ipNetwork(text);
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

describe("createClientIp: forwarding headers with OWS only", () => {
  const clientIp = createClientIp({ trustedProxies: ["10.0.0.0/8"] });
  const forwarded = createClientIp({ trustedProxies: ["10.0.0.0/8"], header: "forwarded" });

  it.each(headerWhitespace.map((space) => [space.codePointAt(0)?.toString(16) ?? "", space]))(
    "an entry padded with U+%s is malformed and stops the walk (String#trim would have taken it)",
    (_, space) => {
      const xff = request({ "x-forwarded-for": `6.6.6.6, ${space}203.0.113.7` });
      expect(textOf(clientIp(xff, "10.0.0.1"))).toBe("10.0.0.1");
      const rfc7239 = request({ forwarded: `for=6.6.6.6, ${space}for=203.0.113.7` });
      expect(textOf(forwarded(rfc7239, "10.0.0.1"))).toBe("10.0.0.1");
    },
  );

  it("spaces and tabs around entries are OWS", () => {
    expect(textOf(clientIp(request({ "x-forwarded-for": "6.6.6.6 ,\t203.0.113.7\t" }), "10.0.0.1"))).toBe(
      "203.0.113.7",
    );
  });
});

describe("createClientIp: work bounded by the 64 entries walked", () => {
  /** A request whose forwarding header counts what the walk reads of it. */
  const counted = (header: string, value: string) => {
    const text = new CountingText(value);
    const fake = {
      headers: { get: (name: string) => (name === header ? text : null) },
    } as unknown as Request;
    return { text, fake };
  };
  // 64 entries of at most 256 (X-Forwarded-For) or 1024 (Forwarded) characters, each read about 4 times.
  const bound = (header: string) => 64 * 4 * ((header === "forwarded" ? 1024 : 256) + 2);

  it.each([
    ["x-forwarded-for", `${repeatTo("10.0.0.2, ", ONE_MB)}10.0.0.3`, "10.0.0.2"],
    ["x-forwarded-for", repeatTo(",", ONE_MB), "10.0.0.1"],
    ["x-forwarded-for", repeatTo(" ", ONE_MB), "10.0.0.1"],
    ["x-forwarded-for", `203.0.113.7,${repeatTo(" ", ONE_MB)}`, "10.0.0.1"],
    ["forwarded", `${repeatTo("for=10.0.0.2, ", ONE_MB)}for=10.0.0.3`, "10.0.0.2"],
    ["forwarded", `${repeatTo("for=10.0.0.2;proto=https;by=10.0.0.9, ", ONE_MB)}for=10.0.0.3`, "10.0.0.2"],
    ["forwarded", repeatTo(";", ONE_MB), "10.0.0.1"],
    ["forwarded", `for=203.0.113.7;host=${repeatTo("a", ONE_MB)}`, "10.0.0.1"],
  ])(
    "a 1 MB %s from a trusted proxy: the answer of the header's tail, in bounded reads",
    (header, value, expected) => {
      const clientIp = createClientIp({ trustedProxies: ["10.0.0.0/8"], header: header as "forwarded" });
      const { text, fake } = counted(header, value);
      expect(textOf(clientIp(fake, "10.0.0.1"))).toBe(expected);
      expect(text.reads).toBeLessThanOrEqual(bound(header));
      // And through a real Request on this runtime.
      expect(
        textOf(
          clientIp(new Request("https://api.example.com/", { headers: { [header]: value } }), "10.0.0.1"),
        ),
      ).toBe(expected);
    },
  );

  // Headers of up to 1 MB from fragments a client would choose: addresses trusted or not, junk, separators.
  const fragment = fc.constantFrom(
    "10.0.0.2",
    "203.0.113.7",
    "[2001:db8::1]:80",
    "for=10.0.0.2",
    'for="10.0.0.3"',
    "for=203.0.113.7;proto=https",
    "unknown",
    "",
    " ",
    "\u00a0",
    ";",
    '"',
    "x".repeat(300),
  );
  const hostileHeader = fc
    .tuple(
      fc.array(fc.tuple(fragment, fc.constantFrom(",", ", ", " ,\t", ";")), { maxLength: 12 }),
      fc.constantFrom(1_000, 100_000, ONE_MB),
    )
    .map(([parts, size]) =>
      repeatTo(parts.map(([text, separator]) => text + separator).join("") || ",", size),
    );

  /** The walk as it was, splitting the whole header, with OWS-only trimming and the entry length bound. */
  const reference = (
    header: "x-forwarded-for" | "forwarded",
    value: string,
    trusted: (ip: string) => boolean,
  ) => {
    const entries = value.split(",").map((raw) => {
      if (raw.length > (header === "forwarded" ? 1024 : 256)) return undefined;
      return header === "forwarded" ? forwardedForOf(trimOws(raw)) : trimOws(raw);
    });
    let current = "10.0.0.1";
    for (let step = 1; step <= 64 && entries.length - step >= 0; step++) {
      const entry = entries[entries.length - step];
      const next = entry === undefined ? undefined : parseNode(entry);
      if (next === undefined) break;
      current = formatIp(next);
      if (!trusted(current)) break;
    }
    return current;
  };

  it(
    "reads at most 64 bounded entries of any header, and answers as a walk over the whole split header",
    () => {
      fc.assert(
        fc.property(
          hostileHeader,
          fc.constantFrom("x-forwarded-for", "forwarded" as const),
          (value, header) => {
            const clientIp = createClientIp({ trustedProxies: ["10.0.0.0/8"], header });
            const { text, fake } = counted(header, value);
            const answer = textOf(clientIp(fake, "10.0.0.1"));
            expect(text.reads).toBeLessThanOrEqual(Math.min(bound(header), 4 * (value.length + 1)));
            expect(answer).toBe(reference(header, value, (ip) => ip.startsWith("10.")));
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
