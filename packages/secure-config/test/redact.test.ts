import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, redact, Secret } from "../src/index.ts";

describe("redact()", () => {
  it.each([
    [{ password: "p" }, { password: "[redacted]" }],
    [{ PASSWORD: "p" }, { PASSWORD: "[redacted]" }],
    [
      { api_key: "k", "api-key": "k", apiKey: "k", ApiKey: "k" },
      { api_key: "[redacted]", "api-key": "[redacted]", apiKey: "[redacted]", ApiKey: "[redacted]" },
    ],
    [
      { headers: { authorization: "Bearer t", cookie: "s=1", accept: "*/*" } },
      { headers: { authorization: "[redacted]", cookie: "[redacted]", accept: "*/*" } },
    ],
    [{ list: [{ token: "t" }, { ok: 1 }] }, { list: [{ token: "[redacted]" }, { ok: 1 }] }],
    [{ password: { nested: "object" } }, { password: "[redacted]" }],
    [
      [new Secret("s"), "plain"],
      ["[redacted]", "plain"],
    ],
    ["just a string", "just a string"],
    [null, null],
  ])("%#: redacts %j", (input, expected) => {
    expect(redact(input)).toEqual(expected);
  });

  it.each([
    ["x-api-key", true],
    ["proxy-authorization", true],
    ["x-auth-token", true],
    ["JWT_SECRET", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["dbPassword", true],
    ["newPassword", true],
    ["set-cookie", true],
    ["cacheKey", false],
    ["key", false],
    ["sessionCount", false],
    ["reason", false],
  ])("matches key %j by fragment: %s", (key, hidden) => {
    expect(redact({ [key]: "v" })).toEqual({ [key]: hidden ? "[redacted]" : "v" });
  });

  it("keeps a ConfigError's issue keys readable", () => {
    const issues = [{ key: "DATABASE_URL", reason: "missing" }];
    expect(redact({ issues })).toEqual({ issues });
  });

  it("hides URL passwords and sensitive query parameters, in URL objects and URL strings", () => {
    const url = new URL("postgres://app:hunter2@db.internal:5432/app");
    expect(redact({ db: url })).toEqual({ db: "postgres://app:[redacted]@db.internal:5432/app" });
    expect(redact({ databaseUrl: "postgres://app:hunter2@db/x" })).toEqual({
      databaseUrl: "postgres://app:[redacted]@db/x",
    });
    expect(redact({ link: "https://x.example/cb?token=abc&page=2" })).toEqual({
      link: "https://x.example/cb?token=[redacted]&page=2",
    });
    expect(redact({ site: new URL("https://example.com/a") })).toEqual({ site: "https://example.com/a" });
    expect(redact({ note: "see https://example.com for details" })).toEqual({
      note: "see https://example.com for details",
    });
  });

  it("hides the password of a URL quoted inside text, as drivers' error messages do", () => {
    const cases: [string, string][] = [
      [
        "connect to postgres://app:hunter2@db.internal:5432/app failed",
        "connect to postgres://app:[redacted]@db.internal:5432/app failed",
      ],
      ["redis://:hunter2@cache:6379 refused", "redis://:[redacted]@cache:6379 refused"],
      ["a://u:p@ss@host/x and b://x:y@z", "a://u:[redacted]@host/x and b://x:[redacted]@z"],
      ["only a user: amqp://guest@mq/vhost", "only a user: amqp://guest@mq/vhost"],
      ["a port, no user: see http://host:8080/path", "a port, no user: see http://host:8080/path"],
    ];
    for (const [text, shown] of cases) {
      expect(redact({ note: text }).note).toBe(shown);
      expect(redact(new Error(text)).message).toBe(shown);
    }
  });

  it("never lets a quoted URL's password through, in linear time on hostile text (fast-check)", () => {
    const safe = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
    fc.assert(
      fc.property(fc.string(), safe, safe, fc.string(), (before, user, password, after) => {
        const secret = `Pw${password}`;
        const shown = redact({ note: `${before} postgres://${user}:${secret}@db/x ${after}` }).note;
        expect(shown).toContain(`postgres://${user}:[redacted]@db/x`);
        expect(shown.split(":[redacted]@").join("")).not.toContain(`:${secret}@`);
      }),
      { numRuns: 1000 },
    );
    // A quadratic scan would take minutes on these; each is one pass.
    for (const hostile of ["a://".repeat(250_000), `a://${":".repeat(1_000_000)}`, "a://@".repeat(200_000)]) {
      expect(typeof redact({ note: hostile }).note).toBe("string");
    }
  });

  it("leaves the input untouched", () => {
    const input = { user: { password: "p", name: "ada" }, tags: ["a"] };
    const before = structuredClone(input);
    const output = redact(input);
    expect(input).toEqual(before);
    expect(output.user).not.toBe(input.user);
  });

  it("is cycle-safe and keeps shared (non-cyclic) references", () => {
    const shared = { token: "t", n: 1 };
    const input: Record<string, unknown> = { a: shared, b: shared };
    input.self = input;
    expect(redact(input)).toEqual({
      a: { token: "[redacted]", n: 1 },
      b: { token: "[redacted]", n: 1 },
      self: "[circular]",
    });
  });

  it("keeps Errors readable without leaking their secret fields", () => {
    const error = Object.assign(new Error("login failed"), { password: "p" });
    expect(redact({ error })).toEqual({
      error: { name: "Error", message: "login failed", stack: error.stack, password: "[redacted]" },
    });
  });

  it("keeps an Error's stack, and each cause's, so a log still says where it was thrown", () => {
    const cause = new TypeError("connect ECONNREFUSED 10.0.0.5:5432");
    const error = new Error("query failed", { cause });
    const output = redact({ err: error });
    expect(typeof error.stack).toBe("string");
    expect(output.err).toEqual({
      name: "Error",
      message: "query failed",
      stack: error.stack,
      cause: { name: "TypeError", message: "connect ECONNREFUSED 10.0.0.5:5432", stack: cause.stack },
    });
    // What a logger writes: the stack survives JSON.
    expect(JSON.parse(JSON.stringify(output)).err.stack).toBe(error.stack);
  });

  it("keeps a stack set by hand or by a library as its frames under the error's own first line, and marks an unreadable one", () => {
    const custom = new Error("custom");
    custom.stack = "CustomError: custom\n    at handler (app.ts:1:1)";
    expect(redact(custom)).toEqual({
      name: "Error",
      message: "custom",
      stack: "Error: custom\n    at handler (app.ts:1:1)",
    });
    const enumerable = Object.defineProperty(new Error("e"), "stack", { value: "S", enumerable: true });
    expect(Object.keys(redact(enumerable))).toEqual(["name", "message", "stack"]);
    const throwing = Object.defineProperty(new Error("t"), "stack", {
      get() {
        throw new Error("prepareStackTrace failed");
      },
    });
    expect(redact(throwing)).toEqual({ name: "Error", message: "t", stack: "[unreadable]" });
  });

  it("redacts the message's text in the stack as in the message", () => {
    const error = new Error("postgres://app:hunter2@db.internal:5432/app");
    const copy = redact(error);
    expect(copy.message).toBe("postgres://app:[redacted]@db.internal:5432/app");
    expect(copy.stack).toBe(
      error.stack?.replaceAll(error.message, "postgres://app:[redacted]@db.internal:5432/app"),
    );
    expect(JSON.stringify(redact({ err: error }))).not.toContain("hunter2");
    const censorMessages = createRedactor({ keys: ["message"], censor: "***" });
    const hidden = censorMessages(new Error("user ada@example.com not found"));
    expect(hidden.message).toBe("***");
    expect(hidden.stack).not.toContain("ada@example.com");
    // Only the first line changes: a one-letter message censored does not touch the frames.
    const e = new Error("e");
    expect(censorMessages(e).stack).toBe(e.stack?.replace(/^Error: e\n/, "Error: ***\n"));
  });

  it("keeps only the frames of a stack: a message scrubbed after the fact, or a cause's stack appended to it, never shows", () => {
    const scrubbed = new Error("connect to postgres://app:hunter2@db/app failed");
    scrubbed.message = "connect failed";
    const appended = new Error("query failed");
    appended.stack = `${appended.stack}\nCaused by: Error: password hunter2 refused\n    at connect (db.ts:1:1)`;
    for (const error of [scrubbed, appended]) {
      expect(JSON.stringify(redact({ err: error }))).not.toContain("hunter2");
      const [head, ...frames] = redact(error).stack?.split("\n") ?? [];
      expect(head).toBe(`Error: ${error.message}`);
      expect(frames.length > 0 && frames.every((line) => /^\s+at\s/.test(line))).toBe(true);
    }
  });

  it("stops at maxDepth instead of overflowing the stack", () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100_000; i++) deep = deep.next = {};
    expect(JSON.stringify(createRedactor({ maxDepth: 3 })(root))).toBe(
      '{"next":{"next":{"next":"[too deep]"}}}',
    );
    expect(() => redact(root)).not.toThrow();
  });

  it("treats a __proto__ key as data", () => {
    const input = JSON.parse('{"__proto__": {"token": "t"}}');
    const output = redact(input);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(output, "__proto__")?.value).toEqual({ token: "[redacted]" });
  });

  it("custom keys add to the defaults (token and apiKey stay redacted); replaceDefaultKeys opts out", () => {
    expect(
      createRedactor({ keys: ["email"], censor: "***" })({ email: 1, token: 2, apiKey: 3, ok: 4 }),
    ).toEqual({
      email: "***",
      token: "***",
      apiKey: "***",
      ok: 4,
    });
    expect(createRedactor({ keys: ["ssn"], replaceDefaultKeys: true })({ ssn: 1, password: 2 })).toEqual({
      ssn: "[redacted]",
      password: 2,
    });
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses maxDepth %s at set-up", (maxDepth) => {
    expect(() => createRedactor({ maxDepth })).toThrow(RangeError);
  });

  it("keeps what Headers, Map, URLSearchParams, Set and FormData hold, with their sensitive entries redacted", () => {
    const headers = new Headers({ authorization: "Bearer t", "x-api-key": "k", accept: "*/*" });
    expect(redact({ headers })).toEqual({
      headers: { accept: "*/*", authorization: "[redacted]", "x-api-key": "[redacted]" },
    });
    expect(
      redact({
        m: new Map<unknown, unknown>([
          ["token", "t"],
          ["n", 1],
          [2, { password: "p" }],
        ]),
      }),
    ).toEqual({
      m: { token: "[redacted]", n: 1, "2": { password: "[redacted]" } },
    });
    expect(redact({ q: new URLSearchParams("a=1&a=2&token=t") })).toEqual({
      q: { a: ["1", "2"], token: "[redacted]" },
    });
    expect(redact({ s: new Set([new Secret("x"), "y"]) })).toEqual({ s: ["[redacted]", "y"] });
    const form = new FormData();
    form.append("user", "ada");
    form.append("password", "p");
    expect(redact({ form })).toEqual({ form: { user: "ada", password: "[redacted]" } });
  });

  it("prints what JSON.stringify would for a value with toJSON, redacted", () => {
    const money = { toJSON: () => ({ amount: "12.50", token: "t" }) };
    expect(redact({ money })).toEqual({ money: { amount: "12.50", token: "[redacted]" } });
  });

  it("never throws: a throwing getter, a revoked Proxy or a throwing ownKeys trap is [unreadable] in its place only", () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    const input = {
      kept: "yes",
      get broken(): string {
        throw new Error("getter");
      },
      revoked: proxy,
      trap,
      list: [1, proxy],
    };
    expect(redact(input)).toEqual({
      kept: "yes",
      broken: "[unreadable]",
      revoked: "[unreadable]",
      trap: "[unreadable]",
      list: [1, "[unreadable]"],
    });
    expect(() => redact(proxy)).not.toThrow();
  });

  it("copies 10,000-deep input with maxDepth: Infinity without overflowing the stack", () => {
    let deep: Record<string, unknown> = { token: "t" };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const output = createRedactor({ maxDepth: Number.POSITIVE_INFINITY })(deep) as Record<string, unknown>;
    let node = output;
    for (let i = 0; i < 10_000; i++) node = node.next as Record<string, unknown>;
    expect(node).toEqual({ token: "[redacted]" });
  });

  it("keeps an Error's cause, redacted", () => {
    const error = new Error("outer", { cause: { token: "t", code: 7 } });
    expect(redact({ error })).toMatchObject({
      error: { name: "Error", message: "outer", stack: error.stack, cause: { token: "[redacted]", code: 7 } },
    });
  });

  it("never lets a secret value through, whatever the shape (fast-check)", () => {
    const marker = "S3CR3T-MARKER";
    fc.assert(
      fc.property(
        fc.anything(),
        fc.constantFrom("password", "token", "Authorization", "api_key"),
        (noise, key) => {
          const output = JSON.stringify(redact({ noise, [key]: marker, wrapped: [new Secret(marker)] }));
          expect(output).not.toContain(marker);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
