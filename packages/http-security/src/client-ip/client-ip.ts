/**
 * The client's IP address: the runtime's connection address, and `X-Forwarded-For` / `Forwarded` only as
 * far as a configured list of trusted proxies (or a hop count) vouches for them. Addresses are parsed
 * strictly and returned in canonical form; `ipNetwork` groups IPv6 clients by prefix for rate-limit keys.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { ClientAddressUnknown, IpAddressInvalid } from "./errors.ts";
import {
  formatIp,
  forwardedNodes,
  type IpBytes,
  type IpRange,
  inRange,
  maskIp,
  parseIp,
  parseRange,
} from "./ip.ts";

/** Options for {@link createClientIp}: at most one of `trustedProxies` and `hops`. */
export interface ClientIpOptions {
  /**
   * The proxies in front of the service, as CIDR ranges or addresses (`"10.0.0.0/8"`, `"2001:db8::/32"`,
   * `"127.0.0.1"`). A forwarding header is read only when the connection comes from one of them, and only
   * back to the first address that is not one of them. None by default: forwarding headers are ignored.
   */
  readonly trustedProxies?: readonly string[];
  /**
   * The number of proxies in front of the service (each appends one entry): the client is the entry that
   * many steps back from the connection. For a fixed chain whose addresses are not known in advance.
   */
  readonly hops?: number;
  /** The forwarding header to read: `"x-forwarded-for"` (the default) or `"forwarded"` (RFC 7239). */
  readonly header?: "x-forwarded-for" | "forwarded";
  /**
   * Takes `CF-Connecting-IP` as the client's address when it is present and valid. Only for code running on
   * Cloudflare Workers, or behind Cloudflare on an origin that accepts connections from Cloudflare only:
   * anywhere else any client can send this header. Off by default.
   */
  readonly trustCloudflare?: boolean;
}

/**
 * Reads a request's client address: `remoteAddress` is the connection's peer as the runtime reports it
 * (Node's `socket.remoteAddress`, Bun's `server.requestIP(request)?.address`, Deno's
 * `info.remoteAddr.hostname`, Hono's `getConnInfo(c).remote.address`); none on Workers.
 */
export type ClientIp = (request: Request, remoteAddress?: string) => Result<string, ClientAddressUnknown>;

const MAX_WALK = 64;

/** The keys of {@link ClientIpOptions}, for the set-up check of unknown options. */
export const clientIpOptionKeys = ["trustedProxies", "hops", "header", "trustCloudflare"] as const;

const fail = optionChecker("createClientIp");

/** The runtime's address: a plain IP, a zone id dropped (fe80::1%eth0), IPv4-mapped turned into IPv4. */
function parseRemote(text: string | undefined): IpBytes | undefined {
  if (typeof text !== "string") return undefined;
  const percent = text.indexOf("%");
  return parseIp(percent === -1 ? text : text.slice(0, percent));
}

function compileRanges(value: unknown): readonly IpRange[] {
  if (!Array.isArray(value)) return fail("trustedProxies", "must be a list of CIDR ranges");
  return value.map((text: unknown, index) => {
    const range = typeof text === "string" ? parseRange(text) : undefined;
    if (range === undefined) {
      return fail(
        `trustedProxies[${index}]`,
        "must be an IPv4 or IPv6 address or CIDR range with no host bits set (10.0.0.0/8, 2001:db8::/32)",
      );
    }
    return range;
  });
}

/**
 * Builds, once at set-up, a reader of the client's address. With no options it is the connection address
 * (canonical: `::ffff:1.2.3.4` becomes `1.2.3.4`, IPv6 in RFC 5952 form). With `trustedProxies`, while the
 * address in hand is a trusted proxy, the next entry of the forwarding header from the right is taken; with
 * `hops: n`, exactly `n` entries are walked back. The walk stops at a malformed entry (obfuscated IPv4 such
 * as `127.1`, a zone id, an `unknown` or `_hidden` node) and keeps the last good address, so a client cannot
 * choose its address by writing the header itself. Fails (`ClientAddressUnknown`) only when there is no
 * valid connection address (and no trusted `CF-Connecting-IP`). Bad options throw a `TypeError`.
 *
 * @example
 * ```ts
 * import { createClientIp } from "@keel/http-security";
 *
 * const clientIp = createClientIp({ trustedProxies: ["10.0.0.0/8"] });
 * const request = new Request("https://api.example.com/", {
 *   headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }, // 6.6.6.6 was written by the client
 * });
 * const ip = clientIp(request, "10.0.0.1");
 * console.assert(ip.isOk() && ip.value === "203.0.113.7");
 *
 * // Not from a trusted proxy: the header is ignored.
 * const direct = clientIp(request, "::ffff:198.51.100.9");
 * console.assert(direct.isOk() && direct.value === "198.51.100.9");
 *
 * const forwarded = createClientIp({ hops: 1, header: "forwarded" });
 * const viaForwarded = forwarded(new Request("https://api.example.com/", { headers: { forwarded: 'for="[2001:DB8::1]:4711"' } }), "10.0.0.1");
 * console.assert(viaForwarded.isOk() && viaForwarded.value === "2001:db8::1");
 * ```
 */
export function createClientIp(options: ClientIpOptions = {}): ClientIp {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createClientIp", options, clientIpOptionKeys);
  const { hops, trustCloudflare = false, header = "x-forwarded-for" } = options;
  if (options.trustedProxies !== undefined && hops !== undefined) {
    fail("trustedProxies", "and hops cannot both be set");
  }
  const ranges = options.trustedProxies === undefined ? [] : compileRanges(options.trustedProxies);
  if (hops !== undefined && (!Number.isSafeInteger(hops) || hops < 0 || hops > MAX_WALK)) {
    fail("hops", `must be a whole number from 0 to ${MAX_WALK}`);
  }
  if (header !== "x-forwarded-for" && header !== "forwarded") {
    fail("header", 'must be "x-forwarded-for" or "forwarded"');
  }
  if (typeof trustCloudflare !== "boolean") fail("trustCloudflare", "must be true or false");

  const trusts = (bytes: IpBytes, step: number): boolean =>
    hops === undefined ? ranges.some((range) => inRange(bytes, range)) : step < hops;
  const readsHeader = ranges.length > 0 || (hops ?? 0) > 0;

  return (request, remoteAddress) => {
    if (trustCloudflare) {
      const cloudflare = request.headers.get("cf-connecting-ip");
      const bytes = cloudflare === null ? undefined : parseIp(cloudflare);
      if (bytes !== undefined) return ok(formatIp(bytes));
    }
    let current = parseRemote(remoteAddress);
    if (current === undefined) return err(new ClientAddressUnknown());
    if (!readsHeader || !trusts(current, 0)) return ok(formatIp(current));
    const value = request.headers.get(header);
    if (value === null) return ok(formatIp(current));
    // From the right, lazily: at most MAX_WALK entries of the header are ever read, however long it is.
    let step = 0;
    for (const next of forwardedNodes(value, header)) {
      step++;
      if (next === undefined) break;
      current = next;
      if (step === MAX_WALK || !trusts(current, step)) break;
    }
    return ok(formatIp(current));
  };
}

/** Options for {@link ipNetwork}. */
export interface IpNetworkOptions {
  /** IPv6 addresses are grouped by this prefix (a home or a small site gets a /56 or a /48); default 56. */
  readonly ipv6Prefix?: number;
  /** IPv4 addresses are grouped by this prefix; default 32 (each address alone). */
  readonly ipv4Prefix?: number;
}

/**
 * The key a rate limiter (or any per-client tally) should use for an address: an IPv4 address as it is
 * (or its `ipv4Prefix` range), an IPv6 address as its `ipv6Prefix` range, default /56, since one
 * subscriber gets a whole /64 or more and could otherwise rotate through addresses. IPv4-mapped IPv6 counts
 * as IPv4. `IpAddressInvalid` for text that is not a strictly written address; a bad option throws a
 * `TypeError`.
 *
 * @example
 * ```ts
 * import { ipNetwork } from "@keel/http-security";
 *
 * const a = ipNetwork("2001:db8:1234:5601::1");
 * const b = ipNetwork("2001:db8:1234:56ff:abcd::9");
 * console.assert(a.isOk() && b.isOk() && a.value === b.value && a.value === "2001:db8:1234:5600::/56");
 * console.assert(ipNetwork("::FFFF:192.0.2.1").unwrapOr("") === "192.0.2.1");
 * console.assert(ipNetwork("2001:db8::1", { ipv6Prefix: 64 }).unwrapOr("") === "2001:db8::/64");
 * console.assert(ipNetwork("127.1").isErr()); // obfuscated IPv4 is refused
 * ```
 */
export function ipNetwork(ip: string, options: IpNetworkOptions = {}): Result<string, IpAddressInvalid> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("ipNetwork: options must be an object");
  }
  refuseUnknownKeys("ipNetwork", options, ["ipv6Prefix", "ipv4Prefix"]);
  const { ipv6Prefix = 56, ipv4Prefix = 32 } = options;
  if (!Number.isSafeInteger(ipv6Prefix) || ipv6Prefix < 0 || ipv6Prefix > 128) {
    throw new TypeError("ipNetwork: ipv6Prefix must be a whole number from 0 to 128");
  }
  if (!Number.isSafeInteger(ipv4Prefix) || ipv4Prefix < 0 || ipv4Prefix > 32) {
    throw new TypeError("ipNetwork: ipv4Prefix must be a whole number from 0 to 32");
  }
  const bytes = typeof ip === "string" ? parseIp(ip) : undefined;
  if (bytes === undefined) return err(new IpAddressInvalid());
  const prefix = bytes.length === 4 ? ipv4Prefix : ipv6Prefix;
  const text = formatIp(maskIp(bytes, prefix));
  return ok(prefix === bytes.length * 8 ? text : `${text}/${prefix}`);
}
