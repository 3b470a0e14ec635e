/**
 * @module
 * The request and response bodies, as Zod schemas: each request body is validated into branded types
 * before a handler runs, and the same schemas generate the OpenAPI 3.1 document.
 */

import { z } from "@hono/zod-openapi";
import { Email } from "@keel/brand";
import { toZod } from "@keel/brand/zod";
import { ProjectIdSchema, TaskIdSchema, TenantIdSchema, UserIdSchema } from "./ids.ts";

const EmailSchema = z.string().max(254).pipe(toZod(Email)).openapi({ example: "ada@example.com" });
// 8 characters is NIST SP 800-63B's floor; the hasher takes at most 1024 bytes of UTF-8.
const Password = z
  .string()
  .min(8)
  .refine((password) => new TextEncoder().encode(password).length <= 1024, "At most 1024 bytes of UTF-8")
  .openapi({ format: "password" });
/** Names and titles: trimmed, never empty, no control characters (PostgreSQL's text refuses NUL). */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^\P{Cc}*$/u, "No control characters");
/** The workspace name users type at login: ASCII checked before lower-casing, so no Unicode folds into it. */
const Workspace = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,38}[A-Za-z0-9]$/, "3 to 40 letters, digits or inner hyphens")
  .toLowerCase()
  .openapi({ example: "acme" });
const Role = z.enum(["owner", "member"]);

export const SignUp = z
  .object({
    workspace: Workspace,
    workspaceName: text(200),
    email: EmailSchema,
    password: Password,
  })
  .openapi("SignUp");
export const Login = z
  .object({ workspace: Workspace, email: EmailSchema, password: Password })
  .openapi("Login");
export const Invite = z.object({ email: EmailSchema, role: Role.default("member") }).openapi("Invite");
export const AcceptInvitation = z
  .object({ token: z.string().max(200), password: Password })
  .openapi("AcceptInvitation");

export const SignedUp = z.object({ tenantId: TenantIdSchema, userId: UserIdSchema }).openapi("SignedUp");
export const AccessToken = z
  .object({ accessToken: z.string(), tokenType: z.literal("Bearer"), expiresIn: z.number().int() })
  .openapi("AccessToken");
export const Invitation = z
  .object({ email: z.string(), role: Role, expiresAt: z.string(), token: z.string() })
  .openapi("Invitation");
export const Me = z
  .object({ userId: UserIdSchema, tenantId: TenantIdSchema, workspace: z.string(), role: Role })
  .openapi("Me");

export const NewProject = z.object({ name: text(200) }).openapi("NewProject");
export const Project = z
  .object({ id: ProjectIdSchema, name: z.string(), createdAt: z.string() })
  .openapi("Project");
export const NewTask = z.object({ title: text(500) }).openapi("NewTask");
export const TaskChange = z
  .object({ title: text(500).optional(), done: z.boolean().optional() })
  .refine(
    (change) => change.title !== undefined || change.done !== undefined,
    "Change the title, done, or both",
  )
  .openapi("TaskChange");
export const Task = z
  .object({
    id: TaskIdSchema,
    projectId: ProjectIdSchema,
    title: z.string(),
    done: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Task");

/** A page of a list: `nextCursor` is the id to pass as `cursor` for the next page, `null` on the last. */
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

/** `?limit=&cursor=`: up to 100 a page, after the row whose id is `cursor`. */
export const pageQuery = <T extends z.ZodType>(cursor: T) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursor.optional(),
  });

/** RFC 9457 problem details, as every error is answered. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .openapi("Problem");
