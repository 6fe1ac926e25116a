// Bundles every action with @vercel/ncc into dist/<name>/ (or --out <dir>/<name>/), with the
// licenses of what was bundled beside it. Run through `npm run build`, which typechecks first.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { actionNames, root } from "./actions.mjs";

const outFlag = process.argv.indexOf("--out");
const outRoot = outFlag === -1 ? join(root, "dist") : process.argv[outFlag + 1];
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--out");
const ncc = join(root, "node_modules", ".bin", "ncc");

for (const name of only.length > 0 ? only : actionNames()) {
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(
    ncc,
    ["build", join("actions", name, "src", "main.ts"), "--out", out, "--license", "licenses.txt", "--quiet", "--target", "es2023"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  console.log(`built dist/${name}`);
}
