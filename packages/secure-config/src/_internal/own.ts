/**
 * An own property of an options object or a source, never one inherited from a (possibly polluted)
 * `Object.prototype`: `{}.default` or `{}.NODE_ENV` must not appear because some dependency wrote
 * `Object.prototype.default = ...`.
 */
export function own<T extends object, K extends keyof T>(object: T | undefined, key: K): T[K] | undefined {
  return object !== undefined && object !== null && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own, enumerable data property, even for the key `__proto__` (where `object[key] = value` would set the prototype). */
export function setOwn(object: object, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else (object as Record<string, unknown>)[key] = value;
}
