/**
 * A Standard Schema's issues as a value-free reason: the validator's own message (so a user learns what was
 * expected), with every value it quotes replaced by `[redacted]`, and a path that prints only the names the
 * schema declares, never a key that came from the data (a `z.record` key may be a token).
 */
import type { ValidationIssue } from "@keel/result";
import type { StandardSchemaV1 } from "@standard-schema/spec";

const REDACTED = "[redacted]";
/** Issues listed in one reason; the rest are counted. */
const MAX_LISTED = 3;
/** Inputs quoted by a validator are looked for; past this many collected values, the message is dropped instead. */
const MAX_VALUES = 10_000;

type JsonSchemaNode = Readonly<Record<string, unknown>>;

/**
 * The reason for a refused value. `input` is what the schema saw (the raw string, or the parsed JSON):
 * every string, number and key in it is a value that must not be printed.
 */
export function schemaReason(
  schema: StandardSchemaV1,
  issues: readonly ValidationIssue[],
  raw: string,
  input: unknown,
): string {
  const values = collectValues(raw, input, declaredNames(schema));
  const listed = issues.slice(0, MAX_LISTED).map((issue) => {
    const message = values === undefined ? "refused by the schema" : scrub(issue.message, values);
    const path = renderPath(schema, issue.path);
    return path === "" ? message : `${path}: ${message}`;
  });
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : "";
  return `${listed.join("; ")}${more}`;
}

/** Every text a validator could quote from the input, longest first; undefined when there are too many to check. */
function collectValues(raw: string, input: unknown, declared: ReadonlySet<string>): string[] | undefined {
  const found = new Set<string>([raw, raw.trim()]);
  const pending: unknown[] = [input];
  while (pending.length > 0) {
    if (found.size > MAX_VALUES) return undefined;
    const current = pending.pop();
    if (typeof current === "string") found.add(current).add(current.trim());
    else if (typeof current === "number" || typeof current === "bigint" || typeof current === "boolean") {
      found.add(String(current));
    } else if (typeof current === "object" && current !== null) {
      for (const [key, inner] of Object.entries(current)) {
        // A key the schema declares ("limit") is the schema's word, not the data's; any other key is data.
        if (!Array.isArray(current) && !declared.has(key)) found.add(key);
        pending.push(inner);
      }
    }
  }
  found.delete("");
  return [...found].sort((a, b) => b.length - a.length);
}

const isWordChar = (char: string | undefined): boolean => char !== undefined && /[\p{L}\p{N}_]/u.test(char);

/**
 * The message with each value replaced where it stands alone (not inside a longer word): quoted
 * (`"sk_live_1"`, `'mars'`), after a colon (`received: 70000`), anywhere a token boundary surrounds it.
 * A short value inside a word ("e" in "expected") is not a quote of the input and is kept.
 */
function scrub(message: string, values: readonly string[]): string {
  let text = message;
  for (const value of values) {
    if (value.length > text.length) continue;
    let from = 0;
    let at = text.indexOf(value, from);
    while (at !== -1) {
      const before = text[at - 1];
      const after = text[at + value.length];
      // A value that is itself a word part needs word boundaries; one that starts or ends with a symbol does not.
      const standsAlone =
        (!isWordChar(value[0]) || !isWordChar(before)) && (!isWordChar(value.at(-1)) || !isWordChar(after));
      if (standsAlone) {
        text = text.slice(0, at) + REDACTED + text.slice(at + value.length);
        from = at + REDACTED.length;
      } else from = at + 1;
      at = text.indexOf(value, from);
    }
  }
  return text;
}

/** Every property name the schema's JSON Schema declares, at any depth. */
function declaredNames(schema: StandardSchemaV1): ReadonlySet<string> {
  const names = new Set<string>();
  const pending: unknown[] = [jsonSchemaOf(schema)];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== "object" || node === null) continue;
    const properties = (node as JsonSchemaNode).properties;
    if (!Array.isArray(node) && typeof properties === "object" && properties !== null) {
      for (const name of Object.keys(properties)) names.add(name);
    }
    for (const inner of Object.values(node)) pending.push(inner);
  }
  return names;
}

const jsonSchemas = new WeakMap<object, JsonSchemaNode | null>();

/** The schema's JSON Schema of its input, when it offers one (Standard JSON Schema: Zod 4, ArkType, ...). */
function jsonSchemaOf(schema: StandardSchemaV1): JsonSchemaNode | undefined {
  let known = jsonSchemas.get(schema);
  if (known === undefined) {
    known = null;
    try {
      const converter = (schema["~standard"] as { jsonSchema?: { input?: (options: object) => unknown } })
        .jsonSchema;
      const converted = converter?.input?.({ target: "draft-2020-12" });
      if (typeof converted === "object" && converted !== null) known = converted as JsonSchemaNode;
    } catch {
      // A schema that cannot describe itself (a transform, a custom check): its keys print as "*".
    }
    jsonSchemas.set(schema, known);
  }
  return known ?? undefined;
}

/**
 * `limits.tenants.*.rps`: array indexes and the property names the schema declares; any other key came
 * from the data (a record key, an unknown key) and prints as `*`. Without a JSON Schema every key is `*`.
 */
function renderPath(schema: StandardSchemaV1, path: readonly (string | number)[]): string {
  if (path.length === 0) return "";
  let node = path.some((segment) => typeof segment === "string") ? jsonSchemaOf(schema) : undefined;
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === "number") {
      parts.push(String(segment));
      node = child(node, "items");
      continue;
    }
    const declared = declaredProperty(node, segment);
    parts.push(declared === undefined ? "*" : segment);
    node = declared ?? child(node, "additionalProperties");
  }
  return parts.join(".");
}

function child(node: JsonSchemaNode | undefined, key: string): JsonSchemaNode | undefined {
  const value = node !== undefined && Object.hasOwn(node, key) ? node[key] : undefined;
  return typeof value === "object" && value !== null ? (value as JsonSchemaNode) : undefined;
}

/** The subschema of a declared property, looking into `anyOf`/`oneOf`/`allOf` branches one level deep. */
function declaredProperty(node: JsonSchemaNode | undefined, name: string): JsonSchemaNode | undefined {
  if (node === undefined) return undefined;
  const direct = child(child(node, "properties"), name);
  if (direct !== undefined) return direct;
  for (const combinator of ["anyOf", "oneOf", "allOf"]) {
    const branches = Object.hasOwn(node, combinator) ? node[combinator] : undefined;
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      const found = child(child(branch as JsonSchemaNode, "properties"), name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
