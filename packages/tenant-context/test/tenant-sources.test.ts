import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimSource, headerSource, pathPrefixSource, subdomainSource } from "../src/index.ts";

const at = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe("subdomainSource()", () => {
  const source = subdomainSource({ baseDomain: "Example.COM" });
  const read = (url: string) => source.read(at(url), undefined);

  it.each([
    ["https://acme.example.com/", "acme"],
    ["https://ACME.Example.com/", "acme"],
    ["https://acme.example.com./", "acme"],
    ["https://acme.example.com:8443/x", "acme"],
    ["https://xn--bcher-kva.example.com/", "xn--bcher-kva"],
    ["https://bücher.example.com/", "xn--bcher-kva"],
  ])("reads %s as %j", (url, tenant) => {
    expect(read(url)).toBe(tenant);
  });

  it.each([
    "https://example.com/",
    "https://evil-example.com/",
    "https://acmeexample.com/",
    "https://acme.example.com.evil.net/",
    "https://a.b.example.com/",
    "https://.example.com/",
    "https://example.com.example.org/",
    "https://acme.example.co/",
    "https://127.0.0.1/",
    "https://[::1]/",
    "https://-acme.example.com/",
  ])("names no tenant for %s", (url) => {
    expect(read(url)).toBeUndefined();
  });

  it("handles a 10,000-label host without throwing", () => {
    const host = `${"a.".repeat(10_000)}example.com`;
    expect(source.read(new Request(`https://acme.example.com/`, { headers: { host } }), undefined)).toBe(
      "acme",
    );
    expect(subdomainOfLongHost(host)).toBeUndefined();
  });

  it.each(["", "com", "exa mple.com", "example.com/x", "user@example.com", "example.com:80"])(
    "refuses the base domain %j at set-up",
    (baseDomain) => {
      expect(() => subdomainSource({ baseDomain })).toThrow(TypeError);
    },
  );

  function subdomainOfLongHost(host: string): string | undefined {
    try {
      return source.read(new Request(`https://${host}/`), undefined);
    } catch {
      return "threw";
    }
  }
});

describe("headerSource(), pathPrefixSource(), claimSource()", () => {
  it("reads a header as given, empty included (the resolver refuses it), absent as undefined", () => {
    const source = headerSource("X-Tenant-Id");
    expect(source.name).toBe("header x-tenant-id");
    expect(source.read(at("https://a.test/", { "x-tenant-id": "acme" }), undefined)).toBe("acme");
    expect(source.read(at("https://a.test/", { "x-tenant-id": "" }), undefined)).toBe("");
    expect(source.read(at("https://a.test/"), undefined)).toBeUndefined();
    expect(() => headerSource("bad header")).toThrow(TypeError);
  });

  it("reads the segment after a path prefix", () => {
    const source = pathPrefixSource({ prefix: "/t/" });
    expect(source.read(at("https://a.test/t/acme/projects/1"), undefined)).toBe("acme");
    expect(source.read(at("https://a.test/t/acme"), undefined)).toBe("acme");
    expect(source.read(at("https://a.test/t//x"), undefined)).toBe("");
    expect(source.read(at("https://a.test/tenants/acme"), undefined)).toBeUndefined();
    expect(source.read(at("https://a.test/T/acme"), undefined)).toBeUndefined();
    expect(() => pathPrefixSource({ prefix: "t/" })).toThrow(TypeError);
  });

  it("reads an own string claim; a claim that is there but not a string is unusable, not absent", () => {
    const source = claimSource("tid");
    const request = at("https://a.test/");
    expect(source.read(request, { tid: "acme" })).toBe("acme");
    expect(source.read(request, { tid: 7 })).toBe("");
    expect(source.read(request, { tid: ["acme"] })).toBe("");
    expect(source.read(request, Object.create({ tid: "inherited" }))).toBeUndefined();
    expect(source.read(request, undefined)).toBeUndefined();
    expect(source.read(request, null as never)).toBeUndefined();
  });
});

describe("every source, on any input (fast-check)", () => {
  const sources = [
    headerSource("x-tenant-id"),
    subdomainSource({ baseDomain: "example.com" }),
    pathPrefixSource({ prefix: "/t/" }),
    claimSource("tid"),
  ];

  it("gives a string or undefined and never throws", { timeout: 60_000 }, () => {
    const headerValue = fc.string({ maxLength: 300 }).filter((value) => /^[\t\x20-\x7e]*$/.test(value));
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        headerValue,
        fc.dictionary(fc.string(), fc.anything()),
        (url, header, claims) => {
          const request = new Request(url, { headers: { "x-tenant-id": header } });
          for (const source of sources) {
            const value = source.read(request, claims);
            expect(value === undefined || typeof value === "string").toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
