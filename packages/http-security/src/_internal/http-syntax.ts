// Small parsers for request header values (RFC 9110 tokens and lists, serialized origins) and one writer
// (Vary). Each takes any string, however long or malformed, and never throws.

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
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s]*)$/.exec(text);
  return match?.[1];
}

const isOws = (code: number): boolean => code === 0x20 || code === 0x09;

/** `text` without leading and trailing spaces and tabs (a loop: a trimming regex backtracks on long runs). */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * The elements of a comma-separated header list (RFC 9110 section 5.6.1), trimmed of spaces and tabs,
 * empty elements dropped, lower-cased. `undefined` when there are more than `max` elements.
 */
export function parseLowerCaseList(text: string, max: number): string[] | undefined {
  const items: string[] = [];
  // Walk the commas instead of split(): a value of 100,000 commas stops at the first element too many.
  let start = 0;
  while (start <= text.length) {
    const comma = text.indexOf(",", start);
    const end = comma === -1 ? text.length : comma;
    const item = trimOws(text.slice(start, end));
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
  const present = new Set(current.split(",").map((name) => name.trim().toLowerCase()));
  if (present.has("*")) return;
  const missing = names.filter((name) => !present.has(name.toLowerCase()));
  if (missing.length > 0) headers.set("vary", [current, ...missing].join(", "));
}
