/**
 * @module
 * RFC 6750 section 2.1 `Authorization: Bearer <token68>` parsing, strict: the scheme (any case), exactly
 * one space, a token68 (RFC 9110 section 11.2) and nothing else.
 */

const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * The token of a `Bearer` credentials value; `undefined` when the value uses another scheme (or is absent),
 * `false` when it says Bearer but is malformed (two spaces, a tab, a comma, a second token...).
 */
export function parseBearer(value: string | null | undefined): string | false | undefined {
  if (typeof value !== "string") return undefined;
  const scheme = value.slice(0, 7).toLowerCase();
  if (scheme !== "bearer" && !/^bearer[\s,]/.test(scheme)) return undefined;
  const match = BEARER.exec(value);
  return match === null ? false : (match[1] as string);
}
