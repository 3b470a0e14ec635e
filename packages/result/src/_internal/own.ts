/**
 * An own property of an options object, never an inherited one: a polluted `Object.prototype` (an
 * `expose: "all"` or `includeInput: true` added to it) must not switch an option on.
 */
export function own<T extends object, K extends keyof T>(options: T | undefined, key: K): T[K] | undefined {
  return options !== undefined && Object.hasOwn(options, key) ? options[key] : undefined;
}
