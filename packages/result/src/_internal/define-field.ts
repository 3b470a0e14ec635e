/**
 * Sets an own, enumerable data property. Not plain assignment: a "__proto__" key (from parsed JSON or a
 * hostile field name) must stay data and never become the object's prototype.
 */
export function defineField(target: object, key: PropertyKey, value: unknown, writable = true): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable, configurable: writable });
}
