/**
 * @module
 * The workspace routes, mounted at `/api`: `GET /me`, `POST /invitations`.
 */
import { createRouter } from "../router.ts";
import * as handlers from "./workspace.handlers.ts";
import * as routes from "./workspace.routes.ts";

export const workspace = createRouter()
  .openapi(routes.me, handlers.me)
  .openapi(routes.invite, handlers.invite);
