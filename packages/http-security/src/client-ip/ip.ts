// Strict IP address parsing and formatting. IPv4 is dotted-quad only: four decimal parts of 0 to 255 with
// no leading zeros, so the obfuscated forms URL parsers and inet_aton accept (127.1, 0x7f.1, 017.0.0.1,
// 2130706433) are refused. IPv6 is RFC 4291 text (hex groups, one "::", an optional dotted-quad tail)
// without zone id or brackets; IPv4-mapped addresses (::ffff:1.2.3.4) become IPv4. Output is canonical:
// dotted-quad, or RFC 5952 IPv6 (lower case, shortest form). Nothing here throws, whatever the input.
import { type HeaderText, isToken, listFromRight, trimOws } from "../_internal/http-syntax.ts";

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = readonly number[];

const decimalPart = /^(?:0|[1-9][0-9]{0,2})$/;
const hexGroup = /^[0-9A-Fa-f]{1,4}$/;

function parseIPv4(text: string): IpBytes | undefined {
  if (text.length > 15) return undefined;
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!decimalPart.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

function parseGroups(text: string, allowTail: boolean): number[] | undefined {
  if (text === "") return [];
  const groups = text.split(":");
  const bytes: number[] = [];
  for (const [index, group] of groups.entries()) {
    if (allowTail && index === groups.length - 1 && group.includes(".")) {
      const tail = parseIPv4(group);
      if (tail === undefined) return undefined;
      bytes.push(...tail);
    } else {
      if (!hexGroup.test(group)) return undefined;
      const value = Number.parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    }
  }
  return bytes;
}

function parseIPv6(text: string): IpBytes | undefined {
  if (text.length > 45 || text.length < 2) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  if (halves.length === 1) {
    const bytes = parseGroups(text, true);
    return bytes?.length === 16 ? bytes : undefined;
  }
  const head = parseGroups(halves[0] ?? "", false);
  const tail = parseGroups(halves[1] ?? "", true);
  if (head === undefined || tail === undefined || head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

const isMapped = (bytes: IpBytes): boolean =>
  bytes.length === 16 &&
  bytes.slice(0, 10).every((byte) => byte === 0) &&
  bytes[10] === 0xff &&
  bytes[11] === 0xff;

/** An IPv4 or IPv6 address in plain text (no brackets, port or zone), IPv4-mapped IPv6 turned into IPv4. */
export function parseIp(text: string): IpBytes | undefined {
  // The longest address is 45 characters: a longer text is not searched for a colon.
  if (text.length > 45) return undefined;
  const bytes = text.includes(":") ? parseIPv6(text) : parseIPv4(text);
  if (bytes === undefined) return undefined;
  return isMapped(bytes) ? bytes.slice(12) : bytes;
}

/** The canonical text of an address: dotted-quad, or RFC 5952 IPv6. */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) return bytes.join(".");
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2)
    groups.push(((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0));
  // The longest run of two or more zero groups (the first one on a tie) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** The address with every bit after the first `prefix` set to 0. */
export function maskIp(bytes: IpBytes, prefix: number): IpBytes {
  return bytes.map((byte, index) => {
    const bits = Math.min(8, Math.max(0, prefix - index * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

/** A CIDR range: the address (host bits zero) and the prefix length. */
export interface IpRange {
  readonly bytes: IpBytes;
  readonly prefix: number;
}

/** `10.0.0.0/8`, `2001:db8::/32` or a single address; `undefined` if malformed or with host bits set. */
export function parseRange(text: string): IpRange | undefined {
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = address.includes(":") ? parseIPv6(address) : parseIPv4(address);
  if (bytes === undefined || isMapped(bytes)) return undefined;
  const max = bytes.length * 8;
  if (slash === -1) return { bytes, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max) return undefined;
  const prefix = Number(prefixText);
  const masked = maskIp(bytes, prefix);
  return masked.every((byte, index) => byte === bytes[index]) ? { bytes, prefix } : undefined;
}

export function inRange(bytes: IpBytes, range: IpRange): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const masked = maskIp(bytes, range.prefix);
  return masked.every((byte, index) => byte === range.bytes[index]);
}

/**
 * One node of X-Forwarded-For or of a Forwarded `for=` (quotes removed): an IPv4 address with an optional
 * port, an IPv6 address bare or in brackets, with an optional port after the brackets. No zone id.
 */
export function parseNode(text: string): IpBytes | undefined {
  if (text.length > 64) return undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1) return undefined;
    const rest = text.slice(close + 1);
    if (rest !== "" && !/^:[0-9]{1,5}$/.test(rest)) return undefined;
    const inner = text.slice(1, close);
    return inner.includes(":") ? parseIp(inner) : undefined;
  }
  const colons = text.split(":").length - 1;
  if (colons === 1) {
    const [host = "", port = ""] = text.split(":");
    return /^[0-9]{1,5}$/.test(port) ? parseIPv4(host) : undefined;
  }
  return parseIp(text);
}

// The longest node is 64 characters (parseNode); an X-Forwarded-For entry may have a little OWS around it.
const MAX_ENTRY = 256;
// A Forwarded element holds up to four pairs: for=, by= (nodes), proto= and host= (up to 253 characters).
const MAX_ELEMENT = 1024;

/**
 * The `for=` value of one element of a Forwarded header (RFC 7239), quotes removed; `undefined` for an
 * element without one or that is malformed (a parameter name that is not a token included). Pairs are split at every semicolon, quoted or not: no valid
 * node holds one, and a stray quote cannot hide a proxy's element.
 */
export function forwardedForOf(element: string): string | undefined {
  let found: string | undefined;
  for (const pair of element.split(";")) {
    const trimmed = trimOws(pair);
    const equals = trimmed.indexOf("=");
    if (equals === -1) return undefined;
    const name = trimmed.slice(0, equals);
    // A parameter name is a token: "\u00a0for" is no parameter, and the element is malformed.
    if (!isToken(name)) return undefined;
    if (name.toLowerCase() !== "for") continue;
    if (found !== undefined) return undefined;
    const value = trimmed.slice(equals + 1);
    if (value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"') || /["\\]/.test(value.slice(1, -1))) return undefined;
      found = value.slice(1, -1);
    } else {
      if (!isToken(value)) return undefined;
      found = value;
    }
  }
  return found;
}

/**
 * The addresses of a forwarding header from the last entry back: for `"x-forwarded-for"` each entry is a
 * node, for `"forwarded"` the `for=` of each element (elements split at every comma, quoted or not: no
 * valid node holds one). `undefined` for an entry that is malformed or too long; read lazily, so a walk
 * of a few steps reads a few entries of a 1 MB header, never the rest of it.
 */
export function* forwardedNodes(
  text: HeaderText,
  header: "x-forwarded-for" | "forwarded",
): Generator<IpBytes | undefined, void> {
  const forwarded = header === "forwarded";
  for (const entry of listFromRight(text, forwarded ? MAX_ELEMENT : MAX_ENTRY)) {
    const node = entry === undefined ? undefined : forwarded ? forwardedForOf(entry) : entry;
    yield node === undefined ? undefined : parseNode(node);
  }
}
