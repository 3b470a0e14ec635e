/**
 * @module
 * Graceful shutdown on SIGTERM (what orchestrators send) and SIGINT (Ctrl-C): `/readyz` turns 503 at once
 * and requests are still served for `delayMs` (so the load balancer stops sending first), then the listener
 * closes and the requests under way finish, then the pools close, then the process exits 0. A second
 * signal, or 10 s more than the delay, exits 1 at once.
 */
import process from "node:process";
import type { Logger } from "./logger.ts";

const GRACE_MS = 10_000;

/** The steps of a shutdown, in order. */
export interface ShutdownSteps {
  /** Makes `/readyz` answer 503. */
  readonly markNotReady: () => void;
  /** How long to keep serving after that. */
  readonly delayMs: number;
  /** Stops taking connections; resolves once the requests under way have been answered. */
  readonly stopServer: () => Promise<void>;
  /** Closes the database pool and the Redis connection. */
  readonly close: () => Promise<void>;
}

export function onShutdown(log: Logger, steps: ShutdownSteps): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info("shutting down", { signal, delayMs: steps.delayMs });
    setTimeout(() => {
      log.error("shutdown took too long: exiting");
      process.exit(1);
    }, steps.delayMs + GRACE_MS).unref?.();
    try {
      steps.markNotReady();
      await new Promise((resolve) => setTimeout(resolve, steps.delayMs));
      await steps.stopServer();
      await steps.close();
      log.info("shutdown complete");
      process.exit(0);
    } catch (error) {
      log.error("shutdown failed", { error });
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
