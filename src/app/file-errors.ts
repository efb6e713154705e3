/** The error code for a file the user named that could not be read, by what the file system said. */
import { isErrno } from "../errors.js";

export type ReadFailureCode = "FILE_NOT_FOUND" | "NOT_A_FILE" | "FILE_UNREADABLE";

export function readFailureCode(err: unknown): ReadFailureCode {
  if (isErrno(err, "ENOENT")) return "FILE_NOT_FOUND";
  if (isErrno(err, "EISDIR")) return "NOT_A_FILE";
  return "FILE_UNREADABLE";
}
