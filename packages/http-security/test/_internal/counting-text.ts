import type { HeaderText } from "../../src/_internal/http-syntax.ts";

/**
 * A header value that counts what a parser reads of it: one per `charCodeAt` call, one per character
 * sliced. The parsers read header values only through these (regexes run on the slices, linearly), so the
 * count is their work, measured without a clock.
 */
export class CountingText implements HeaderText {
  reads = 0;
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  get length(): number {
    return this.#text.length;
  }
  charCodeAt(index: number): number {
    this.reads++;
    return this.#text.charCodeAt(index);
  }
  slice(start: number, end: number): string {
    const part = this.#text.slice(start, end);
    this.reads += part.length;
    return part;
  }
}

/** The characters `String#trim` and a regex `\s` take that HTTP does not: only SP and HTAB are OWS there. */
export const nonOwsWhitespace: readonly string[] = [
  "\u00a0", // NBSP
  "\u000b", // VT
  "\u000c", // FF
  "\ufeff", // BOM
  "\u1680",
  "\u2000",
  "\u2005",
  "\u200a",
  "\u2028",
  "\u2029",
  "\u202f",
  "\u205f",
  "\u3000",
];

/** Those of them a header value can hold (a `Headers` value is a byte string: U+00FF at most). */
export const headerWhitespace: readonly string[] = nonOwsWhitespace.filter(
  (space) => space.charCodeAt(0) <= 0xff,
);

/** About `size` characters: `unit` repeated. */
export const repeatTo = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length));

export const ONE_MB = 1_000_000;
