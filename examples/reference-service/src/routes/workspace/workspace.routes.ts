/**
 * @module
 * The workspace routes, as OpenAPI declarations: who the caller is, and invitations.
 */
import { createRoute } from "@hono/zod-openapi";
import { Invitation, Invite, Me } from "../../schemas.ts";
import { apiProblems, bearerAuth, bodyProblems, json } from "../router.ts";

const tags = ["Workspace"];

export const me = createRoute({
  method: "get",
  path: "/me",
  summary: "Who the access token is",
  tags,
  security: bearerAuth,
  responses: { 200: { description: "The caller", ...json(Me) }, ...apiProblems },
});

export const invite = createRoute({
  method: "post",
  path: "/invitations",
  summary: "Invite a user to the workspace (owners only); the token is shown once, to send to them",
  tags,
  security: bearerAuth,
  request: { body: { ...json(Invite), required: true } },
  responses: { 201: { description: "Invited", ...json(Invitation) }, ...apiProblems, ...bodyProblems },
});
