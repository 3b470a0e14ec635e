/**
 * Freezes arrays and plain objects all the way down, without recursion (a 10,000-deep JSON value must not
 * overflow the stack). Class instances (URL, Secret, Date) are left alone: freezing them protects nothing
 * (a URL's setters work on internal state).
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!isFreezable(current) || Object.isFrozen(current)) continue;
    Object.freeze(current);
    for (const inner of Object.values(current)) pending.push(inner);
  }
  return value;
}

/**
 * A frozen deep copy of arrays and plain objects (class instances kept as they are): what a default becomes,
 * so that the caller's array stays theirs and the config's cannot be pushed to.
 */
export function frozenCopy<T>(value: T): T {
  if (!isFreezable(value)) return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const copies = new Map<object, unknown>([[value, root]]);
  const pending: [source: object, target: Record<string, unknown>][] = [
    [value, root as Record<string, unknown>],
  ];
  while (pending.length > 0) {
    const [source, target] = pending.pop() as [object, Record<string, unknown>];
    for (const [key, inner] of Object.entries(source)) {
      let copy = isFreezable(inner) ? copies.get(inner) : inner;
      if (copy === undefined && isFreezable(inner)) {
        copy = Array.isArray(inner) ? [] : {};
        copies.set(inner, copy);
        pending.push([inner, copy as Record<string, unknown>]);
      }
      Object.defineProperty(target, key, {
        value: copy,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return deepFreeze(root as T);
}

function isFreezable(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
