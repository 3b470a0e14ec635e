import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { validator } from "hono/validator";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createResponder,
  problemOnError,
  problemOnNotFound,
  problemResponse,
  resultHandler,
} from "../src/hono.ts";
import {
  createProblemMapper,
  err,
  errAsync,
  ok,
  okAsync,
  TaggedError,
  UnexpectedError,
} from "../src/index.ts";

class NotFound extends TaggedError("NotFound")<{ id: string }> {}

const logged: string[] = [];
class Huge extends TaggedError("Huge")<{ size: bigint; self?: unknown }> {}

const problems = createProblemMapper({
  statuses: { NotFound: { status: 404, expose: ["id"] }, Huge: { status: 413, expose: "all" } },
  onUnexpected: ({ correlationId }) => logged.push(correlationId),
});

/** `got` is the problem `{ type: "about:blank", ...fields }`, of its status, as application/problem+json. */
async function expectProblem(
  got: Response,
  fields: { status: number } & Record<string, unknown>,
): Promise<void> {
  expect(got.status).toBe(fields.status);
  expect(got.headers.get("content-type")).toBe("application/problem+json");
  expect(await got.json()).toEqual({ type: "about:blank", ...fields });
}

const app = new Hono()
  .use(requestId())
  .get(
    "/users/:id",
    resultHandler(problems, (c) => {
      const id = c.req.param("id") ?? "";
      return id === "1" ? ok({ id }) : err(new NotFound({ id }));
    }),
  )
  .post(
    "/users",
    resultHandler(problems, () => okAsync({ id: "2" }), { status: 201 }),
  )
  .get(
    "/async-error",
    resultHandler(problems, async () =>
      errAsync(new UnexpectedError({ cause: new Error("internal: db at 10.0.0.3") })),
    ),
  )
  .get("/huge", (c) => {
    const error = new Huge({ size: 2n ** 70n });
    return createResponder(problems)(c, err(error));
  })
  .delete("/users/1", (c) => createResponder(problems)(c, ok(undefined)))
  .get("/throws", () => {
    throw new Error("stack secret");
  })
  .get("/http-exception", () => {
    throw new HTTPException(418, { message: "teapot" });
  })
  .get("/http-exception-response", () => {
    const res = new Response("log in", { status: 401, headers: { "www-authenticate": 'Basic realm="x"' } });
    throw new HTTPException(401, { res });
  })
  .post(
    "/validated",
    validator("json", (value) => value),
    (c) => c.json(c.req.valid("json")),
  )
  .use("/cors/*", cors({ origin: "https://app.example.com" }))
  .get("/cors/denied", () => {
    throw new HTTPException(403, { message: "no" });
  });
app.onError(problemOnError(problems));

describe("resultHandler()", () => {
  it("sends ok as JSON with the given status", async () => {
    const got = await app.request("/users/1");
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ id: "1" });
    expect((await app.request("/users", { method: "POST" })).status).toBe(201);
  });

  it("sends err as a problem with the path as instance and the request id as correlation id", async () => {
    const got = await app.request("/users/9", { headers: { "x-request-id": "req-9" } });
    await expectProblem(got, {
      title: "Not Found",
      status: 404,
      instance: "/users/9",
      correlationId: "req-9",
      id: "9",
    });
  });

  it("hides an unexpected error behind a generic 500 whose id reaches the logger", async () => {
    logged.length = 0;
    const got = await app.request("/async-error");
    const body = await got.text();
    expect(got.status).toBe(500);
    expect(body).not.toContain("10.0.0.3");
    expect(logged).toEqual([JSON.parse(body).correlationId]);
    expect(got.headers.get("x-request-id")).toBe(JSON.parse(body).correlationId);
  });
});

describe("problemOnError()", () => {
  it("turns a thrown error into a generic 500 without message or stack", async () => {
    const got = await app.request("/throws");
    const body = await got.text();
    expect(got.status).toBe(500);
    expect(body).not.toContain("stack secret");
    expect(JSON.parse(body)).toMatchObject({ title: "Internal Server Error", instance: "/throws" });
  });

  it("turns an HTTPException into a problem of its status, its message as detail", async () => {
    const got = await app.request("/http-exception", { headers: { "x-request-id": "req-teapot" } });
    await expectProblem(got, {
      title: "Error",
      status: 418,
      detail: "teapot",
      instance: "/http-exception",
      correlationId: "req-teapot",
    });
  });

  it("answers malformed JSON refused by Hono's validator as a 400 problem", async () => {
    const got = await app.request("/validated", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{bad",
    });
    expect(got.status).toBe(400);
    expect(await got.json()).toMatchObject({ title: "Bad Request", status: 400, instance: "/validated" });
  });

  it("keeps the response of an HTTPException made with one", async () => {
    const got = await app.request("/http-exception-response");
    expect(got.status).toBe(401);
    expect(got.headers.get("www-authenticate")).toBe('Basic realm="x"');
    expect(await got.text()).toBe("log in");
  });

  it("keeps the headers middleware set before an HTTPException (request id, CORS)", async () => {
    const got = await app.request("/cors/denied", {
      headers: { origin: "https://app.example.com", "x-request-id": "req-cors" },
    });
    expect(got.status).toBe(403);
    expect(got.headers.get("x-request-id")).toBe("req-cors");
    expect(got.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });
});

describe("problemResponse()", () => {
  it("leaves the path out with instance: false, keeping the correlation id", async () => {
    const problems = createProblemMapper({ statuses: { NotFound: 404 } });
    const app = new Hono()
      .use(requestId())
      .get("/t/:tenant/x", (c) =>
        problemResponse(c, problems, new NotFound({ id: "x" }), { instance: false }),
      );
    const got = await app.request("/t/secret-tenant/x", { headers: { "x-request-id": "req-1" } });
    const body = (await got.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, correlationId: "req-1" });
    expect(body.instance).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain("secret-tenant");
  });
});

describe("problemOnNotFound()", () => {
  it("answers an unmatched route with a 404 problem carrying the request id and the headers set before", async () => {
    const app = new Hono()
      .use(requestId())
      .use(cors({ origin: "https://app.example.com" }))
      .get("/", (c) => c.text("home"));
    app.notFound(problemOnNotFound());
    const got = await app.request("/missing?x=1", {
      headers: { origin: "https://app.example.com", "x-request-id": "req-404" },
    });
    expect(got.headers.get("x-request-id")).toBe("req-404");
    expect(got.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    await expectProblem(got, {
      title: "Not Found",
      status: 404,
      instance: "/missing",
      correlationId: "req-404",
    });
  });
});

describe("respond() edge cases", () => {
  it("answers ok(undefined) with 204 and no body", async () => {
    const got = await app.request("/users/1", { method: "DELETE" });
    expect(got.status).toBe(204);
    expect(got.headers.get("content-type")).toBeNull();
    expect(await got.text()).toBe("");
  });

  it("keeps the mapped status when a field is a bigint JSON cannot encode", async () => {
    const got = await app.request("/huge");
    expect(got.status).toBe(413);
    expect(await got.json()).toMatchObject({ size: "1180591620717411303424" });
  });
});

describe("createResponder()", () => {
  const respond = createResponder(problems);
  const typed = new Hono()
    .use(requestId())
    .get("/items/:id", (c) => {
      const id = c.req.param("id");
      expectTypeOf(id).toEqualTypeOf<string>();
      return respond(c, id === "1" ? ok({ id }) : err(new NotFound({ id })));
    })
    .post(
      "/items",
      validator("json", (value) => value as { name: string }),
      (c) => {
        const body = c.req.valid("json");
        expectTypeOf(body).toEqualTypeOf<{ name: string }>();
        return respond(c, okAsync({ name: body.name }), { status: 201 });
      },
    );

  it("keeps the route's types inside a plain handler and answers JSON or a problem", async () => {
    expect(await (await typed.request("/items/1")).json()).toEqual({ id: "1" });
    const missing = await typed.request("/items/7", { headers: { "x-request-id": "req-7" } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ id: "7", instance: "/items/7", correlationId: "req-7" });
    const created = await typed.request("/items", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "a" }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ name: "a" });
  });
});
