/**
 * Node entry: `npm start` at the repo root runs it (scripts/start.ts checks the port and builds first).
 * PGlite in process and memory rate limits unless DATABASE_URL and REDIS_URL are set;
 * `OTEL_TRACES_EXPORTER=console` prints the spans.
 */
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { onShutdown } from "./shutdown.ts";
import { banner, startService } from "./start.ts";
import { registerConsoleTracing } from "./telemetry-console.ts";

const stopTracing = process.env.OTEL_TRACES_EXPORTER === "console" ? registerConsoleTracing() : undefined;
const service = await startService(process.env, { remoteAddress: (c) => getConnInfo(c).remote.address });
const { PORT: port, HOST: hostname } = service.config;

const server = serve({ fetch: service.app.fetch, port, hostname }, (info) => {
  console.log(banner(service, `http://${hostname}:${info.port}`));
});
// A port taken (by another process, or between `npm start`'s check and now) is one log line and exit 1,
// not an unhandled 'error' event's stack.
server.once("error", async (error: NodeJS.ErrnoException) => {
  const reason =
    error.code === "EADDRINUSE"
      ? `port ${port} is in use on ${hostname}: stop what listens there, or set PORT`
      : `cannot listen on ${hostname}:${port}: ${error.code ?? error.message}`;
  service.log.error(reason);
  await service.close().catch(() => {});
  process.exit(1);
});
onShutdown(service.log, {
  markNotReady: service.markNotReady,
  delayMs: service.config.SHUTDOWN_DELAY_MS,
  // close() stops accepting, closes idle keep-alive connections, and calls back when the last request ended.
  stopServer: () =>
    new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  close: async () => {
    await service.close();
    await stopTracing?.();
  },
});
