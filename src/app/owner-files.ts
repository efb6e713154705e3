/** Files loanmail writes beside the home for the user (letters to print, complaint packets): owner-only. */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { type ErrorCode, isErrno, UserError } from "../errors.js";

export function ownerOnlyDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

export function writeOwnerFile(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** File-system trouble while writing a PDF or a packet is the user's to fix (a full disk, a read-only home). */
export function asUserError(err: unknown, what: string, failure: { code: ErrorCode; hint: string }): never {
  if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "ENOSPC", "EISDIR", "ENOTDIR", "EEXIST")) {
    throw new UserError(`cannot write ${what} (${(err as NodeJS.ErrnoException).code})`, {
      code: failure.code,
      hint: failure.hint,
    });
  }
  throw err;
}
