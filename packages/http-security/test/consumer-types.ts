// Type-checked by scripts/consumer-check.ts in a project that installed the packed tarball: importing the
// Hono entry alone types `c.var.requestId` (Hono's own ContextVariableMap entry, which requestId() sets),
// also in an app that registers the middleware with a separate use() call.
import { requestId } from "@keel/http-security/hono";
import { Hono } from "hono";

const app = new Hono();
app.use(requestId());
app.get("/", (c) => {
  const id: string = c.var.requestId;
  return c.text(id);
});
