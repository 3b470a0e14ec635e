/**
 * Set-up checks shared by every factory of the package: a wrong option is a programmer error, thrown once at
 * set-up as a `TypeError` that names the factory and the option (never the value: it may be a secret).
 *
 * @module
 */

/** Throws `TypeError("<where>: <option> <reason>")`. */
export function optionError(where: string, option: string, reason: string): never {
  throw new TypeError(`${where}: ${option} ${reason}`);
}

/** The `fail(option, reason)` of one factory. */
export const optionChecker =
  (where: string) =>
  (option: string, reason: string): never =>
    optionError(where, option, reason);

/** `value` when it is a whole number from `min` to `max`; else throws naming the option. */
export function checkWhole(where: string, option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    optionError(where, option, `must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

/**
 * Throws `TypeError("<where>: unknown option <key> (did you mean <closest>?)")` for an own key of `options`
 * that is not in `known`; TypeScript catches a misspelt key, a JavaScript caller or a config file does not.
 * `path` names a nested object (`"contentSecurityPolicy"`: keys read `contentSecurityPolicy.nonse`).
 * `options` that is not an object throws too; `undefined` is no options. Keys whose value is `undefined`
 * are still refused: `{ credentails: undefined }` is a typo all the same.
 */
export function refuseUnknownKeys(
  where: string,
  options: unknown,
  known: readonly string[],
  path = "",
): void {
  if (options === undefined) return;
  const prefix = path === "" ? "" : `${path}.`;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    optionError(where, path === "" ? "options" : path, "must be an object");
  }
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key === "string" && known.includes(key)) continue;
    const name = `${prefix}${String(key)}`;
    const closest = closestName(String(key), known);
    optionError(
      where,
      "unknown option",
      closest === undefined ? name : `${name} (did you mean ${prefix}${closest}?)`,
    );
  }
}

/** The known name nearest to `name` by edit distance, when near enough to be a typo of it. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  const lower = name.toLowerCase();
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    // A shortened or lengthened name (maxLen, allowHeader) is a typo of it, however many letters it lacks.
    const prefix = lower.length >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    const distance = prefix ? 1 : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with transpositions counted as one edit; names are short, so O(n·m) is fine. */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        (rows[0] as number[]).push(j);
        continue;
      }
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
