/**
 * @module
 * A field whose value is a `Secret`, with the strength rules production enforces.
 */
import { type FieldFor, type FieldOptions, field } from "./field.ts";
import { Secret } from "./secret.ts";

/** Options for {@link secret}. */
export interface SecretOptions extends FieldOptions<Secret> {
  /** Shortest value production accepts; default 16. */
  readonly minLength?: number;
  /** Least estimated entropy (bits, from the value's own character frequencies) production accepts; default 64. */
  readonly minEntropyBits?: number;
}

// Values seen in .env.example files, tutorials and docker-compose files. Compared case-insensitively,
// ignoring punctuation, so "Change-Me!" is caught too.
const knownDefaults: ReadonlySet<string> = new Set([
  "changeme",
  "changeit",
  "secret",
  "supersecret",
  "password",
  "passw0rd",
  "default",
  "example",
  "test",
  "testing",
  "dev",
  "development",
  "admin",
  "root",
  "todo",
  "replaceme",
  "yoursecret",
  "yoursecrethere",
  "mysecret",
  "secretkey",
  "keyboardcat",
  "12345678",
  "123456789",
  "1234567890",
  "qwerty",
  "letmein",
  "xxx",
]);

/** Estimated entropy of a string in bits: its length times the Shannon entropy of its characters. */
function entropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * value.length;
}

function weakness(raw: string, minLength: number, minEntropyBits: number): string | undefined {
  if (knownDefaults.has(raw.toLowerCase().replace(/[^a-z0-9]/g, ""))) return "is a well-known default value";
  if (raw.length < minLength) return `is shorter than ${minLength} characters`;
  if (entropyBits(raw) < minEntropyBits) return `has too little entropy (under ${minEntropyBits} bits)`;
  return undefined;
}

/**
 * A secret: the loaded value is a {@link Secret} that never prints. In production it must also be strong:
 * not a well-known default (`changeme`, `secret`, ...), at least `minLength` characters, at least
 * `minEntropyBits` of estimated entropy, and not the same as another secret of the config.
 *
 * @example
 * ```ts
 * import { loadConfig, secret } from "@keel/secure-config";
 * const config = loadConfig({ JWT_SECRET: secret() }, { source: { JWT_SECRET: "dev-only" } });
 * console.assert(String(config.JWT_SECRET) === "[redacted]" && config.JWT_SECRET.reveal() === "dev-only");
 * ```
 */
export function secret<const O extends SecretOptions = Record<never, never>>(
  options?: O,
): FieldFor<Secret, O> {
  const minLength = options?.minLength ?? 16;
  const minEntropyBits = options?.minEntropyBits ?? 64;
  return {
    ...field((raw) => ({ value: new Secret(raw) }), options, true),
    production: (raw) => weakness(raw, minLength, minEntropyBits),
  };
}
