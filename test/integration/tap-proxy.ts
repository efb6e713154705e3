/**
 * A TCP relay on 127.0.0.1 in front of a real server that lets a test act at a chosen point of a conversation:
 * it passes bytes both ways untouched (TLS, certificate checks and AUTH stay end to end) and, before or after
 * passing each chunk, asks `at` what to do. Behind TLS it cannot read the commands, but it sees the conversation's
 * shape: the client's short turns (each answered before the next), then the message streaming in large chunks.
 * `stop()` plays the server's death: every connection is cut and nothing listens on the port any more.
 */
import { connect, createServer, type Socket } from "node:net";

export interface TapEvent {
  /** Who sent the chunk. */
  from: "client" | "server";
  /** The chunk's number in the connection, counted per direction from 0. */
  index: number;
  bytes: number;
  /** Bytes the client had sent on this connection, this chunk included. */
  clientTotal: number;
  /** Whether the chunk has been passed on (the "after" call) or not yet (the "before" call). */
  passed: boolean;
}

export interface TapProxy {
  port: number;
  readonly connections: number;
  /** Every chunk seen so far, in order, over all connections: for measuring a conversation's shape. */
  readonly log: TapEvent[];
  /**
   * What happens at each chunk, before and after it is passed on (default: nothing). Returning "cut" from the
   * "before" call drops the chunk and cuts the connection both ways (the test has killed the client by then).
   */
  at: (e: TapEvent) => "cut" | undefined;
  /** Cut every connection and stop listening: to the client, the server died. */
  stop(): Promise<void>;
}

export async function startTapProxy(target: { host: string; port: number }): Promise<TapProxy> {
  const sockets = new Set<Socket>();
  const log: TapEvent[] = [];
  let connections = 0;
  const proxy: TapProxy = {
    port: 0,
    get connections() {
      return connections;
    },
    log,
    at: () => undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((client) => {
    connections++;
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
      s.on("error", () => undefined);
    }
    let clientTotal = 0;
    const count = { client: 0, server: 0 };
    const relay = (from: "client" | "server", to: Socket) => (chunk: Buffer) => {
      if (from === "client") clientTotal += chunk.length;
      const e = { from, index: count[from]++, bytes: chunk.length, clientTotal };
      log.push({ ...e, passed: false });
      if (proxy.at({ ...e, passed: false }) === "cut") {
        client.destroy();
        upstream.destroy();
        return;
      }
      if (to.destroyed) return;
      to.write(chunk);
      proxy.at({ ...e, passed: true });
    };
    client.on("data", relay("client", upstream));
    upstream.on("data", relay("server", client));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");
  proxy.port = address.port;
  return proxy;
}
