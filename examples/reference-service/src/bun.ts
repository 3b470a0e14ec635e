/** Bun entry: `npm run start:bun -w examples/reference-service`. */
import { getConnInfo } from "hono/bun";
import { onShutdown } from "./shutdown.ts";
import { banner, startService } from "./start.ts";

// Just what this file uses, so that type-checking needs no @types/bun.
declare const Bun: {
  readonly env: Record<string, string | undefined>;
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: unknown) => Response | Promise<Response>;
  }): { readonly port: number; stop(closeActiveConnections?: boolean): Promise<void> };
};

const service = await startService(Bun.env, { remoteAddress: (c) => getConnInfo(c).remote.address });
const { PORT: port, HOST: hostname } = service.config;
const server = Bun.serve({ port, hostname, fetch: service.app.fetch });
console.log(banner(service, `http://${hostname}:${server.port}`));
onShutdown(service.log, {
  markNotReady: service.markNotReady,
  delayMs: service.config.SHUTDOWN_DELAY_MS,
  // stop() without `true` lets the requests under way finish.
  stopServer: () => server.stop(),
  close: service.close,
});
