import { spawn } from "node:child_process";

export interface ProcessResult {
  exitCode: number | null;
  /** The signal that ended the process, e.g. after a timeout. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface ProcessOptions {
  timeoutMs: number;
  /** Written to the process's stdin, which is then closed. */
  input?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /**
   * Kills the process when aborted. Leave it out for commands that must not be interrupted
   * half way (a reload): they are bounded by `timeoutMs` alone.
   */
  signal?: AbortSignal;
}

/** Output beyond this is dropped: a chatty command cannot exhaust memory. */
const MAX_OUTPUT = 256 * 1024;
/** Between SIGTERM and SIGKILL when a command overruns. */
const KILL_GRACE_MS = 2_000;

/**
 * Runs a program to completion and captures its output. It runs in its own process group so
 * a timeout kills the shell and everything it started, not just the shell.
 */
export function runProcess(file: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, {
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) stop();

    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk;
    });
    // A command that never reads stdin closes it early; that is not an error.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    child.on("error", (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ exitCode, signal, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
  });
}

/** The last few lines of a command's output, for messages. */
export function outputTail(result: Pick<ProcessResult, "stdout" | "stderr">, lines = 8): string {
  const text = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join("\n");
  const all = text.split(/\r?\n/);
  return all.slice(-lines).join("\n");
}

/** How a command ended, in words: `exit 1`, `killed by SIGTERM after the 30s timeout`. */
export function describeExit(result: ProcessResult, timeoutMs: number): string {
  if (result.timedOut) return `no result within ${timeoutMs}ms (killed)`;
  if (result.exitCode === null) return `killed by ${result.signal ?? "a signal"}`;
  return `exit ${result.exitCode}`;
}
