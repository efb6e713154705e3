/**
 * SMTP with nodemailer's SMTPConnection, driven step by step so that each failure is known by its phase:
 * before MAIL FROM nothing left (the letter goes back to draft); a reply code is a definite failure (4xx retryable,
 * 5xx permanent); a connection lost without a reply after DATA may have delivered the letter, so it is
 * `unknown` and is settled by looking for its Message-ID, never by sending it again.
 */
import SMTPConnection from "nodemailer/lib/smtp-connection";
import XOAuth2 from "nodemailer/lib/xoauth2";
import type { Credentials } from "../config/accounts.js";
import { serverRefused } from "./tls-errors.js";
import type { Envelope, SendOutcome, SmtpTransport } from "./transport.js";

export interface SmtpEndpoint {
  host: string;
  port: number;
  security: "starttls" | "tls";
  ca?: Buffer | undefined;
  /** Test-only escape hatch for a loopback proxy; never set from config. */
  socketTimeoutMs?: number;
}

export interface SmtpFacts {
  secure: boolean;
  extensions: string[];
  authMethods: string[];
  maxSize: number | null;
}

function connectionOptions(ep: SmtpEndpoint): ConstructorParameters<typeof SMTPConnection>[0] {
  return {
    host: ep.host,
    port: ep.port,
    secure: ep.security === "tls",
    requireTLS: ep.security === "starttls",
    tls: ep.ca ? { ca: [ep.ca], rejectUnauthorized: true } : { rejectUnauthorized: true },
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: ep.socketTimeoutMs ?? 120_000,
    logger: false,
    debug: false,
  };
}

/** An authenticated SMTP session; `close()` when done. */
export class SmtpSession implements SmtpTransport {
  private readonly conn: SMTPConnection;
  readonly where: string;

  private constructor(conn: SMTPConnection, where: string) {
    this.conn = conn;
    this.where = where;
  }

  /** Connect (TLS or STARTTLS, certificate checked) and log in; failures are UserErrors with exit 4. */
  static async open(ep: SmtpEndpoint, creds: Credentials): Promise<SmtpSession> {
    const where = `${ep.host}:${ep.port}`;
    const conn = new SMTPConnection(connectionOptions(ep));
    conn.on("error", () => {
      // Errors are delivered to the pending callback; this listener only keeps a late socket error from
      // becoming an uncaught exception.
    });
    // A server that goes away mid-greeting or mid-login ends the connection without calling back: without this,
    // the command would find nothing left to wait for and exit 0 having done nothing.
    const closed = new Promise<never>((_resolve, reject) =>
      conn.once("end", () =>
        reject(Object.assign(new Error("the server closed the connection"), { code: "ECONNRESET" })),
      ),
    );
    closed.catch(() => undefined);
    try {
      await Promise.race([
        closed,
        new Promise<void>((resolve, reject) => {
          conn.once("error", reject);
          conn.connect(() => {
            conn.removeListener("error", reject);
            resolve();
          });
        }),
      ]);
      if (!conn.secure) throw Object.assign(new Error("connection is not encrypted"), { code: "ETLS" });
      await Promise.race([
        closed,
        new Promise<void>((resolve, reject) => {
          const auth = creds.accessToken
            ? {
                user: creds.user,
                method: "XOAUTH2",
                oauth2: new XOAuth2({ user: creds.user, accessToken: creds.accessToken }),
              }
            : { user: creds.user, pass: creds.pass };
          conn.login(auth, (err) => (err ? reject(err) : resolve()));
        }),
      ]);
    } catch (err) {
      conn.close();
      throw serverRefused("SMTP", where, err);
    }
    return new SmtpSession(conn, where);
  }

  /** What the server offers (for `account test`). Reads nodemailer's parsed EHLO, which it keeps internally. */
  facts(): SmtpFacts {
    const c = this.conn as unknown as {
      _supportedExtensions: string[];
      _supportedAuth: string[];
      _maxAllowedSize: number;
    };
    return {
      secure: this.conn.secure,
      extensions: [...c._supportedExtensions],
      authMethods: [...c._supportedAuth],
      maxSize: c._maxAllowedSize || null,
    };
  }

  maxSize(): number | null {
    return this.facts().maxSize;
  }

  /** Send exact bytes to an envelope. */
  send(envelope: Envelope, raw: Buffer): Promise<SendOutcome> {
    return new Promise((resolve) => {
      // The connection may end with no callback at all (the server died): the letter may or may not have left.
      const ended = () => resolve({ status: "unknown", error: "the server closed the connection" });
      this.conn.once("end", ended);
      this.conn.send(envelope, raw, (err, info) => {
        this.conn.removeListener("end", ended);
        if (err) {
          if (typeof err.responseCode === "number" && err.responseCode >= 400) {
            resolve({
              status: "failed",
              retryable: err.responseCode < 500,
              code: err.responseCode,
              response: (err.response ?? err.message).trim(),
              rejected: err.rejected ?? [],
            });
          } else {
            resolve({ status: "unknown", error: err.message });
          }
          return;
        }
        resolve({
          status: "sent",
          accepted: (info.accepted ?? []).map(String),
          rejected: (info.rejected ?? []).map(String),
          rejectedErrors: (info.rejectedErrors ?? []).map((r) => ({
            recipient: String(r.recipient ?? ""),
            code: typeof r.responseCode === "number" ? r.responseCode : null,
            response: (r.response ?? "").trim(),
          })),
          response: (info.response ?? "").trim(),
        });
      });
    });
  }

  /** QUIT politely; the letter outcomes are already known. */
  close(): void {
    try {
      this.conn.quit();
    } catch {
      this.conn.close();
    }
  }
}
