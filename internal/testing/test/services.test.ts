import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runtime } from "../src/runtime.ts";
import { requireService } from "../src/services.ts";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("requireService()", () => {
  it("finds the real PostgreSQL and Redis of this machine", async () => {
    delete process.env.KEEL_SKIP_SERVICES;
    expect(await requireService("postgres")).toMatchObject({ skip: false });
    expect(await requireService("redis")).toMatchObject({
      skip: false,
      url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    });
  });

  it("fails naming the service and the variable when nothing listens", async () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1";
    await expect(requireService("redis")).rejects.toThrow(
      /Redis is not reachable at 127\.0\.0\.1:1 .*REDIS_URL/,
    );
  });

  // Workers cannot listen on a socket, so there is no impostor server to start there.
  it.skipIf(runtime === "workerd")(
    "fails when the port answers but is not the service (not on workerd: no listening sockets)",
    async () => {
      const impostor = createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
      await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
      const { port } = impostor.address() as { port: number };
      process.env.DATABASE_URL = `postgres://127.0.0.1:${port}/test`;
      await expect(requireService("postgres")).rejects.toThrow(/PostgreSQL .*not as expected.*DATABASE_URL/);
      impostor.close();
    },
  );

  it("skips only when KEEL_SKIP_SERVICES names the service", async () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1";
    process.env.KEEL_SKIP_SERVICES = "postgres";
    await expect(requireService("redis")).rejects.toThrow(/REDIS_URL/);
    process.env.KEEL_SKIP_SERVICES = "redis";
    expect(await requireService("redis")).toMatchObject({ skip: true });
  });
});
