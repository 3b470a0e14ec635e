// Small parsers for request header values (RFC 9110 tokens and lists, serialized origins) and one writer
// (Vary). Each takes any string, however long or malformed, never throws, and reads each character at most
// a constant number of times (the list walker reads only the elements it returns). Whitespace in HTTP
// syntax is SP and HTAB only (OWS): never String#trim or a regex \s, which also take NBSP, VT, FF, BOM and
// the Unicode spaces, so that " __Host-sid" would read as "__Host-sid".

/**
 * What a parser reads of a header value: a string in production; in tests, a wrapper that counts the
 * characters read (each `charCodeAt` call and each character sliced), to prove the work is bounded.
 */
export interface HeaderText {
  readonly length: number;
  charCodeAt(index: number): number;
  slice(start: number, end: number): string;
}

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** An RFC 9110 token: a method or a header field name. */
export const isToken = (text: string): boolean => tokenPattern.test(text);

/** `new URL(text)`, or `undefined` for text that is not a URL. (`URL.parse` needs Node 22.) */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// scheme "://" host [":" port], nothing else: what a browser puts in Origin (RFC 6454 section 6.1), with
// the host as the URL parser leaves it (lower case, punycode) or a bracketed IPv6 address.
const originShape = /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * Whether `text` is exactly a serialized origin as browsers send it: lower-case scheme and host, punycode,
 * no default port, no path, no trailing slash, no userinfo. The opaque origin "null" is not one.
 */
export function isSerializedOrigin(text: string): boolean {
  if (text.length > 2048 || !originShape.test(text)) return false;
  const url = parseUrl(text);
  return url !== undefined && url.origin !== "null" && url.origin === text;
}

/** The host (with its port, if any) of an Origin header value of the form scheme://host[:port], as sent. */
export function originHost(text: string): string | undefined {
  // No origin is longer than isSerializedOrigin's bound: a longer value is no host, and is not read.
  if (text.length > 2048) return undefined;
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([\x21\x22\x24-\x2e\x30-\x3e\x40-\x7e]*)$/.exec(text);
  return match?.[1];
}

/** SP or HTAB: the only whitespace of HTTP syntax (RFC 9110 section 5.6.3, RFC 6265bis). */
export const isOws = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * `text` (or its part from `start` to `end`) without leading and trailing spaces and tabs, and nothing else:
 * NBSP, VT, FF, BOM and Unicode spaces stay, so a name padded with them is not a token. A loop: a trimming
 * regex backtracks on long runs.
 */
export function trimOws(text: HeaderText, start: number = 0, end: number = text.length): string {
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * The elements of a comma-separated list from the last one back, trimmed of spaces and tabs (empty ones
 * included, as `""`), read lazily: a walk that stops after a few elements reads only those, whatever the
 * length of the header. An element longer than `maxLength` (spaces included) is yielded as `undefined`
 * after reading `maxLength + 1` characters of it, and ends the walk: no valid element is that long.
 */
export function* listFromRight(text: HeaderText, maxLength: number): Generator<string | undefined, void> {
  let end = text.length;
  while (end >= 0) {
    let start = end;
    while (start > 0 && text.charCodeAt(start - 1) !== 0x2c) {
      if (end - start === maxLength) {
        yield undefined;
        return;
      }
      start--;
    }
    yield trimOws(text, start, end);
    end = start - 1;
  }
}

/**
 * The elements of a comma-separated header list (RFC 9110 section 5.6.1), trimmed of spaces and tabs,
 * empty elements dropped, lower-cased. `undefined` when there are more than `max` elements: the walk stops
 * at the first element too many, so a value of 100,000 commas and names costs no more than `max` names.
 */
export function parseLowerCaseList(text: HeaderText, max: number): string[] | undefined {
  const items: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 0x2c) end++;
    const item = trimOws(text, start, end);
    if (item !== "") {
      if (items.length === max) return undefined;
      items.push(item.toLowerCase());
    }
    start = end + 1;
  }
  return items;
}

/** Adds header names to `Vary`, once each (case-insensitively); a `Vary: *` is left alone. */
export function appendVary(headers: Headers, names: readonly string[]): void {
  const current = headers.get("vary");
  if (current === null) {
    headers.set("vary", names.join(", "));
    return;
  }
  const present = new Set(current.split(",").map((name) => trimOws(name).toLowerCase()));
  if (present.has("*")) return;
  const missing = names.filter((name) => !present.has(name.toLowerCase()));
  if (missing.length > 0) headers.set("vary", [current, ...missing].join(", "));
}
