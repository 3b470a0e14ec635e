/**
 * @module
 * The routes without an access token, as OpenAPI declarations: sign-up, login, refresh, logout and
 * accepting an invitation.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AcceptInvitation, AccessToken, Login, SignedUp, SignUp } from "../../schemas.ts";
import { json, problemResponses } from "../router.ts";

export const REFRESH_COOKIE = "__Host-refresh";
const tags = ["Auth"];
/** Documents the cookie; the handlers read it themselves. */
const refreshCookie = z.object({ [REFRESH_COOKIE]: z.string().optional() });

export const signUp = createRoute({
  method: "post",
  path: "/auth/signup",
  summary: "Create a workspace (tenant) and its first user, its owner",
  tags,
  request: { body: { ...json(SignUp), required: true } },
  responses: {
    201: { description: "Created", ...json(SignedUp) },
    ...problemResponses(400, 409, 413, 415, 422, 429, 503),
  },
});

export const login = createRoute({
  method: "post",
  path: "/auth/login",
  summary: "Log in: an access token, and the refresh token in the __Host-refresh cookie",
  tags,
  request: { body: { ...json(Login), required: true } },
  responses: {
    200: { description: "Logged in", ...json(AccessToken) },
    ...problemResponses(400, 401, 413, 415, 422, 429, 503),
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  summary: "Exchange the refresh cookie for a new access token and a new refresh cookie",
  tags,
  request: { cookies: refreshCookie },
  responses: {
    200: { description: "Refreshed", ...json(AccessToken) },
    ...problemResponses(401, 403, 429, 503),
  },
});

export const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  summary: "Revoke the refresh cookie's session",
  tags,
  request: { cookies: refreshCookie },
  responses: { 204: { description: "Logged out" }, ...problemResponses(403, 429, 503) },
});

export const acceptInvitation = createRoute({
  method: "post",
  path: "/auth/accept-invitation",
  summary: "Accept an invitation: creates the invited user with their password",
  tags,
  request: { body: { ...json(AcceptInvitation), required: true } },
  responses: {
    201: { description: "Created", ...json(z.object({ userId: z.string() })) },
    ...problemResponses(400, 409, 410, 413, 415, 422, 429, 503),
  },
});
