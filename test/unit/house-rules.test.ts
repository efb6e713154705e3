/**
 * The house rules of docs/ARCHITECTURE.md, checked on the source text so that a change that breaks one fails the
 * build: SQL and the database driver only in src/store; command modules reach the app layer only lazily and never
 * the store, mail or export floors; code comments point at the repository's own design document.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const files = sourceFiles(join(ROOT, "src")).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, "utf8"),
}));

/** Static imports (not `import type`, not `await import(...)`), as the module specifiers they name. */
function staticImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+"([^"]+)";/gms)) if (m[1]) found.push(m[1]);
  return found;
}

describe("house rules", () => {
  it("only src/store uses the database driver, prepares statements or opens transactions", () => {
    const offenders = files
      .filter((f) => !f.path.startsWith("src/store/"))
      .filter((f) => /better-sqlite3|\.prepare\(|\.transaction\(/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it("command modules import no store, mail or export code, and the app layer only lazily", () => {
    const offenders = files
      .filter((f) => f.path.startsWith("src/cli/commands/"))
      .flatMap((f) =>
        staticImports(f.text)
          .filter((spec) => /\/(store|mail|export|app)\//.test(spec))
          .map((spec) => `${f.path} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it("each floor imports only the floors below it (docs/ARCHITECTURE.md, The floors)", () => {
    // What each floor may import at run time besides itself; `import type` is free.
    const allowed: Record<string, readonly string[]> = {
      domain: ["errors.ts"],
      config: ["domain", "errors.ts"],
      store: ["domain", "errors.ts"],
      mail: ["domain", "config", "errors.ts"],
      export: ["domain", "store", "errors.ts", "version.ts"],
      app: ["domain", "config", "store", "mail", "export", "errors.ts", "version.ts"],
      cli: ["app", "domain", "config", "store", "mail", "errors.ts", "version.ts"],
    };
    const offenders = files.flatMap((f) => {
      const floor = f.path.split("/")[1] ?? "";
      const may = allowed[floor];
      if (!may) return [];
      return staticImports(f.text)
        .filter((spec) => spec.startsWith("."))
        .map((spec) =>
          relative(join(ROOT, "src"), join(ROOT, f.path, "..", spec))
            .split("/")[0]
            ?.replace(/\.js$/, ".ts"),
        )
        .filter((target): target is string => target !== undefined && target !== floor && !may.includes(target))
        .map((target) => `${f.path} imports ${target}`);
    });
    expect(offenders).toEqual([]);
  });

  it("comments cite docs/ARCHITECTURE.md, not a design document outside the repository", () => {
    const offenders = files.filter((f) => /DESIGN §|DESIGN\.md/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });
});
