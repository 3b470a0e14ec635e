/**
 * A string property of a value that may be hostile (a throwing getter, a revoked proxy), or `undefined`.
 * Never throws: what the problem mapper and the serialiser read `_tag` and `message` with.
 */
export function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  try {
    const field = (value as Record<string, unknown>)[key];
    return typeof field === "string" ? field : undefined;
  } catch {
    return undefined;
  }
}
