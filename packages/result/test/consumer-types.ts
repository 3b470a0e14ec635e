// Type-checked by scripts/consumer-check.ts in a project that installed the packed tarball: importing this
// entry alone types `c.var.requestId` (Hono's ContextVariableMap entry that problemOnError reads).
import { createProblemMapper } from "@keel/result";
import { problemOnError } from "@keel/result/hono";
import { Hono } from "hono";

const app = new Hono();
app.onError(problemOnError(createProblemMapper({ statuses: {} })));
app.get("/", (c) => {
  const id: string = c.var.requestId;
  return c.text(id);
});
