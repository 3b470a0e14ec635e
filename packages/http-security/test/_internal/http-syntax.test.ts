import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appendVary,
  isSerializedOrigin,
  isToken,
  listFromRight,
  originHost,
  parseLowerCaseList,
  trimOws,
} from "../../src/_internal/http-syntax.ts";
import { CountingText, nonOwsWhitespace, ONE_MB, repeatTo } from "./counting-text.ts";

// 1,000 runs with 100 KB inputs take seconds on the slower legs (Bun, Deno run in parallel): not a time assertion.
const PROPERTY_TIMEOUT = 120_000;

// Inputs of about 100 KB built from repeated fragments (fast to generate), next to ordinary random strings.
const big = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(",", " ", "\t", "://", ":", "/", "a"))
  .map(([text, separator]) =>
    `${text}${separator}`.repeat(Math.ceil(100_000 / (text.length + separator.length))),
  );
const anyText = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.webUrl(), big);
const runs = { numRuns: 1000 };

describe("header parsers: properties", () => {
  it(
    "isSerializedOrigin never throws and accepts only what the URL parser would serialise back",
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          if (isSerializedOrigin(text)) expect(new URL(text).origin).toBe(text);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "every URL's origin is a serialized origin (when it is not opaque and its host is plain)",
    () => {
      fc.assert(
        fc.property(fc.webUrl(), (url) => {
          const { origin } = new URL(url);
          if (/^[a-z]+:\/\/[a-z0-9.-]+(?::\d+)?$/.test(origin)) expect(isSerializedOrigin(origin)).toBe(true);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "originHost never throws and returns the host part only for scheme://host",
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const host = originHost(text);
          if (host !== undefined) expect(text.endsWith(`://${host}`)).toBe(true);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "parseLowerCaseList never throws, caps the count, and yields trimmed lower-case non-empty items",
    () => {
      fc.assert(
        fc.property(anyText, fc.integer({ min: 0, max: 100 }), (text, max) => {
          const items = parseLowerCaseList(text, max);
          if (items === undefined) return;
          expect(items.length).toBeLessThanOrEqual(max);
          for (const item of items) {
            expect(item).not.toBe("");
            expect(item).toBe(trimOws(item));
            expect(item).toBe(item.toLowerCase());
          }
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "parseLowerCaseList round-trips a list of tokens however it is spaced",
    () => {
      const token = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
      const ows = fc.stringMatching(/^[ \t]{0,3}$/);
      fc.assert(
        fc.property(fc.array(fc.tuple(ows, token, ows), { maxLength: 30 }), (parts) => {
          const text = parts
            .map(([before, name, after]) => `${before}${name.toUpperCase()}${after}`)
            .join(",");
          expect(parseLowerCaseList(text, 64)).toEqual(parts.map(([, name]) => name));
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "isToken and trimOws never throw",
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          isToken(text);
          const trimmed = trimOws(text);
          expect(text.includes(trimmed)).toBe(true);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "appendVary never throws on any existing Vary, and never lists a name twice",
    () => {
      const latin1 = fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      });
      fc.assert(
        fc.property(fc.oneof(latin1, big), (existing) => {
          let headers: Headers;
          try {
            headers = new Headers({ vary: existing });
          } catch {
            return;
          }
          appendVary(headers, ["Origin"]);
          appendVary(headers, ["Origin"]);
          const names = (headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());
          if (!names.includes("*")) expect(names.filter((name) => name === "origin")).toHaveLength(1);
        }),
        runs,
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("header parsers: 100 KB inputs", () => {
  const inputs = [
    " ".repeat(100_000),
    `${" ".repeat(100_000)}x`,
    ",".repeat(100_000),
    "a".repeat(100_000),
    `https://${"a".repeat(100_000)}`,
    `https://${"a.".repeat(50_000)}com`,
    "https://".repeat(12_500),
    `${"\t".repeat(50_000)}x${"\t".repeat(50_000)}`,
  ];
  it.each(inputs.map((input, index) => [index, input]))("input %i is handled without a throw", (_, input) => {
    expect(isSerializedOrigin(input)).toBe(false);
    originHost(input);
    parseLowerCaseList(input, 64);
    trimOws(input);
    isToken(input);
  });
});

describe("HTTP whitespace is SP and HTAB only", () => {
  it.each(nonOwsWhitespace.map((space) => [space.codePointAt(0)?.toString(16) ?? "", space]))(
    "trimOws keeps U+%s, which String#trim would strip",
    (_, space) => {
      expect(trimOws(`${space}a${space}`)).toBe(`${space}a${space}`);
      expect(trimOws(` \t${space}a \t`)).toBe(`${space}a`);
      expect(parseLowerCaseList(`${space}x-a, b`, 64)).toEqual([`${space}x-a`, "b"]);
    },
  );

  it("appendVary reads an existing Vary with OWS only", () => {
    const headers = new Headers({ vary: "Accept,\u00a0Origin" });
    appendVary(headers, ["Origin"]);
    expect(headers.get("vary")).toBe("Accept,\u00a0Origin, Origin");
  });
});

describe("header parsers: work bounded by what they read", () => {
  // Headers of 10 KB to 1 MB built from fragments an attacker would pick: separators, spaces, long names.
  const hostile = fc
    .tuple(
      fc.constantFrom(",", " ", "\t", ", ", "a", "x-header", "10.0.0.1", "\u00a0", ""),
      fc.string({ maxLength: 8 }),
      fc.constantFrom(10_000, 100_000, ONE_MB),
    )
    .map(([separator, text, size]) => repeatTo(`${text}${separator}` || "a", size));

  it(
    "listFromRight reads only the elements taken, each at most maxLength + 1 characters before giving up",
    () => {
      fc.assert(
        fc.property(
          hostile,
          fc.integer({ min: 1, max: 64 }),
          fc.integer({ min: 1, max: 300 }),
          (text, take, max) => {
            const counting = new CountingText(text);
            let taken = 0;
            for (const element of listFromRight(counting, max)) {
              taken++;
              if (element !== undefined) expect(element.length).toBeLessThanOrEqual(max);
              if (taken === take) break;
            }
            // Per element: its characters and the comma once scanning, twice more trimming, once sliced.
            expect(counting.reads).toBeLessThanOrEqual(taken * 4 * (max + 2));
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "listFromRight walks a whole list in linear work and agrees with split",
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const counting = new CountingText(text);
          const elements = [...listFromRight(counting, Number.MAX_SAFE_INTEGER)];
          expect(elements.reverse()).toEqual(text.split(",").map((element) => trimOws(element)));
          expect(counting.reads).toBeLessThanOrEqual(4 * (text.length + 1));
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "parseLowerCaseList reads each character a constant number of times (1 MB of commas or names)",
    () => {
      fc.assert(
        fc.property(hostile, fc.integer({ min: 0, max: 100 }), (text, max) => {
          const counting = new CountingText(text);
          parseLowerCaseList(counting, max);
          expect(counting.reads).toBeLessThanOrEqual(4 * (text.length + 1));
        }),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it("originHost does not read an Origin longer than any origin", () => {
    expect(originHost(`https://${"a".repeat(ONE_MB)}`)).toBeUndefined();
    expect(originHost("https://api.example.com:8443")).toBe("api.example.com:8443");
    expect(originHost("https://api.example.com\u00a0")).toBeUndefined();
  });
});
