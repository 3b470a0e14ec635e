import type { AsyncProvider } from "../load-config-async.ts";

/** The largest delay `setTimeout` keeps: a larger one (or Infinity) overflows and fires at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A provider's value, or the reason it failed. Never its error's message: client libraries quote tokens. */
export type ProviderOutcome = { readonly value: unknown } | { readonly reason: string };

// Told apart by identity, so no provider error (whatever its message says) can pass as the timeout.
const timedOut = Symbol("timed out");

/** Runs one provider against a timeout; never rejects. */
export async function settleProvider(provider: AsyncProvider, timeoutMs: number): Promise<ProviderOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), timeoutMs);
  });
  try {
    const value = await Promise.race([provider(), timeout]);
    if (value === timedOut) return { reason: `its provider did not answer within ${timeoutMs} ms` };
    return { value };
  } catch {
    return { reason: "its provider failed" };
  } finally {
    clearTimeout(timer);
  }
}
