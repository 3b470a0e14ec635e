import { isSecret } from "../secret.ts";
import { setOwn } from "./own.ts";

/** What a redactor was built with. */
export interface RedactSettings {
  readonly isSensitive: (key: string) => boolean;
  readonly censor: string;
  readonly maxDepth: number;
}

const UNREADABLE = "[unreadable]";
/** What a property read that threw leaves behind, told apart by identity. */
const unreadable: unique symbol = Symbol("unreadable");

type Key = string | number;
type Target = Record<string, unknown> | unknown[];

/** An object being copied: its entries, read up front (each read guarded), and where the copy goes. */
class Frame {
  next = 0;
  readonly source: object;
  readonly target: Target;
  readonly entries: readonly (readonly [Key, unknown])[];
  readonly depth: number;
  constructor(source: object, target: Target, entries: readonly (readonly [Key, unknown])[], depth: number) {
    this.source = source;
    this.target = target;
    this.entries = entries;
    this.depth = depth;
  }
}

function read(object: object, key: PropertyKey): unknown {
  try {
    return (object as Record<PropertyKey, unknown>)[key];
  } catch {
    return unreadable;
  }
}

/** A URL with its password and its sensitive query parameters censored (the censor left readable). */
function censorUrl(url: URL, settings: RedactSettings): string {
  const marker = "keel-redacted-marker";
  const copy = new URL(url.href);
  if (copy.password !== "") copy.password = marker;
  for (const name of new Set(copy.searchParams.keys())) {
    if (settings.isSensitive(name)) copy.searchParams.set(name, marker);
  }
  return copy.href.replaceAll(marker, settings.censor);
}

// Only strings that look like a URL with credentials or a query are parsed: most log strings are not URLs.
// Anchored, with no nested quantifier: linear in the string's length.
const credentialedUrl = /^[a-z][a-z0-9+.-]*:\/\/[^\s]*[@?]/i;

/** Key/value pairs of a Map, Headers, URLSearchParams or FormData; a repeated key collects its values. */
function pairsOf(collection: { entries(): Iterable<readonly [unknown, unknown]> }): [Key, unknown][] {
  const grouped = new Map<string, unknown[]>();
  for (const [key, value] of collection.entries()) {
    const name = typeof key === "string" ? key : String(key);
    const values = grouped.get(name);
    if (values === undefined) grouped.set(name, [value]);
    else values.push(value);
  }
  return [...grouped].map(([name, values]) => [name, values.length === 1 ? values[0] : values]);
}

function isEntryCollection(value: object): value is { entries(): Iterable<readonly [unknown, unknown]> } {
  return (
    value instanceof Map ||
    (typeof (value as { entries?: unknown }).entries === "function" &&
      typeof (value as { get?: unknown }).get === "function" &&
      Symbol.iterator in value)
  );
}

/**
 * Text with the password of every URL in it censored ("connect to postgres://app:pw@db failed"), in one
 * pass: each "://" is followed to the end of its authority (the first "/", "?", "#" or white space), and a
 * ":" before the authority's last "@" starts a password. No regular expression, so no backtracking on
 * hostile text.
 */
function censorPasswordsInText(text: string, censor: string): string {
  let out = "";
  let copiedTo = 0;
  let at = text.indexOf("://");
  while (at !== -1) {
    let end = at + 3;
    let lastAt = -1;
    let colon = -1;
    while (end < text.length && !"/?#".includes(text[end] ?? "") && !/\s/.test(text[end] ?? "")) {
      if (text[end] === "@") lastAt = end;
      else if (text[end] === ":" && colon === -1) colon = end;
      end++;
    }
    if (colon !== -1 && colon < lastAt) {
      out += `${text.slice(copiedTo, colon + 1)}${censor}`;
      copiedTo = lastAt;
    }
    at = text.indexOf("://", end);
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/**
 * A string as a redactor writes it: a URL with credentials or a query censored, and in any other text the
 * password of each URL it quotes.
 */
function redactString(value: string, settings: RedactSettings): string {
  // A whole URL (no white space: text that starts with one is text) loses its sensitive query values too.
  if (credentialedUrl.test(value) && !/\s/.test(value) && URL.canParse(value)) {
    return censorUrl(new URL(value), settings);
  }
  return censorPasswordsInText(value, settings.censor);
}

/**
 * The stack as a redacted copy shows it: the first line rebuilt from the redacted name and message, then
 * the frame lines ("    at ...") only. Anything else a stack holds may hold what redaction hides: the
 * message as it was when the error was made (an app may have scrubbed it since), a cause's stack that a
 * library appended (causes are copied on their own). So it is dropped, not searched.
 */
function redactedStack(stack: string, name: unknown, message: unknown, settings: RedactSettings): string {
  const shown = (key: string, value: unknown): string =>
    typeof value !== "string"
      ? ""
      : settings.isSensitive(key)
        ? settings.censor
        : redactString(value, settings);
  const head = [shown("name", name), shown("message", message)].filter((part) => part !== "").join(": ");
  const frames = stack.split("\n").filter((line) => /^\s+at\s/.test(line));
  return [head, ...frames].join("\n");
}

function errorEntries(error: Error, settings: RedactSettings): [Key, unknown][] {
  const name = read(error, "name");
  const message = read(error, "message");
  const entries: [Key, unknown][] = [
    ["name", name],
    ["message", message],
  ];
  // The stack is what a logged error is for: where it was thrown.
  const stack = read(error, "stack");
  if (typeof stack === "string") entries.push(["stack", redactedStack(stack, name, message, settings)]);
  else if (stack === unreadable) entries.push(["stack", stack]);
  for (const key of Object.keys(error))
    if (key !== "name" && key !== "message" && key !== "stack") entries.push([key, read(error, key)]);
  for (const key of ["cause", "errors"]) {
    if (Object.hasOwn(error, key) && !Object.keys(error).includes(key)) entries.push([key, read(error, key)]);
  }
  return entries;
}

/**
 * A redacted deep copy, built without recursion (any depth, with `maxDepth: Infinity` too) in time linear
 * in the input's size. It never throws: a getter that throws, a revoked Proxy or an iterator that fails
 * gives `"[unreadable]"` in that one place, and the rest is kept.
 */
export function copyRedacted(root: unknown, settings: RedactSettings): unknown {
  const ancestors = new Set<object>();

  /** A finished value, or a Frame whose entries still have to be copied. */
  function start(value: unknown, depth: number, viaJson: boolean): unknown {
    try {
      if (value === unreadable) return UNREADABLE;
      if (typeof value === "string") return redactString(value, settings);
      if (typeof value !== "object" || value === null) return value;
      if (isSecret(value)) return settings.censor;
      if (ancestors.has(value)) return "[circular]";
      if (depth >= settings.maxDepth) return "[too deep]";
      if (value instanceof Date || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value;
      if (value instanceof URL) return censorUrl(value, settings);
      if (Array.isArray(value)) {
        const entries: [Key, unknown][] = [];
        for (let index = 0; index < value.length; index++) entries.push([index, read(value, index)]);
        return new Frame(value, [], entries, depth);
      }
      if (value instanceof Set)
        return new Frame(
          value,
          [],
          [...value].map((item, index) => [index, item]),
          depth,
        );
      if (value instanceof Error) return new Frame(value, {}, errorEntries(value, settings), depth);
      if (isEntryCollection(value)) return new Frame(value, {}, pairsOf(value), depth);
      // What JSON.stringify would print of it (a Decimal, a Temporal value, a class with toJSON), redacted.
      if (!viaJson && typeof (value as { toJSON?: unknown }).toJSON === "function") {
        return start((value as { toJSON(): unknown }).toJSON(), depth, true);
      }
      return new Frame(
        value,
        {},
        Object.keys(value).map((key) => [key, read(value, key)]),
        depth,
      );
    } catch {
      return UNREADABLE;
    }
  }

  const first = start(root, 0, false);
  if (!(first instanceof Frame))
    return first === UNREADABLE && typeof root === "object" && root !== null ? {} : first;
  const stack: Frame[] = [first];
  ancestors.add(first.source);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const entry = frame.entries[frame.next++];
    if (entry === undefined) {
      stack.pop();
      ancestors.delete(frame.source);
      continue;
    }
    const [key, value] = entry;
    const copied =
      typeof key === "string" && settings.isSensitive(key)
        ? settings.censor
        : start(value, frame.depth + 1, false);
    const output = copied instanceof Frame ? copied.target : copied;
    if (Array.isArray(frame.target)) frame.target.push(output);
    else setOwn(frame.target, String(key), output);
    if (copied instanceof Frame) {
      stack.push(copied);
      ancestors.add(copied.source);
    }
  }
  return first.target;
}
