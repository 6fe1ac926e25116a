// Fails when the committed dist/ differs from a fresh build, so action.yml never runs stale code.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { root } from "./actions.mjs";

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const fresh = mkdtempSync(join(tmpdir(), "cutover-dist-"));
try {
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--out", fresh], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const committed = join(root, "dist");
  const names = new Set([...files(fresh), ...files(committed)]);
  const stale = [...names].filter((name) => {
    const a = join(fresh, name);
    const b = join(committed, name);
    return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
  });
  if (stale.length > 0) {
    console.error(`dist/ is stale; run 'npm run build' and commit dist/. Differs: ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(`dist/ matches a fresh build (${names.size} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
