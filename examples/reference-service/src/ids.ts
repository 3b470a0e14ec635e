/**
 * @module
 * Every id in the service is a `@keel/brand` prefixed UUIDv7 (`prj_01j9...`): the prefix says what it names
 * (a task id is never accepted where a project id is expected, by the type checker and at run time), the
 * UUIDv7 inside makes ids sort by creation time, which is what the cursor pagination orders by.
 */

import { z } from "@hono/zod-openapi";
import { type BrandOf, type BrandType, definePrefixedId } from "@keel/brand";
import { toZod } from "@keel/brand/zod";

export const TenantId = definePrefixedId("TenantId", "tnt");
export type TenantId = BrandOf<typeof TenantId>;
export const UserId = definePrefixedId("UserId", "usr");
export type UserId = BrandOf<typeof UserId>;
export const ProjectId = definePrefixedId("ProjectId", "prj");
export type ProjectId = BrandOf<typeof ProjectId>;
export const TaskId = definePrefixedId("TaskId", "tsk");
export type TaskId = BrandOf<typeof TaskId>;
export const InvitationId = definePrefixedId("InvitationId", "inv");
export type InvitationId = BrandOf<typeof InvitationId>;

const idSchema = <Name extends string, T extends string>(brand: BrandType<Name, T>, prefix: string) =>
  z
    .string()
    .pipe(toZod(brand))
    .openapi({ example: `${prefix}_01kbq3m7v9x2c4d6f8g0h2j4k6`, description: `A ${prefix}_ id (UUIDv7)` });

/** Zod schemas of the ids: a string in the OpenAPI document, the branded type once parsed. */
export const TenantIdSchema = idSchema(TenantId, "tnt");
export const UserIdSchema = idSchema(UserId, "usr");
export const ProjectIdSchema = idSchema(ProjectId, "prj");
export const TaskIdSchema = idSchema(TaskId, "tsk");
