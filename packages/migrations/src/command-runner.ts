import { spawn } from "node:child_process";
import { abortReason } from "@cutover/core";

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CommandRunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** Each line the command prints, as it prints it (stdout and stderr). */
  onLine?: (line: string) => void;
  /** After an abort: how long the command gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

/** Runs one command line; the migrate action injects its own (or tests a fake) through this shape. */
export type CommandRunner = (command: string, options: CommandRunOptions) => Promise<CommandResult>;

/**
 * Runs a command line through `bash -e -c` (sh when bash is absent), as a `run:` step would. On abort it sends
 * SIGTERM to the command's whole process group, then SIGKILL after a grace period, and waits for it to exit.
 */
export const shellCommandRunner: CommandRunner = (command, options) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const shell = process.platform === "win32" ? undefined : "/bin/bash";
    const child = spawn(shell ?? command, shell ? ["-e", "-c", command] : [], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      shell: shell === undefined,
      detached: process.platform !== "win32",
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const lines = (sink: "out" | "err") => {
      let partial = "";
      return (chunk: string) => {
        if (sink === "out") stdout += chunk;
        else stderr += chunk;
        const parts = (partial + chunk).split(/\r?\n/);
        partial = parts.pop() ?? "";
        for (const line of parts) options.onLine?.(line);
      };
    };
    child.stdout.setEncoding("utf8").on("data", lines("out"));
    child.stderr.setEncoding("utf8").on("data", lines("err"));
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (name: NodeJS.Signals) => {
      try {
        if (child.pid && process.platform !== "win32") process.kill(-child.pid, name);
        else child.kill(name);
      } catch {
        // already gone
      }
    };
    const onAbort = () => {
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => signalGroup("SIGKILL"), options.killGraceMs ?? 10_000);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (options.signal?.aborted) reject(abortReason(options.signal));
      else resolve({ exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started) });
    });
  });
