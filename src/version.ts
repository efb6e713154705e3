/** loanmail's version, read from its package.json (the one place it is written). */
import { readFileSync } from "node:fs";

export function readToolVersion(): string {
  // This file runs from src/ or dist/ (one folder down) or from the bundle in dist/bundle/ (two).
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "loanmail") return pkg.version ?? "unknown";
    } catch {
      // Not there: try the next place.
    }
  }
  return "unknown";
}
