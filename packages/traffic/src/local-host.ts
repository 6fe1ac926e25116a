import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type ProcessResult, runProcess } from "@cutover/core";
import type { ExecOptions, Host } from "./host.js";

/** The runner's own machine. */
export class LocalHost implements Host {
  readonly label = "local";

  /** `env` is added to every command's environment (the router-env secret). */
  constructor(private readonly env: Record<string, string> = {}) {}

  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async writeFileAtomic(path: string, content: string): Promise<void> {
    // The temporary name must not match an `include conf.d/*.conf` glob: a reload racing
    // with the write would otherwise load it twice.
    const temp = join(dirname(path), `.${basename(path)}.cutover-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
    const mode = await stat(path).then(
      (s) => s.mode & 0o777,
      () => 0o644,
    );
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async removeFile(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  exec(command: string, options: ExecOptions): Promise<ProcessResult> {
    return runProcess("/bin/sh", ["-c", command], { ...options, env: { ...this.env, ...options.env } });
  }

  async close(): Promise<void> {}
}
