/**
 * @module
 * The task routes, mounted at `/api`: `GET, POST /projects/{projectId}/tasks`, `PATCH /tasks/{taskId}`.
 */
import { createRouter } from "../router.ts";
import * as handlers from "./tasks.handlers.ts";
import * as routes from "./tasks.routes.ts";

export const tasks = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.patch, handlers.patch);
