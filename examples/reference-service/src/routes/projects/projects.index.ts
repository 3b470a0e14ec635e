/**
 * @module
 * The project routes, mounted at `/api`: `GET, POST /projects`, `GET /projects/{projectId}`.
 */
import { createRouter } from "../router.ts";
import * as handlers from "./projects.handlers.ts";
import * as routes from "./projects.routes.ts";

export const projects = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne);
