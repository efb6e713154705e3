/**
 * A TCP proxy on 127.0.0.1 that loses the server's answer to a message: it relays bytes both ways untouched (so
 * STARTTLS, certificate checks and AUTH happen end to end with the real Postfix), counts what the client sends,
 * and once the client has sent at least `dropAfterClientBytes` bytes it forwards nothing more from the server
 * (the `250 Ok: queued` reply is swallowed) and, a moment later, cuts the client off. Behind TLS the proxy cannot
 * see the final dot, so the test passes a threshold the message body alone exceeds (its size): by then the
 * client is streaming the message, and the delay gives it time to finish sending it, final dot included. With
 * `cutDelayMs` null the client is never cut off: it waits for a reply that never comes (to be killed by the test).
 */
import { connect, createServer, type Socket } from "node:net";

export interface DropProxy {
  port: number;
  /** Connections accepted, and connections cut after the threshold. */
  readonly stats: { connections: number; drops: number };
  close(): Promise<void>;
}

export async function startDropProxy(
  target: { host: string; port: number },
  dropAfterClientBytes: number,
  cutDelayMs: number | null = 300,
): Promise<DropProxy> {
  const stats = { connections: 0, drops: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    stats.connections++;
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    let sent = 0;
    let cut = false;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      sent += chunk.length;
      if (!cut && sent >= dropAfterClientBytes) {
        cut = true;
        stats.drops++;
        if (cutDelayMs !== null)
          setTimeout(() => {
            client.destroy();
            upstream.end();
          }, cutDelayMs);
      }
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!cut) client.write(chunk);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");
  return {
    port: address.port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
