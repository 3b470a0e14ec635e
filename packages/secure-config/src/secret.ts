/**
 * A secret value that prints as `[redacted]` everywhere and comes out only through `reveal()`.
 *
 * @module
 */

// The values live here, not on the instances: nothing on a Secret (no own property, no private field
// that an inspector could show) holds the value, so no printer, serialiser or clone can reach it.
const values = new WeakMap<Secret<unknown>, unknown>();

const REDACTED = "[redacted]";

/**
 * Holds a secret (a password, a token, a key). `String()`, template literals, `JSON.stringify`,
 * `console.log`/`util.inspect` (Node, Bun), `Deno.inspect`, the workerd console, `Object.keys`, spread and
 * `structuredClone` all see `[redacted]` or nothing. The value comes out only through `reveal()`: grep for
 * it to audit every use.
 *
 * @example
 * ```ts
 * import { Secret } from "@keel/secure-config";
 * const key = new Secret("sk_live_123");
 * console.assert(`${key}` === "[redacted]" && JSON.stringify({ key }) === '{"key":"[redacted]"}');
 * console.assert(key.reveal() === "sk_live_123");
 * ```
 */
export class Secret<T = string> {
  /** Wraps `value`. The instance is frozen and holds nothing that prints it. */
  constructor(value: T) {
    defineInspectors();
    values.set(this, value);
    Object.freeze(this);
  }

  /** The secret value. The one way out: keep its uses few and easy to find. */
  reveal(): T {
    return values.get(this) as T;
  }

  /** Always `"[redacted]"`: what `String(secret)` and string concatenation print. */
  toString(): string {
    return REDACTED;
  }

  /** Always `"[redacted]"`: what `JSON.stringify` writes for the secret. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `"[redacted]"`, whatever the hint: template literals, `+` and `==` never see the value. */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

let inspectorsDefined = false;
/**
 * Node and Bun's util.inspect (console.log) and Deno's inspector, on the prototype. Not in the class body,
 * because isolatedDeclarations cannot emit computed `Symbol.for` member names; not at import, so that a
 * bundle that never makes a Secret can drop the class.
 */
function defineInspectors(): void {
  if (inspectorsDefined) return;
  for (const inspector of ["nodejs.util.inspect.custom", "Deno.customInspect"]) {
    Object.defineProperty(Secret.prototype, Symbol.for(inspector), {
      value: () => `Secret(${REDACTED})`,
      writable: false,
      configurable: false,
    });
  }
  // Only once both are in place: a prototype that refuses them fails every construction, not the first.
  inspectorsDefined = true;
}

/**
 * True for a {@link Secret}.
 *
 * @example
 * ```ts
 * import { isSecret, Secret } from "@keel/secure-config";
 * console.assert(isSecret(new Secret("x")) && !isSecret("x"));
 * ```
 */
export function isSecret(value: unknown): value is Secret<unknown> {
  return value instanceof Secret;
}
