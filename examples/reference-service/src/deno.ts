/** Deno entry: `npm run start:deno -w examples/reference-service`. */
import { getConnInfo } from "hono/deno";
import { onShutdown } from "./shutdown.ts";
import { banner, startService } from "./start.ts";

// Just what this file uses, so that type-checking needs no Deno types.
declare const Deno: {
  readonly env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
};

const service = await startService(Deno.env.toObject(), {
  remoteAddress: (c) => getConnInfo(c).remote.address,
});
const { PORT: port, HOST: hostname } = service.config;
const server = Deno.serve(
  { port, hostname, onListen: () => console.log(banner(service, `http://${hostname}:${port}`)) },
  service.app.fetch,
);
onShutdown(service.log, {
  markNotReady: service.markNotReady,
  delayMs: service.config.SHUTDOWN_DELAY_MS,
  // shutdown() stops listening and resolves once the requests under way finished.
  stopServer: () => server.shutdown(),
  close: service.close,
});
