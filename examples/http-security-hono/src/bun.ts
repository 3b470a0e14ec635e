/** Bun entry: `npm run start:bun -w examples/http-security-hono` from the repo root (the repo's own Bun). */
import app from "./app.ts";

// Just what this file uses, so that type-checking needs no @types/bun.
declare const Bun: {
  readonly env: Readonly<Record<string, string | undefined>>;
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): {
    readonly port: number;
  };
};

const server = Bun.serve({ port: Number(Bun.env.PORT ?? 3000), hostname: "127.0.0.1", fetch: app.fetch });
console.log(`listening on http://127.0.0.1:${server.port}`);
