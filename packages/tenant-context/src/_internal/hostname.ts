// Host names as the URL parser leaves them: lower case, IDN labels in punycode. A fully qualified name may
// end in one dot ("example.com."), which names the same host.
const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_HOSTNAME_LENGTH = 253;

/** `new URL(text)`, or `undefined` for text that is not a URL. (`URL.parse` needs Node 22.) */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

const withoutTrailingDot = (host: string): string => (host.endsWith(".") ? host.slice(0, -1) : host);

/** A hostname lower-cased, in punycode and without its trailing dot, or `undefined` if it is not one. */
export function normaliseHostname(hostname: string): string | undefined {
  if (/[:/@?#\\\s]/.test(hostname)) return undefined; // a port, a path, userinfo: not a bare name
  const url = parseUrl(`http://${hostname}/`);
  if (url === undefined) return undefined;
  const host = withoutTrailingDot(url.hostname);
  if (host.length === 0 || host.length > MAX_HOSTNAME_LENGTH) return undefined;
  return host.split(".").every((part) => label.test(part)) ? host : undefined;
}

/** The single label in front of `base` in `hostname` (both as the URL parser gives them), if there is one. */
export function subdomainOf(hostname: string, base: string): string | undefined {
  const host = withoutTrailingDot(hostname);
  if (host.length <= base.length + 1 || host.length > MAX_HOSTNAME_LENGTH) return undefined;
  if (!host.endsWith(base) || host[host.length - base.length - 1] !== ".") return undefined;
  const sub = host.slice(0, host.length - base.length - 1);
  return label.test(sub) ? sub : undefined;
}
