/**
 * @module
 * Health checks, outside the OpenAPI document: `GET /healthz` answers while the process serves; `GET
 * /readyz` while it should get traffic (the database and the rate-limit store answer, and shutdown has not
 * begun), else a 503 problem, so that the load balancer sends requests elsewhere.
 */
import { NotReady } from "../../problems.ts";
import { createRouter } from "../router.ts";

export const health = createRouter()
  .get("/healthz", (c) => c.json({ status: "ok" }))
  .get("/readyz", async (c) => {
    const { ready, log } = c.var.services;
    try {
      await ready();
    } catch (error) {
      log.warn("not ready", { error });
      throw new NotReady({ cause: error });
    }
    return c.json({ status: "ready" });
  });
