/**
 * The one error a reader may throw whose message reaches a `ConfigError`: made by Keel (the Deno permission
 * hint), so it is known to hold no value. Anything else a source throws is reported as "could not be read":
 * a getter's or a client library's message may quote a secret.
 */
export class ReadRefusal extends Error {
  override readonly name = "ReadRefusal";
}

/** The reason to report for what a reader threw, without copying any foreign message. */
export function refusalReason(thrown: unknown): string {
  return thrown instanceof ReadRefusal ? thrown.message : "could not be read";
}
