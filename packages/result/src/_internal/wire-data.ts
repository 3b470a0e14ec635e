import { defineField } from "./define-field.ts";

/**
 * Field names that carry internals (a rejected value, another error, a stack) and so never reach a client
 * or the wire, at any depth: dropped from every object a problem body or a serialised error contains.
 */
export const internalFields: ReadonlySet<string> = new Set(["input", "primary", "cause", "stack"]);

// Bounds on the walk: the stack depth, and the total number of values visited, so that neither a deep value
// nor a wide or shared one (a graph whose nodes are reached by many paths) costs more than a few milliseconds.
const MAX_DEPTH = 32;
const MAX_VALUES = 10_000;

interface Walk {
  /** The objects on the current path, to leave cycles out. */
  readonly path: object[];
  /** How many more values may be visited. */
  budget: number;
}

/**
 * A copy of `value` that `JSON.stringify` always encodes and that holds no internal field: internal
 * fields dropped at every depth, a `bigint` as its decimal string, non-finite numbers as `null`, and
 * cycles, functions, symbols, throwing getters, throwing proxies, anything past 32 levels and anything past
 * the first 10,000 values left out (`undefined`, or `null` inside an array, as JSON does). Never throws.
 */
export function toWireData(value: unknown, walk: Walk = { path: [], budget: MAX_VALUES }): unknown {
  if (walk.budget <= 0) return undefined;
  walk.budget--;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "object":
      if (value === null) return null;
      if (walk.path.length >= MAX_DEPTH || walk.path.includes(value)) return undefined;
      try {
        walk.path.push(value);
        return wireObject(value, walk);
      } catch {
        return undefined;
      } finally {
        walk.path.pop();
      }
    default:
      return undefined;
  }
}

function wireObject(value: object, walk: Walk): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return toWireData(toJSON.call(value), walk);
  if (!Array.isArray(value)) return wireFields(value, walk);
  const items: unknown[] = [];
  // Bounded by the budget, not the length: a sparse array may claim 2^32 - 1 slots.
  for (let index = 0; index < value.length && walk.budget > 0; index++) {
    items.push(toWireData(value[index], walk) ?? null);
  }
  return items;
}

/**
 * The own enumerable fields of `value` (all, or only `keys`) that may leave the process, each made
 * wire-safe. Never throws: a proxy whose traps throw gives no fields.
 */
export function wireFields(
  value: object,
  walk: Walk = { path: [], budget: MAX_VALUES },
  keys?: Iterable<string>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  try {
    for (const key of keys ?? Object.keys(value)) {
      if (internalFields.has(key) || !Object.prototype.propertyIsEnumerable.call(value, key)) continue;
      let field: unknown;
      try {
        field = (value as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      const wire = toWireData(field, walk);
      if (wire !== undefined) defineField(copy, key, wire);
    }
  } catch {
    // Object.keys or propertyIsEnumerable threw (a proxy): keep what was copied so far.
  }
  return copy;
}
