import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { processEnvironment } from "./process-environment.js";

/** The full path of `name` on PATH (by default the PATH a child process would get), or undefined. */
export function findExecutable(name: string, path = processEnvironment().PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
