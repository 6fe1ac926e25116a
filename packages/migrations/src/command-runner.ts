import { abortReason, runProcess } from "@cutover/core";

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CommandRunOptions {
  /** The command's whole environment; without it, this process's. */
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
 * Runs a command line through `bash -e -c` (the platform shell on Windows), as a `run:` step would. On abort it
 * sends SIGTERM to the command's whole process group, then SIGKILL after a grace period, and waits for it to exit.
 */
export const shellCommandRunner: CommandRunner = async (command, options) => {
  const windows = process.platform === "win32";
  const result = await runProcess(windows ? command : "/bin/bash", windows ? [] : ["-e", "-c", command], {
    ...(options.env ? { env: options.env, inheritEnv: false } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    shell: windows,
    killGraceMs: options.killGraceMs ?? 10_000,
    ...(options.onLine ? { onLine: (line: string) => options.onLine?.(line) } : {}),
  });
  if (options.signal?.aborted) throw abortReason(options.signal);
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, durationMs: Math.round(result.durationMs) };
};
