import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSignedCookies, parseCookies, serializeCookie } from "../src/index.ts";

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
    ["an invalid date", "id", "1", { expires: new Date(Number.NaN) }, "expires"],
    ["a bad SameSite", "id", "1", { sameSite: "lax" }, "sameSite"],
  ])(
    "refuses %s with a TypeError naming the option, not the value",
    (_name, name, value, options, option) => {
      expect(() => serializeCookie(name, value, options as never)).toThrow(
        new RegExp(`^serializeCookie: ${option} `),
      );
      try {
        serializeCookie(name, value, options as never);
      } catch (error) {
        expect((error as Error).message).not.toContain("evil");
      }
    },
  );
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
