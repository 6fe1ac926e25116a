#!/usr/bin/env node
// `npx cutover …` from a clone: runs cli/src/main.ts with Node's own TypeScript support, resolving
// our `./x.js` imports to their `.ts` files as `npm run demo` does. Needs Node 24 (the project's node devDependency).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
// Run from another directory, npx may start us on an older system node: use the project's Node 24.
const projectNode = fileURLToPath(new URL("node_modules/node/bin/node", root));
const node = Number(process.versions.node.split(".")[0]) >= 24 || !existsSync(projectNode) ? process.execPath : projectNode;
const result = spawnSync(
  node,
  [
    "--experimental-transform-types",
    "--no-warnings",
    "--import",
    fileURLToPath(new URL("scripts/typescript-imports.mjs", root)),
    fileURLToPath(new URL("cli/src/main.ts", root)),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
