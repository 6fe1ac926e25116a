import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname;

/** Every action directory that has an entry point, sorted by name. */
export function actionNames() {
  return readdirSync(join(root, "actions"))
    .filter((name) => existsSync(join(root, "actions", name, "src", "main.ts")))
    .sort();
}
