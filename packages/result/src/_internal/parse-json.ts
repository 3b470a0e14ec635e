/** JSON text to data, or `undefined` for text that is not JSON. The parser's message quotes the input, so it is never kept. */
export function parseJson(text: unknown): { readonly data: unknown } | undefined {
  if (typeof text !== "string") return undefined;
  try {
    return { data: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
