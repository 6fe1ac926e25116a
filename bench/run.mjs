// Runs the benchmarks under bench/ (all, or those whose names start with the arguments), each
// as its own process and all one way: Node with the repository's TypeScript loader, as
// `npm run demo` does, so a bench imports engines and test services from their .ts sources.
// Run: npm run bench [-- name …]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dir = join(root, "bench");
/** Not a benchmark: this runner. */
const HELPERS = new Set(["run.mjs"]);
const TYPESCRIPT = ["--experimental-transform-types", "--no-warnings", "--import", "./scripts/typescript-imports.mjs"];

const only = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => /\.(mjs|ts)$/.test(f) && !HELPERS.has(f) && !f.startsWith("."))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n## ${script}`);
  const result = spawnSync(process.execPath, [...TYPESCRIPT, join("bench", script)], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
