/**
 * @module
 * The routes without an access token: `POST /auth/signup`, `/auth/login`, `/auth/refresh`,
 * `/auth/logout` and `/auth/accept-invitation`. Their per-address limits are in `rate-limits.ts`.
 */
import { createRouter } from "../router.ts";
import * as handlers from "./auth.handlers.ts";
import * as routes from "./auth.routes.ts";

export const auth = createRouter()
  .openapi(routes.signUp, handlers.signUp)
  .openapi(routes.login, handlers.login)
  .openapi(routes.refresh, handlers.refresh)
  .openapi(routes.logout, handlers.logout)
  .openapi(routes.acceptInvitation, handlers.acceptInvitation);
