/**
 * Library errors at the network boundary, mapped to UserErrors with exit code 4 that say what failed and
 * what to do. Certificate problems are never worked around: the user passes the right CA instead.
 */
import { UserError } from "../errors.js";

const CERT_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Find a TLS certificate error code anywhere in an error's message or code. */
export function certificateProblem(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (e?.code && CERT_CODES.has(e.code)) return e.code;
  for (const code of CERT_CODES) if (e?.message?.includes(code)) return code;
  if (/self[- ]signed certificate|unable to verify|certificate has expired/i.test(e?.message ?? "")) {
    return e?.message?.match(
      /self[- ]signed certificate in certificate chain|self[- ]signed certificate|unable to verify[^;,]*|certificate has expired/i,
    )?.[0];
  }
  return e?.cause ? certificateProblem(e.cause) : undefined;
}

/** A connection or login failure as a user error (exit 4). */
export function serverRefused(protocol: "SMTP" | "IMAP", where: string, err: unknown): UserError {
  const e = err as {
    code?: string;
    message?: string;
    response?: string;
    responseText?: string;
    authenticationFailed?: boolean;
  };
  const cert = certificateProblem(err);
  if (cert) {
    return new UserError(`${protocol} ${where}: the server's certificate is not trusted (${cert})`, {
      code: "TLS_CERTIFICATE_UNTRUSTED",
      hint: "if the server uses a private CA, give the account that CA's certificate",
    });
  }
  if (e?.code === "ETLS" || /STARTTLS/i.test(e?.message ?? "")) {
    return new UserError(
      `${protocol} ${where}: the server does not offer STARTTLS, and loanmail never sends a password or a letter in plaintext`,
      {
        code: "STARTTLS_UNAVAILABLE",
        hint: "use the server's TLS port with TLS security, or ask the provider for STARTTLS",
      },
    );
  }
  if (e?.code === "EAUTH" || e?.authenticationFailed) {
    return new UserError(
      `${protocol} ${where}: login refused (${(e.response ?? e.responseText ?? e.message ?? "").trim()})`,
      { code: "MAIL_LOGIN_REFUSED", hint: "check the user name and the password source of the account" },
    );
  }
  const code = e?.code ? ` ${e.code}` : "";
  return new UserError(
    `${protocol} ${where}: cannot connect (${(e?.message ?? String(err)).trim()}${code && !e?.message?.includes(code.trim()) ? code : ""})`,
    {
      code: "MAIL_CONNECT_FAILED",
      hint: "check the host and port of the account and that the server is up (loanmail account test)",
    },
  );
}

/** Codes with which the mail libraries report a connection that went away mid-conversation. */
const LOST_CODES = new Set(["NoConnection", "EConnectionClosed", "StateLogout", "ECONNRESET", "EPIPE", "ETIMEOUT"]);

/**
 * A connection lost after it was opened (the server stopped or the network went away mid-sync) as a user error
 * (exit 4) naming the server; any other error is returned as it is.
 */
export function connectionLost(protocol: "SMTP" | "IMAP", where: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !LOST_CODES.has(code)) return err;
  return new UserError(
    `the ${protocol} server at ${where} closed the connection mid-way (${(err as Error).message}): what was stored before that is kept`,
    { code: "MAIL_CONNECTION_LOST", hint: "check that the server is up, then run the command again" },
  );
}
