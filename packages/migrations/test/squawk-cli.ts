import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The native squawk binary that npm's squawk-cli ships for this platform (no Node wrapper in between). */
export function squawkBinary(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`@squawk-cli/${process.platform}-${process.arch}/package.json`);
  return join(dirname(pkg), "bin", "squawk");
}

export interface SquawkViolation {
  file: string;
  /** 0-based, as squawk's JSON reporter prints it. */
  line: number;
  rule_name: string;
  message: string;
}

/** Runs squawk over files and returns its violations (it exits 1 when it finds any). */
export async function squawk(
  files: readonly string[],
  options: { inTransaction?: boolean; cwd?: string } = {},
): Promise<SquawkViolation[]> {
  const args = ["--reporter", "json", ...(options.inTransaction ? ["--assume-in-transaction"] : []), ...files];
  const output = await run(squawkBinary(), args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { code?: number; stdout?: string }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw error;
    },
  );
  return JSON.parse(output.stdout) as SquawkViolation[];
}
