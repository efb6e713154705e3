/**
 * Errors a user can cause carry a message, a hint saying what to do, and the exit code of DESIGN §6.
 * Anything that is not a UserError is a bug and exits 70 (with a stack under --debug).
 */

export const EXIT = {
  ok: 0,
  user: 1,
  usage: 2,
  late: 3,
  mailServer: 4,
  verifyMismatch: 5,
  sendFailed: 6,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, hint?: string, exitCode: ExitCode = EXIT.user) {
    super(message);
    this.name = "UserError";
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** True for a Node system error with the given code (ENOENT, EACCES, ...). */
export function isErrno(err: unknown, ...codes: string[]): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === "string" &&
    codes.includes((err as NodeJS.ErrnoException).code as string)
  );
}
