import { lateQuery } from "./refusals.ts";

/**
 * A transaction's client as `work` gets it: once `ended()`, calling any of its methods, or of the objects
 * and functions it holds (Drizzle's `tx.query`, `tx.session`, pg's `client.connection`, Kysely's
 * `trx.fn`), throws `lateQuery()`. The driver gives the connection back when the transaction ends, and a
 * query sent on it later would run wherever it is by then. A method that returns its own object (pg's
 * chainable `on`) returns the guarded one. `overrides` replace top-level properties (pg's `release`).
 * What a call returns (a query builder, a nested transaction) is not guarded.
 */
export function endingWith<T>(value: T, ended: () => boolean, overrides: object = {}): T {
  return guard(value, ended, undefined, overrides) as T;
}

function guard(value: unknown, ended: () => boolean, owner: unknown, overrides: object): unknown {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return value;
  const member = (target: object, key: PropertyKey): unknown =>
    Object.hasOwn(overrides, key)
      ? (overrides as Record<PropertyKey, unknown>)[key]
      : endingMember(target, key, ended);
  const guarded: unknown = new Proxy(value, {
    apply(target, self, args) {
      if (ended()) throw lateQuery();
      // Called as a method of a guarded object: on the object itself, so private fields and `this` hold.
      const result: unknown = Reflect.apply(target as never, owner ?? self, args);
      return result === owner && owner !== undefined ? self : result;
    },
    get: (target, key) => member(target, key),
    getOwnPropertyDescriptor: (target, key) => guardedDescriptor(target, key, member),
  });
  return guarded;
}

/**
 * `target`'s own descriptor of `key` with the value `member` gives, so that reading it by reflection
 * (`Object.getOwnPropertyDescriptor`) gets the guarded value too. A frozen one is given as it is, as a
 * proxy must.
 */
export function guardedDescriptor<T extends object>(
  target: T,
  key: PropertyKey,
  member: (target: T, key: PropertyKey) => unknown,
): PropertyDescriptor | undefined {
  const own = Reflect.getOwnPropertyDescriptor(target, key);
  if (own === undefined || !("value" in own) || !own.configurable) return own;
  return { ...own, value: member(target, key) };
}

/** `target[key]`, guarded as `endingWith` guards what it holds. */
export function endingMember(target: object, key: PropertyKey, ended: () => boolean): unknown {
  const property: unknown = Reflect.get(target, key, target);
  // A proxy must give a frozen property as it is (a class's `prototype`, a frozen object's fields).
  const own = Reflect.getOwnPropertyDescriptor(target, key);
  if (own !== undefined && !own.configurable && own.writable === false) return property;
  return guard(property, ended, target, {});
}
