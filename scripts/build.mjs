// Bundles every action with @vercel/ncc into dist/<name>/ (or --out <dir>/<name>/), with the
// licenses of what was bundled (lazily loaded chunks included) beside it. Run through
// `npm run build`, which typechecks first.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actionNames, root } from "./actions.mjs";
import { bundleLicenses } from "./bundle-licenses.mjs";

const outFlag = process.argv.indexOf("--out");
const outRoot = outFlag === -1 ? join(root, "dist") : process.argv[outFlag + 1];
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--out");
const ncc = join(root, "node_modules", ".bin", "ncc");
const RUNTIME_ASSETS = { "libpg-query.wasm": "node_modules/libpg-query/wasm/libpg-query.wasm" };

/** Builds one entry point into `out` with the licenses of what it bundled. */
function bundle(entry, out) {
  mkdirSync(out, { recursive: true });
  const statsDir = mkdtempSync(join(tmpdir(), "cutover-stats-"));
  try {
    const stats = join(statsDir, "stats.json");
    execFileSync(ncc, ["build", entry, "--out", out, "--stats-out", stats, "--quiet", "--target", "es2023"], {
      cwd: root,
      stdio: "inherit",
    });
    writeFileSync(join(out, "licenses.txt"), bundleLicenses(stats));
  } finally {
    rmSync(statsDir, { recursive: true, force: true });
  }
}

for (const name of only.length > 0 ? only : actionNames()) {
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  bundle(join("actions", name, "src", "main.ts"), out);
  // An action with a `post:` step (clean-up after a killed main step) gets a bundle of its own in post/.
  const post = join("actions", name, "src", "post.ts");
  if (existsSync(join(root, post))) bundle(post, join(out, "post"));
  // WebAssembly that a bundled package loads from beside its script at run time: ncc does not copy it.
  const bundleText = readFileSync(join(out, "index.js"), "utf8");
  for (const [file, source] of Object.entries(RUNTIME_ASSETS)) {
    if (bundleText.includes(file)) copyFileSync(join(root, source), join(out, file));
  }
  console.log(`built dist/${name}`);
}
