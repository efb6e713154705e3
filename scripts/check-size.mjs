#!/usr/bin/env node
// Size limits for the source tree: no .ts file under src/ over 500 lines, no function (declaration, expression,
// arrow, method, accessor, constructor) over 100 lines. Long files and functions hide their seams; the limits keep
// modules small enough to be read whole. Parses with the `typescript` package so that a function's length is its
// real extent (from its first token to its closing brace, leading comments excluded), not a regex guess.
//   node scripts/check-size.mjs   → exit 0 with a one-line summary, or exit 1 listing `file:line name length`
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 100;

const root = resolve(import.meta.dirname, "..");
const srcDir = join(root, "src");

/** Every .ts file under `dir`, recursively, in a stable order. */
function tsFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Lines as an editor counts them: a final newline does not start another line. */
function lineCount(text) {
  if (text === "") return 0;
  const lines = text.split("\n").length;
  return text.endsWith("\n") ? lines - 1 : lines;
}

function isFunctionLike(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** A readable name: the function's own, else what it is assigned to or passed as. */
function functionName(node, sourceFile) {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (node.name) return node.name.getText(sourceFile);
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.name
  ) {
    return parent.name.getText(sourceFile);
  }
  if (ts.isCallExpression(parent)) return `<callback of ${parent.expression.getText(sourceFile).slice(0, 40)}>`;
  return "<anonymous>";
}

const problems = [];
let functionCount = 0;
const files = tsFiles(srcDir);

for (const file of files) {
  const text = readFileSync(file, "utf8");
  const name = relative(root, file);
  const lines = lineCount(text);
  if (lines > MAX_FILE_LINES) problems.push(`${name}:1 (file) ${lines}`);

  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const visit = (node) => {
    if (isFunctionLike(node) && node.body) {
      functionCount++;
      const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
      const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES) {
        problems.push(`${name}:${start + 1} ${functionName(node, sourceFile)} ${length}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

if (problems.length > 0) {
  console.error(
    `check-size: over the limits (file > ${MAX_FILE_LINES} lines, function > ${MAX_FUNCTION_LINES} lines):`,
  );
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `check-size: ${files.length} files, ${functionCount} functions under src/, ` +
    `none over ${MAX_FILE_LINES} lines per file or ${MAX_FUNCTION_LINES} per function`,
);
