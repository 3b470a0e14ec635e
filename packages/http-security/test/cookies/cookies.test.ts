import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCookies } from "../../src/cookies/cookies.ts";
import { createSignedCookies, parseCookies, serializeCookie } from "../../src/index.ts";
import {
  CountingText,
  headerWhitespace,
  nonOwsWhitespace,
  ONE_MB,
  repeatTo,
} from "../_internal/counting-text.ts";

const PROPERTY_TIMEOUT = 120_000;
const KEY = "k".repeat(32);
const OLD_KEY = "o".repeat(32);
const pairOf = (setCookie: string) => setCookie.split(";")[0] ?? "";

describe("serializeCookie", () => {
  it("has secure defaults", () => {
    expect(serializeCookie("id", "1")).toBe("id=1; Path=/; HttpOnly; Secure; SameSite=Lax");
  });

  it("writes every attribute", () => {
    const expires = new Date(Date.UTC(2030, 0, 1));
    expect(
      serializeCookie("__Secure-id", "1", {
        path: "/app",
        domain: "example.com",
        maxAge: 60,
        expires,
        httpOnly: false,
        sameSite: "None",
        partitioned: true,
      }),
    ).toBe(
      "__Secure-id=1; Path=/app; Domain=example.com; Max-Age=60; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Secure; SameSite=None; Partitioned",
    );
    expect(serializeCookie("dev", "1", { secure: false, sameSite: "Strict" })).toBe(
      "dev=1; Path=/; HttpOnly; SameSite=Strict",
    );
  });

  it.each([
    ["__Host- without Secure", "__Host-id", "1", { secure: false }, "secure"],
    ["__host- (any case) without Secure", "__host-id", "1", { secure: false }, "secure"],
    ["__Secure- without Secure", "__Secure-id", "1", { secure: false }, "secure"],
    ["__Host- with a Domain", "__Host-id", "1", { domain: "example.com" }, "path"],
    ["__Host- with another Path", "__Host-id", "1", { path: "/app" }, "path"],
    ["SameSite=None without Secure", "id", "1", { sameSite: "None", secure: false }, "sameSite"],
    ["Partitioned without Secure", "id", "1", { partitioned: true, secure: false }, "partitioned"],
    ["a name with a space", "a b", "1", {}, "name"],
    ["a name with =", "a=b", "1", {}, "name"],
    ["an empty name", "", "1", {}, "name"],
    ["a value with ;", "id", "1; Domain=evil.example", {}, "value"],
    ["a value with a line break", "id", "1\r\nSet-Cookie: x=1", {}, "value"],
    ["a value with a space", "id", "a b", {}, "value"],
    ["a value with a comma", "id", "a,b", {}, "value"],
    ["a path with ;", "id", "1", { path: "/; Domain=evil.example" }, "path"],
    ["a relative path", "id", "1", { path: "app" }, "path"],
    ["a bad domain", "id", "1", { domain: "evil.example; x" }, "domain"],
    ["a fractional maxAge", "id", "1", { maxAge: 1.5 }, "maxAge"],
    ["a negative maxAge", "id", "1", { maxAge: -1 }, "maxAge"],
    ["a non-boolean httpOnly (it would drop HttpOnly)", "id", "1", { httpOnly: "yes" }, "httpOnly"],
    ["a non-boolean secure", "id", "1", { secure: 1 }, "secure"],
    ["a non-boolean partitioned", "id", "1", { partitioned: "true" }, "partitioned"],
    ["an unknown option", "id", "1", { maxage: 60 }, "unknown option maxage \\(did you mean maxAge\\?\\)"],
    [
      "an unknown option",
      "id",
      "1",
      { httponly: false },
      "unknown option httponly \\(did you mean httpOnly\\?\\)",
    ],
    ["an invalid date", "id", "1", { expires: new Date(Number.NaN) }, "expires"],
    ["a bad SameSite", "id", "1", { sameSite: "lax" }, "sameSite"],
  ])(
    "refuses %s with a TypeError naming the option, not the value",
    (_name, name, value, options, option) => {
      expect(() => serializeCookie(name, value, options as never)).toThrow(
        new RegExp(`^serializeCookie: ${option}( |$)`),
      );
      try {
        serializeCookie(name, value, options as never);
      } catch (error) {
        expect((error as Error).message).not.toContain("evil");
      }
    },
  );
});

describe("serializeCookie: Max-Age", () => {
  const day = 24 * 60 * 60;
  it.each([
    [0, 0],
    [3600, 3600],
    [400 * day, 34_560_000],
    [400 * day + 1, 34_560_000],
    [500 * day, 34_560_000],
    [Number.MAX_SAFE_INTEGER, 34_560_000],
  ])("maxAge %i is written as %i (browsers keep a cookie 400 days at most)", (maxAge, written) => {
    expect(serializeCookie("id", "1", { maxAge })).toContain(`; Max-Age=${written};`);
  });
});

describe("parseCookies", () => {
  it.each([
    ["a=1; b=2", { a: "1", b: "2" }],
    ["a=1;b=2", { a: "1", b: "2" }],
    ['a="quoted"', { a: "quoted" }],
    ["a=1; a=2", { a: "1" }],
    ["a=", { a: "" }],
    ["=1; a=2", { a: "2" }],
    ["novalue; a=2", { a: "2" }],
    ["bad name=1; a=2", { a: "2" }],
    ["a=x y; b=2", { b: "2" }],
    ["a=1=2", { a: "1=2" }],
    ["__Host-s=abc; __Secure-t=def", { "__Host-s": "abc", "__Secure-t": "def" }],
    ["", {}],
  ])("%s", (header, expected) => {
    expect(Object.fromEntries(parseCookies(header))).toEqual(expected);
  });

  it("reads a Request, Headers or nothing", () => {
    const request = new Request("https://example.com/", { headers: { cookie: "a=1" } });
    expect(parseCookies(request).get("a")).toBe("1");
    expect(parseCookies(request.headers).get("a")).toBe("1");
    expect(parseCookies(null).size).toBe(0);
    expect(parseCookies(new Request("https://example.com/")).size).toBe(0);
  });

  it("reads the issue's case: a look-alike name planted with NBSP does not shadow the __Host- cookie", () => {
    const cookies = parseCookies("\u00a0__Host-sid=evil; __Host-sid=victim");
    expect(cookies.get("__Host-sid")).toBe("victim");
    expect(cookies.size).toBe(1);
  });

  it.each(nonOwsWhitespace.map((space) => [space.codePointAt(0)?.toString(16) ?? "", space]))(
    "a name or value padded with U+%s is not trimmed: only SP and HTAB are whitespace in a Cookie header",
    (_, space) => {
      expect(parseCookies(`${space}sid=evil; sid=good`).get("sid")).toBe("good");
      expect(parseCookies(`sid${space}=evil; sid=good`).get("sid")).toBe("good");
      expect(parseCookies(`sid=${space}evil${space}; sid=good`).get("sid")).toBe("good");
      expect(parseCookies(` \tsid = good\t; other=1`).get("sid")).toBe("good");
    },
  );

  it.each(headerWhitespace.map((space) => [space.codePointAt(0)?.toString(16) ?? "", space]))(
    "through a Request too: U+%s before a name makes another name",
    (_, space) => {
      const request = new Request("https://example.com/", {
        headers: { cookie: `a=1; ${space}__Host-sid=evil; __Host-sid=victim` },
      });
      expect(parseCookies(request).get("__Host-sid")).toBe("victim");
    },
  );

  it(
    "reads each character of the header a constant number of times (1 MB inputs and a property)",
    () => {
      const check = (header: string) => {
        const counting = new CountingText(header);
        const cookies = readCookies(counting);
        expect(counting.reads).toBeLessThanOrEqual(4 * (header.length + 1));
        return cookies;
      };
      expect(check(repeatTo(";", ONE_MB)).size).toBe(0);
      expect(check(repeatTo(" ", ONE_MB)).size).toBe(0);
      expect(check(repeatTo("=", ONE_MB)).size).toBe(0);
      expect(check(`a=${repeatTo("x", ONE_MB)}`).get("a")?.length).toBeGreaterThanOrEqual(ONE_MB);
      expect(check(repeatTo("bad name=1; ", ONE_MB)).size).toBe(0);
      expect(check(repeatTo("a=1; ", ONE_MB)).size).toBe(1);
      const fragment = fc.constantFrom(
        ";",
        "=",
        " ",
        "\t",
        '"',
        "a",
        "__Host-sid",
        "\u00a0",
        "x".repeat(100),
      );
      fc.assert(
        fc.property(
          fc.array(fragment, { maxLength: 20 }),
          fc.constantFrom(1_000, 100_000, ONE_MB),
          (parts, size) => {
            check(repeatTo(parts.join("") || ";", size));
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it("reads at most 200 cookies", () => {
    const header = Array.from({ length: 1000 }, (_, index) => `c${index}=1`).join("; ");
    expect(parseCookies(header).size).toBe(200);
  });

  it(
    "never throws, and returns only valid names and values (property, 1,000 runs, 100 KB inputs)",
    () => {
      const big = fc
        .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(";", "=", " ", '"', "; a="))
        .map(([text, separator]) =>
          `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + separator.length))),
        );
      fc.assert(
        fc.property(fc.oneof(fc.string(), big), (header) => {
          for (const [name, value] of parseCookies(header)) {
            expect(name).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
            expect(value).not.toMatch(/[\s;,"\\]/);
          }
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "reads back what serializeCookie wrote (property, 1,000 runs)",
    () => {
      const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
      const value = fc.stringMatching(/^[A-Za-z0-9%._~-]{0,40}$/);
      fc.assert(
        fc.property(name, value, (n, v) => {
          expect(parseCookies(pairOf(serializeCookie(n, v))).get(n)).toBe(v);
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("createSignedCookies", () => {
  const cookies = createSignedCookies({ keys: [KEY, OLD_KEY] });

  it("signs with the first key and verifies with any", async () => {
    const setCookie = await cookies.serialize("__Host-user", "42", { maxAge: 60 });
    expect(setCookie).toMatch(
      /^__Host-user=42\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=60; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(await cookies.get(pairOf(setCookie), "__Host-user")).toBe("42");
    const old = createSignedCookies({ keys: [OLD_KEY] });
    expect(await cookies.get(pairOf(await old.serialize("u", "7")), "u")).toBe("7");
    const rotatedOut = createSignedCookies({ keys: [KEY] });
    expect(await rotatedOut.get(pairOf(await old.serialize("u", "7")), "u")).toBeUndefined();
  });

  it("takes keys as bytes", async () => {
    const bytes = createSignedCookies({ keys: [new Uint8Array(32).fill(7)] });
    expect(await bytes.get(pairOf(await bytes.serialize("a", "b")), "a")).toBe("b");
  });

  it("keeps values with dots", async () => {
    const setCookie = await cookies.serialize("v", "a.b.c");
    expect(await cookies.get(pairOf(setCookie), "v")).toBe("a.b.c");
  });

  it("reads a Request", async () => {
    const setCookie = await cookies.serialize("s", "x");
    const request = new Request("https://example.com/", {
      headers: { cookie: `other=1; ${pairOf(setCookie)}` },
    });
    expect(await cookies.get(request, "s")).toBe("x");
  });

  it.each([
    ["a changed value", (pair: string) => pair.replace("=42.", "=43.")],
    ["a changed signature", (pair: string) => pair.slice(0, -1) + (pair.endsWith("A") ? "B" : "A")],
    ["a truncated signature", (pair: string) => pair.slice(0, -2)],
    ["no signature", () => "__Host-user=42"],
    ["an empty signature", () => "__Host-user=42."],
    ["a renamed cookie", (pair: string) => pair.replace("__Host-user", "__Host-admin")],
    ["a signature in standard base64", (pair: string) => pair.replace(/-/g, "+").replace(/_/g, "/")],
  ])("treats %s as absent", async (_name, tamper) => {
    const pair = pairOf(await cookies.serialize("__Host-user", "42"));
    const tampered = tamper(pair);
    if (tampered === pair) return; // the mutation happened not to change this signature
    const name = tampered.includes("__Host-admin") ? "__Host-admin" : "__Host-user";
    expect(await cookies.get(tampered, name)).toBeUndefined();
  });

  it(
    "get never throws and finds nothing in forged headers (property, 1,000 runs, 100 KB inputs)",
    async () => {
      const signature = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
      const forged = fc.oneof(
        fc.string().map((text) => `s=${text}`),
        fc
          .tuple(fc.stringMatching(/^[A-Za-z0-9]{0,20}$/), signature)
          .map(([value, sig]) => `s=${value}.${sig}`),
        fc
          .string({ maxLength: 8 })
          .map((text) => `s=${`${text}.`.repeat(Math.ceil(100_000 / (text.length + 1)))}`),
      );
      await fc.assert(
        fc.asyncProperty(forged, async (header) => {
          expect(await cookies.get(header, "s")).toBeUndefined();
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it("does not return a validly signed value planted under a look-alike name (NBSP)", async () => {
    // The attacker's own session cookie, validly signed for __Host-sid, planted by a sibling subdomain.
    const attacker = pairOf(await cookies.serialize("__Host-sid", "attacker"));
    const victim = pairOf(await cookies.serialize("__Host-sid", "victim"));
    expect(await cookies.get(`\u00a0${attacker}; ${victim}`, "__Host-sid")).toBe("victim");
    expect(await cookies.get(`\u00a0${attacker}`, "__Host-sid")).toBeUndefined();
  });

  it("refuses an unknown option at set-up", () => {
    expect(() => createSignedCookies({ keys: [KEY], key: KEY } as never)).toThrow(
      new TypeError("createSignedCookies: unknown option key (did you mean keys?)"),
    );
  });

  it("keeps the prefix rules", async () => {
    await expect(cookies.serialize("__Host-s", "1", { secure: false })).rejects.toThrow(
      /^createSignedCookies: secure /,
    );
  });

  it.each([
    ["keys", {}],
    ["keys", { keys: [] }],
    ["keys", { keys: "secret" }],
    ["keys\\[0\\]", { keys: ["short secret"] }],
    ["keys\\[1\\]", { keys: [KEY, 42] }],
  ])("refuses bad %s at set-up without quoting a key", (option, options) => {
    expect(() => createSignedCookies(options as never)).toThrow(
      new RegExp(`^createSignedCookies: ${option} `),
    );
    try {
      createSignedCookies(options as never);
    } catch (error) {
      expect((error as Error).message).not.toContain("secret");
    }
  });
});
