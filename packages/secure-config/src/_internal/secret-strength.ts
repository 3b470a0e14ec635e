// Values seen in .env.example files, tutorials and docker-compose files, compared whole (lower-cased,
// letters and digits only, so "Change-Me!" is caught too).
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

/**
 * Placeholder patterns, matched anywhere in the lower-cased letters and digits: instructions to replace the
 * value ("CHANGE_ME_IN_PRODUCTION", "replace-with-a-real-secret"), "your ... secret" ("your-256-bit-secret"),
 * and words no real key contains. Every fragment is at least 6 letters long or a word pair, so a random key
 * (hex, base64, base64url) matches one by chance with a probability far below one in a billion.
 */
const placeholderPatterns: readonly RegExp[] = [
  /(change|replace|insert|update|rotate)(me|it|this|with|your)/,
  /(enter|put|add|paste|set)your/,
  /your.{0,16}(secret|key|token|password|passphrase)/,
  /(placeholder|example|dummy|sample|insecure|notsecure|notsecret|donotuse|dontuse|fixme|devonly|localonly|notforprod)/,
  /(secret|password|token|key)(goes|here)/,
];

/** Estimated entropy of a string in bits: its length times the Shannon entropy of its characters. */
function entropyBits(value: string): number {
  const counts = new Map<string, number>();
  let length = 0;
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
    length++;
  }
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * length;
}

/** True when the text is one shorter chunk repeated ("changeme-changeme-changeme" -> "changeme..."). */
function isRepetition(text: string): boolean {
  return text.length >= 4 && `${text}${text}`.indexOf(text, 1) < text.length;
}

/** Why production refuses this secret, or undefined when it is strong enough. Never quotes the value. */
export function weakness(raw: string, minLength: number, minEntropyBits: number): string | undefined {
  const letters = raw.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (knownDefaults.has(letters)) return "is a well-known default value";
  if (placeholderPatterns.some((pattern) => pattern.test(letters))) return "looks like a placeholder";
  if (isRepetition(letters)) return "repeats a short pattern";
  if (raw.length < minLength) return `is shorter than ${minLength} characters`;
  if (entropyBits(raw) < minEntropyBits) return `has too little entropy (under ${minEntropyBits} bits)`;
  return undefined;
}
