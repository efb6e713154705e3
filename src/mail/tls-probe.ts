/**
 * Can loanmail reach a mail server over verified TLS? For `doctor`: the host's name is looked up, a connection
 * opened, TLS negotiated (at once for `tls`; after the protocol's STARTTLS for `starttls`) and the server's
 * certificate checked against the trusted roots (or the account's own CA, as the real transports do:
 * smtp.ts, imap.ts). No login, nothing sent but EHLO or a capability-free STARTTLS; everything within a timeout.
 */
import { lookup } from "node:dns/promises";
import { connect as netConnect, type Socket } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";

export interface ProbeEndpoint {
  host: string;
  port: number;
  security: "tls" | "starttls";
  protocol: "smtp" | "imap";
  ca?: Buffer | undefined;
}

export type ProbeStage = "dns" | "connect" | "starttls" | "tls" | "timeout";

export type ProbeResult =
  | { ok: true; address: string; tlsVersion: string; validTo: Date | null; issuer: string | null }
  | { ok: false; stage: ProbeStage; message: string };

class ProbeFailure extends Error {
  constructor(
    readonly stage: ProbeStage,
    message: string,
  ) {
    super(message);
  }
}

/** Lines from the server until one that `done` says ends its answer. */
function readReply(socket: Socket, done: (line: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const lines: string[] = [];
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("latin1");
      let at = buffered.indexOf("\n");
      while (at >= 0) {
        const line = buffered.slice(0, at).replace(/\r$/, "");
        buffered = buffered.slice(at + 1);
        lines.push(line);
        if (done(line)) {
          socket.off("data", onData);
          socket.off("error", onError);
          socket.off("end", onEnd);
          resolve(lines);
          return;
        }
        at = buffered.indexOf("\n");
      }
      if (buffered.length > 64 * 1024) onError(new Error("the server's answer has no end"));
    };
    const onError = (err: Error) => {
      socket.off("data", onData);
      reject(new ProbeFailure("starttls", err.message));
    };
    const onEnd = () => onError(new Error("the server closed the connection"));
    socket.on("data", onData);
    socket.once("error", onError);
    socket.once("end", onEnd);
  });
}

/** Ask for STARTTLS in the server's protocol; resolves when the server agreed. */
async function startTls(socket: Socket, protocol: "smtp" | "imap"): Promise<void> {
  if (protocol === "smtp") {
    const greeting = await readReply(socket, (l) => /^\d{3} /.test(l));
    if (!greeting.at(-1)?.startsWith("220")) throw new ProbeFailure("starttls", `greeting: ${greeting.at(-1)}`);
    socket.write("EHLO loanmail.invalid\r\n");
    const ehlo = await readReply(socket, (l) => /^\d{3} /.test(l));
    if (!ehlo.some((l) => /^250[- ]STARTTLS\b/i.test(l)))
      throw new ProbeFailure("starttls", "the server does not offer STARTTLS");
    socket.write("STARTTLS\r\n");
    const ready = await readReply(socket, (l) => /^\d{3} /.test(l));
    if (!ready.at(-1)?.startsWith("220")) throw new ProbeFailure("starttls", `STARTTLS refused: ${ready.at(-1)}`);
    return;
  }
  const greeting = await readReply(socket, (l) => l.startsWith("* "));
  if (!/^\* (OK|PREAUTH)/i.test(greeting.at(-1) ?? "")) throw new ProbeFailure("starttls", `greeting: ${greeting[0]}`);
  socket.write("a1 STARTTLS\r\n");
  const ready = await readReply(socket, (l) => l.startsWith("a1 "));
  if (!/^a1 OK/i.test(ready.at(-1) ?? "")) throw new ProbeFailure("starttls", `STARTTLS refused: ${ready.at(-1)}`);
}

function openSocket(address: string, port: number, sockets: Socket[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port });
    sockets.push(socket);
    socket.once("connect", () => resolve(socket));
    socket.once("error", (err: NodeJS.ErrnoException) =>
      reject(new ProbeFailure("connect", err.code === "ECONNREFUSED" ? "the connection was refused" : err.message)),
    );
  });
}

function handshake(
  ep: ProbeEndpoint,
  socket: Socket | undefined,
  address: string,
  sockets: Socket[],
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      ...(socket ? { socket } : { host: address, port: ep.port }),
      servername: /^[\d.]+$|:/.test(ep.host) ? undefined : ep.host,
      host: ep.host,
      rejectUnauthorized: true,
      ...(ep.ca ? { ca: [ep.ca] } : {}),
    });
    sockets.push(tls);
    tls.once("secureConnect", () => resolve(tls));
    tls.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "ECONNREFUSED"
          ? new ProbeFailure("connect", "the connection was refused")
          : new ProbeFailure(/^E(?!RR_)[A-Z]+$/.test(err.code ?? "") ? "connect" : "tls", err.message),
      ),
    );
  });
}

/** Look the host up, connect, negotiate TLS and check the certificate, within `timeoutMs`. */
export async function probeTls(ep: ProbeEndpoint, timeoutMs: number): Promise<ProbeResult> {
  const sockets: Socket[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProbeFailure("timeout", `no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const attempt = async (): Promise<ProbeResult> => {
    let address: string;
    try {
      address = (await lookup(ep.host)).address;
    } catch (err) {
      throw new ProbeFailure("dns", `the name ${ep.host} was not found (${(err as NodeJS.ErrnoException).code})`);
    }
    let plain: Socket | undefined;
    if (ep.security === "starttls") {
      plain = await openSocket(address, ep.port, sockets);
      await startTls(plain, ep.protocol);
    }
    const tls = await handshake(ep, plain, address, sockets);
    const cert = tls.getPeerCertificate();
    const issuer = cert?.issuer ? String(cert.issuer.O ?? cert.issuer.CN ?? "") || null : null;
    return {
      ok: true,
      address,
      tlsVersion: tls.getProtocol() ?? "TLS",
      validTo: cert?.valid_to ? new Date(cert.valid_to) : null,
      issuer,
    };
  };
  const run = attempt();
  // The loser of the race below must not become an unhandled rejection.
  run.catch(() => undefined);
  timeout.catch(() => undefined);
  try {
    return await Promise.race([run, timeout]);
  } catch (err) {
    if (err instanceof ProbeFailure) return { ok: false, stage: err.stage, message: err.message };
    return { ok: false, stage: "connect", message: (err as Error).message };
  } finally {
    clearTimeout(timer);
    // The TLS socket before the plain one under it (the other way round, Node 20 can crash at exit).
    for (const s of [...sockets].reverse()) s.destroy();
  }
}
