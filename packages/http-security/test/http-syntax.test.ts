import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appendVary,
  isSerializedOrigin,
  isToken,
  originHost,
  parseLowerCaseList,
  trimOws,
} from "../src/_internal/http-syntax.ts";

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
