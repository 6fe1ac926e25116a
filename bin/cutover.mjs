#!/usr/bin/env node
// `npx cutover …` from a clone: runs cli/src/main.ts with Node's own TypeScript support, resolving
// our `./x.js` imports to their `.ts` files as `npm run demo` does. Needs Node 24 (the project's node devDependency).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const result = spawnSync(
  process.execPath,
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
