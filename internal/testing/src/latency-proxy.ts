// A TCP proxy on 127.0.0.1 between a client and a server (PostgreSQL, Redis) that delays every chunk by a
// fixed time each way, as a network between a service and its database would, and counts round trips: each
// burst the client sends after the proxy last delivered it something is one flight. The tenant transaction
// bench and the reference service's load measure through it, and the tests count flights and statements per
// transaction through it (counts, never times).
import { connect, createServer, type Socket } from "node:net";

export interface LatencyProxy {
  /** The port the proxy listens on, on 127.0.0.1. */
  readonly port: number;
  /** Client-to-server flights so far, over every connection: bursts sent after the client last received data. */
  readonly flights: number;
  /** PostgreSQL statements the clients sent so far: simple queries ('Q') and executions of a portal ('E'). */
  readonly statements: number;
  /** `url` (a `postgres://` or `redis://` URL) pointed at the proxy instead. */
  via(url: string): string;
  close(): Promise<void>;
}

export interface LatencyProxyOptions {
  /** Where the server listens. */
  readonly target: { readonly host: string; readonly port: number };
  /** The delay of each chunk, each way, in milliseconds (0: none, still counting). */
  readonly delayMs: number;
  /** Whether the server is PostgreSQL, whose statements are counted; defaults to true. */
  readonly postgres?: boolean;
}

/** Forwards `from`'s chunks to `to` after `delayMs`, in order: each timer sends the oldest waiting chunk. */
function pipeDelayed(from: Socket, to: Socket, delayMs: number, onDelivered: () => void): void {
  const waiting: Buffer[] = [];
  const deliver = () => {
    const chunk = waiting.shift();
    if (chunk === undefined || to.destroyed) return;
    to.write(chunk);
    onDelivered();
  };
  from.on("data", (chunk: Buffer) => {
    waiting.push(chunk);
    if (delayMs === 0) deliver();
    else setTimeout(deliver, delayMs);
  });
  // Close after what is still waiting has gone out.
  from.on("end", () => setTimeout(() => to.end(), delayMs + 1));
  from.on("error", () => to.destroy());
  from.on("close", () => setTimeout(() => to.destroy(), delayMs + 1));
}

/**
 * Counts the statements in the client's messages: each is a type byte and a length that counts itself;
 * the first message of a connection (the start-up) has no type byte. Plain connections only (no TLS).
 */
function statementCounter(count: () => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const header = started ? 5 : 4;
      if (pending.length < header) return;
      const length = started ? pending.readUInt32BE(1) + 1 : pending.readUInt32BE(0);
      if (pending.length < length) return;
      // 8 bytes of SSLRequest or GSSENCRequest, answered with one byte: the start-up message is still to come.
      const negotiation = !started && length === 8;
      if (started && (pending[0] === 0x51 || pending[0] === 0x45)) count(); // 'Q', 'E'
      if (!negotiation) started = true;
      pending = pending.subarray(length);
    }
  };
}

/** Starts a latency proxy; `close()` it at the end. */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  let flights = 0;
  let statements = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(options.target.port, options.target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    // A new flight starts when the client sends after it was answered (or first): the client waited.
    let answered = true;
    const countStatements = options.postgres === false ? () => {} : statementCounter(() => statements++);
    client.on("data", (chunk: Buffer) => {
      if (answered) flights++;
      answered = false;
      countStatements(chunk);
    });
    pipeDelayed(client, upstream, options.delayMs, () => {});
    pipeDelayed(upstream, client, options.delayMs, () => {
      answered = true;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no TCP port");
  const port = address.port;
  return {
    port,
    get flights() {
      return flights;
    },
    get statements() {
      return statements;
    },
    via(url) {
      const proxied = new URL(url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(port);
      return proxied.href;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
