// Production's strength rules for `secret()`. Every rule reads the value folded the same way: compatibility
// forms and accents removed (NFKD: full-width "ｐａｓｓ" is "pass", "pässwörd" is "password"), lower case, and
// only letters and digits kept, so case, separators ("pass-word_1.2"), punctuation and invisible characters
// (U+200B) change nothing.

// Values seen in .env.example files, tutorials and docker-compose files, compared whole.
const knownDefaults: ReadonlySet<string> = /* @__PURE__ */ new Set([
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
 * Placeholder patterns, matched anywhere in the folded value: instructions to replace the value
 * ("CHANGE_ME_IN_PRODUCTION", "replace-with-a-real-secret"), "your ... secret" ("your-256-bit-secret"),
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

// Words people put in a secret they type by hand (common passwords, the names of the thing, filler). A value
// is refused when these words and runs such as "1234" and "qwer" make up at least half of it and what is
// left has too little entropy: "password1234567890" and "qwerty1234567890ab" are refused; a random key that
// happens to contain "key" or "abcd" is not (chance matches take well under half of it, and the rest is
// still random).
const commonWords: readonly string[] = [
  "password",
  "passwd",
  "pass",
  "admin",
  "administrator",
  "root",
  "user",
  "guest",
  "login",
  "master",
  "welcome",
  "letmein",
  "iloveyou",
  "monkey",
  "dragon",
  "sunshine",
  "princess",
  "football",
  "baseball",
  "trustno",
  "hello",
  "secret",
  "supersecret",
  "private",
  "token",
  "apikey",
  "api",
  "key",
  "jwt",
  "session",
  "cookie",
  "auth",
  "change",
  "changeme",
  "default",
  "test",
  "testing",
  "demo",
  "dev",
  "development",
  "staging",
  "prod",
  "production",
  "local",
  "example",
  "sample",
  "temp",
  "todo",
  "foo",
  "bar",
  "baz",
  "abc",
  "xyz",
  "qwerty",
  "azerty",
  "asdf",
  "zxcv",
  "keyboard",
  "cat",
  "app",
  "your",
  "the",
  "new",
  "and",
];
// Neighbours: letters and digits in order, keyboard rows; either direction. A run of 3+ neighbours
// ("abcd", "4321", "qwer", "asdf") or of one character repeated ("aaaa") is a sequence.
const rows = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

interface Lookups {
  readonly wordsByLength: ReadonlyMap<number, ReadonlySet<string>>;
  /** The lengths of the common words, longest first. */
  readonly wordLengths: readonly number[];
  /** Each ordered pair of neighbours ("ab", "ba", "qw"...). */
  readonly neighbours: ReadonlySet<string>;
}

// Built on first use, not at import: a bundle that never checks a secret's strength (loadConfig without
// secret()) then drops the word list and these tables.
let lookups: Lookups | undefined;
function lookupsOnce(): Lookups {
  if (lookups !== undefined) return lookups;
  const wordsByLength = new Map<number, Set<string>>();
  for (const word of commonWords) {
    const same = wordsByLength.get(word.length) ?? new Set<string>();
    same.add(word);
    wordsByLength.set(word.length, same);
  }
  const neighbours = new Set<string>();
  for (const row of rows) {
    for (let i = 1; i < row.length; i++) {
      neighbours.add(`${row[i - 1]}${row[i]}`);
      neighbours.add(`${row[i]}${row[i - 1]}`);
    }
  }
  lookups = { wordsByLength, wordLengths: [...wordsByLength.keys()].sort((a, b) => b - a), neighbours };
  return lookups;
}

// Leetspeak read back as letters: "p@ssw0rd" is "password". Applied before the fold (it maps symbols too).
const leet: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
};

/** The value as the rules read it: NFKD without marks, lower case, letters and digits only. */
function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/**
 * The value with common words (and, when `sequences`, runs of 4+ neighbours) taken out. Each position is
 * looked at a bounded number of times: linear in the value's length.
 */
function withoutCommonParts(text: string, sequences: boolean): string {
  let rest = "";
  let i = 0;
  while (i < text.length) {
    let end = i + 1;
    while (sequences && end < text.length && isNeighbour(text[end - 1] ?? "", text[end] ?? "")) end++;
    if (end - i >= 4) {
      i = end;
      continue;
    }
    const word = wordAt(text, i);
    if (word > 0) {
      i += word;
      continue;
    }
    rest += text[i];
    i++;
  }
  return rest;
}

function isNeighbour(before: string, after: string): boolean {
  return before === after || lookupsOnce().neighbours.has(`${before}${after}`);
}

/** The length of the longest common word starting at `start`, or 0. */
function wordAt(text: string, start: number): number {
  const { wordLengths, wordsByLength } = lookupsOnce();
  for (const length of wordLengths) {
    if (wordsByLength.get(length)?.has(text.slice(start, start + length))) return length;
  }
  return 0;
}

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

/** The number of characters (code points, not UTF-16 units: an emoji is one). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Why production refuses this secret, or undefined when it is strong enough. Never quotes the value.
 * `minLength` is production's own minimum (16 unless the field sets one; a field's `minLength` is checked in
 * every environment before this runs).
 */
export function productionWeakness(
  raw: string,
  minLength: number,
  minEntropyBits: number,
): string | undefined {
  const plain = fold(raw);
  const readable = fold(raw.replace(/[013457@$!]/g, (char) => leet[char] ?? char));
  if (knownDefaults.has(plain) || knownDefaults.has(readable)) return "is a well-known default value";
  if (placeholderPatterns.some((pattern) => pattern.test(plain) || pattern.test(readable))) {
    return "looks like a placeholder";
  }
  if (isRepetition(plain)) return "repeats a short pattern";
  for (const [folded, sequences] of [
    [plain, true],
    [readable, false],
  ] as const) {
    // Mostly common parts, and too little left: random keys lose well under half to chance matches.
    const rest = withoutCommonParts(folded, sequences);
    if (folded !== "" && rest.length * 2 <= folded.length && entropyBits(rest) < minEntropyBits) {
      return "is made of common words or sequences";
    }
  }
  if (characterCount(raw) < minLength) return `is shorter than ${minLength} characters`;
  if (entropyBits(raw) < minEntropyBits) return `has too little entropy (under ${minEntropyBits} bits)`;
  return undefined;
}
