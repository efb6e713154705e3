/** loanmail's version, read from its package.json (the one place it is written). */
import { readFileSync } from "node:fs";

export function readToolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
