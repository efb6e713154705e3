#!/usr/bin/env node
/**
 * The command line as it ships: dist/cli/main.js and dist/cli/complete.js (compiled by tsc) bundled with the rest of
 * dist/ into dist/bundle/, which bin/loanmail.js runs. A listing such as `due` otherwise loads some 120 small files,
 * each found, read and linked on its own: a bundle starts about 35 ms sooner (issue 12's half a second). Packages
 * stay outside (node_modules, as installed), but for INLINED below; what a command loads only when it runs (PDF,
 * zip, mail) stays in chunks of its own, loaded as before. `npm run build` runs this after tsc.
 */
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { isAbsolute, join, resolve, sep } from "node:path";
import { rolldown } from "rolldown";

const ROOT = resolve(import.meta.dirname, "..");
const OUT = join(ROOT, "dist", "bundle");
// A package or a node: builtin is imported by its bare name; our own files by a relative or absolute path.
const isPackage = (id) => !id.startsWith(".") && !isAbsolute(id);
const isBuiltin = (id) => id.startsWith("node:") || builtinModules.includes(id);
/**
 * Packages bundled into the chunk that loads them, with everything they import: imapflow loads some 90 files
 * (pino, iconv-lite, socks, ...), each found and read on its own, which cost a sync 150-190 ms before it could
 * connect; bundled, 65-95 ms (issue 13). A file under node_modules is reached only through one of these (every
 * other package stays outside and is never read), so what it imports is bundled too.
 */
const INLINED = new Set(["imapflow"]);
const external = (id, importer) =>
  isBuiltin(id) || (isPackage(id) && !INLINED.has(id) && !importer?.includes(`${sep}node_modules${sep}`));

rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({
  input: {
    main: join(ROOT, "dist/cli/main.js"),
    complete: join(ROOT, "dist/cli/complete.js"),
    // The parsing thread (src/app/parsing-thread.ts) starts this file, found beside the chunk that starts it.
    "parsing-thread-worker": join(ROOT, "dist/app/parsing-thread-worker.js"),
  },
  platform: "node",
  external,
  logLevel: "warn",
});
// dist/bundle/ sits as deep as dist/app/: a path read from import.meta.url (the templates, package.json) holds.
await bundle.write({ dir: OUT, format: "esm" });
await bundle.close();
