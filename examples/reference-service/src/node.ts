/**
 * Node entry: `npm start` at the repo root. PGlite in process and memory rate limits unless DATABASE_URL
 * and REDIS_URL are set; `OTEL_TRACES_EXPORTER=console` prints the spans.
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
