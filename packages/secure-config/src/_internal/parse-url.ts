import type { Result } from "@keel/result";
import { err, ok } from "./result.ts";

/** `["postgres:", "POSTGRESQL"]` -> `["postgres", "postgresql"]`: both spellings work (`URL.protocol` has the colon). */
export function normaliseProtocols(protocols: readonly string[] | undefined): readonly string[] | undefined {
  return protocols?.map((protocol) => protocol.toLowerCase().replace(/:$/, ""));
}

/** What `url()` and `secretUrl()` expect, in words. */
function urlExpectation(protocols: readonly string[] | undefined): string {
  return protocols === undefined ? "expected an absolute URL" : `expected a ${protocols.join(" or ")} URL`;
}

/** An absolute URL with one of the schemes (when given), or the reason. */
export function parseUrl(raw: string, protocols: readonly string[] | undefined): Result<URL, string> {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return err(urlExpectation(protocols));
  }
  if (protocols !== undefined && !protocols.includes(parsed.protocol.slice(0, -1))) {
    return err(urlExpectation(protocols));
  }
  return ok(parsed);
}
