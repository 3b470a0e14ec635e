// Every built-in brand does linear work on a 1 MB hostile string. Counted, never timed: while a brand runs,
// RegExp.prototype.exec (which test() and the String regex methods call, by the spec, once it is replaced),
// charCodeAt and the whole-string String methods are wrapped to record what they read. A brand passes when
//   - every regular expression that reads more than LONG characters has no quantifier (one class or a
//     literal: it looks at each position once, so it is linear by construction, whatever the engine);
//   - regular expressions read at most 2 n characters in all, and charCodeAt is called at most 2 n times;
//   - at most 4 whole-string String calls (normalize, toLowerCase, split, ...) run on a long string.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  definePrefixedId,
  Email,
  NonEmptyString,
  PositiveInt,
  Slug,
  Uuid,
  UuidV4,
  UuidV7,
} from "../src/index.ts";

const LONG = 256;
const SIZE = 1 << 20;

const brands = {
  NonEmptyString,
  Slug,
  Email,
  Uuid,
  UuidV4,
  UuidV7,
  PositiveInt,
  UserId: definePrefixedId("UserId", "usr"),
};

interface Work {
  regexReads: { source: string; length: number }[];
  charCodeAtCalls: number;
  longStringCalls: string[];
}

const wholeStringMethods = [
  "normalize",
  "toLowerCase",
  "toUpperCase",
  "trim",
  "split",
  "replace",
  "replaceAll",
  "includes",
  "indexOf",
  "lastIndexOf",
  "startsWith",
  "endsWith",
  "slice",
  "substring",
  "match",
  "matchAll",
  "search",
] as const;

const restores: (() => void)[] = [];
afterEach(() => {
  for (const restore of restores.splice(0)) restore();
});

/** Runs `run` with the counters on; the originals are back before this returns (and after a failure). */
function count(run: () => void): Work {
  const work: Work = { regexReads: [], charCodeAtCalls: 0, longStringCalls: [] };
  const exec = RegExp.prototype.exec;
  const charCodeAt = String.prototype.charCodeAt;
  const saved = wholeStringMethods.map((name) => [name, String.prototype[name]] as const);
  const restore = () => {
    RegExp.prototype.exec = exec;
    String.prototype.charCodeAt = charCodeAt;
    for (const [name, method] of saved) Object.assign(String.prototype, { [name]: method });
  };
  restores.push(restore);
  RegExp.prototype.exec = function (this: RegExp, text: string) {
    work.regexReads.push({ source: this.source, length: String(text).length - (this.lastIndex || 0) });
    return exec.call(this, text);
  };
  String.prototype.charCodeAt = function (this: string, index: number) {
    work.charCodeAtCalls++;
    return charCodeAt.call(this, index);
  };
  for (const [name, method] of saved) {
    Object.assign(String.prototype, {
      [name](this: string, ...args: unknown[]) {
        if (this.length > LONG) work.longStringCalls.push(name);
        return (method as (...a: unknown[]) => unknown).apply(this, args);
      },
    });
  }
  try {
    run();
  } finally {
    restore();
  }
  return work;
}

/** True when a regular expression has no quantifier outside its escapes and classes. */
function quantifierFree(source: string): boolean {
  const bare = source.replace(/\\[pPu]\{[^}]*\}|\\./g, "").replace(/\[[^\]]*\]/g, "");
  return !/[*+?{]/.test(bare);
}

// Repeated to 1 MB: invisible characters, the separators and letters the brands' expressions care about.
const units = fc.constantFrom(
  "\u200B",
  " ",
  "\t",
  "\u3000",
  "\uFE0F",
  "\u{E0020}",
  "\uD800",
  "\u0000",
  "a",
  "A",
  "0",
  "-",
  "a-",
  "-a",
  ".",
  "a.",
  "@",
  "a@",
  "@.",
  "usr_",
  "0123456789abcdef-",
  "\u212A",
);
const tails = fc.constantFrom("", "x", "@", "!", "-", "\u200B");
const hostile = fc.tuple(units, tails, fc.boolean()).map(([unit, tail, tailFirst]) => {
  const body = unit.repeat(Math.ceil(SIZE / unit.length));
  return tailFirst ? tail + body : body + tail;
});

describe("every brand does linear work on 1 MB inputs (counted)", () => {
  it("the counters see the calls they wrap on this runtime (else the property below would pass vacuously)", () => {
    const long = "a".repeat(LONG + 1);
    const work = count(() => {
      /b/.test(long);
      "ab".charCodeAt(0);
      long.toLowerCase();
    });
    expect(work.regexReads).toEqual([{ source: "b", length: LONG + 1 }]);
    expect(work.charCodeAtCalls).toBe(1);
    expect(work.longStringCalls).toEqual(["toLowerCase"]);
    expect(quantifierFree("[^\\p{White_Space}\\p{Cc}]")).toBe(true);
    expect(quantifierFree("^[\\p{White_Space}]*$")).toBe(false);
    expect(quantifierFree("^[a-z0-9]+(?:-[a-z0-9]+)*$")).toBe(false);
  });

  it.each(Object.entries(brands))("%s: parse and is (fast-check)", (_, brand) => {
    fc.assert(
      fc.property(hostile, (input) => {
        const work = count(() => {
          brand.parse(input);
          brand.is(input);
        });
        const passes = 2; // parse and is
        const slow = work.regexReads.filter((read) => read.length > LONG && !quantifierFree(read.source));
        expect(slow).toEqual([]);
        const read = work.regexReads.reduce((sum, each) => sum + each.length, 0);
        expect(read).toBeLessThanOrEqual(passes * (2 * input.length + LONG));
        expect(work.charCodeAtCalls).toBeLessThanOrEqual(passes * (2 * input.length + LONG));
        expect(work.longStringCalls.length).toBeLessThanOrEqual(passes * 4);
      }),
      { numRuns: 25 },
    );
  });

  it("NonEmptyString refuses 1 MB of U+200B after one quantifier-free search, and keeps a long accepted value as given", () => {
    const invisible = "\u200B".repeat(SIZE);
    const refused = count(() => expect(NonEmptyString.is(invisible)).toBe(false));
    expect(refused.regexReads).toEqual([{ source: expect.any(String), length: SIZE }]);
    expect(quantifierFree(refused.regexReads[0]?.source ?? "*")).toBe(true);
    const shown = `x${invisible}`;
    expect(NonEmptyString.parse(shown)._unsafeUnwrap()).toBe(shown);
  });
});
