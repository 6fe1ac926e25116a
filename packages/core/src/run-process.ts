import { processEnvironment } from "./process-environment.js";

export interface ProcessOptions {
  /** Stop the process after this long; `timedOut` tells it apart from an ordinary exit. */
  timeoutMs?: number;
  /** Stops the process when aborted (cancellation); `cancelled` says so afterwards. */
  signal?: AbortSignal;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null. */
  input?: string;
  /** Variables for the child: added to this process's environment, or the whole of it with `inheritEnv: false`. */
  env?: Record<string, string | undefined>;
  /** false: the child gets `env` and nothing else (the sandbox builds a runner's environment itself). */
  inheritEnv?: boolean;
  cwd?: string;
  /** Runs `file` through the platform shell (Windows, where there is no /bin/bash). */
  shell?: boolean;
  /**
   * Stopping starts with SIGINT when this is set (as the Actions runner does), and SIGTERM
   * follows after this long. Without it stopping starts with SIGTERM.
   */
  interruptGraceMs?: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Each whole line as it is printed (a trailing `\r` removed); the last partial line when the process ends. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** How much of each stream is kept, from the end: a chatty command cannot exhaust memory. */
  maxOutputChars?: number;
}

export interface ProcessResult {
  exitCode: number | null;
  /** The signal that ended the process, e.g. after a timeout. */
  signal: NodeJS.Signals | null;
  /** The last `maxOutputChars` of each stream. */
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** The process group the child led; background children may still live in it. */
  processGroup: number | undefined;
}

export const DEFAULT_KILL_GRACE_MS = 2_000;
export const DEFAULT_MAX_OUTPUT_CHARS = 256 * 1024;
/** After the process exits, how long a background child still in its group may keep the pipes open before we stop reading. */
const PIPE_DRAIN_MS = 200;
/** With the group gone the pipes close at once; this only bounds a pipe held by a process that left the group. */
const PIPE_CLOSE_MS = 5_000;
/** Windows has no process groups to signal; there the child alone is signalled. */
const GROUPS = process.platform !== "win32";

/** Sends a signal to a whole process group, ignoring a group that is already gone. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Whether any process of the group is still alive (signal 0 checks without sending anything). */
function groupAlive(pgid: number): boolean {
  if (!GROUPS) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a program to completion in its own process group, so stopping it (timeout or abort)
 * reaches everything it started, not just the shell: SIGTERM (or SIGINT first), then SIGKILL
 * after a grace period. Keeps a bounded tail of each stream and can stream whole lines.
 */
export function runProcess(file: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const env = options.inheritEnv === false ? options.env : { ...processEnvironment(), ...options.env };
    // node:child_process is loaded on the first run, not at every action's start-up (issue 19).
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      shell: options.shell ?? false,
      detached: GROUPS,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const pgid = child.pid;
    // Both pipes exist: stdio is "pipe" for them above.
    const stdout = child.stdout!;
    const stderr = child.stderr!;
    const maxOutput = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    const kept = { stdout: "", stderr: "" };
    const partial = { stdout: "", stderr: "" };
    const onData = (stream: "stdout" | "stderr") => (chunk: string) => {
      kept[stream] += chunk;
      if (kept[stream].length > maxOutput) kept[stream] = kept[stream].slice(-maxOutput);
      if (!options.onLine) return;
      const lines = (partial[stream] + chunk).split("\n");
      partial[stream] = lines.pop() as string;
      for (const line of lines) options.onLine(line.replace(/\r$/, ""), stream);
    };
    stdout.setEncoding("utf8").on("data", onData("stdout"));
    stderr.setEncoding("utf8").on("data", onData("stderr"));
    if (child.stdin) {
      // A command that never reads stdin closes it early; that is not an error.
      child.stdin.on("error", () => {});
      child.stdin.end(options.input);
    }

    let timedOut = false;
    let cancelled = false;
    let stopping = false;
    const timers: NodeJS.Timeout[] = [];
    const send = (signal: NodeJS.Signals) => {
      if (GROUPS && pgid !== undefined) signalProcessGroup(pgid, signal);
      else child.kill(signal);
    };
    const later = (ms: number, action: () => void) => {
      const timer = setTimeout(action, ms);
      timer.unref();
      timers.push(timer);
    };
    const stop = () => {
      if (stopping) return;
      stopping = true;
      const killGrace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
      if (options.interruptGraceMs === undefined) {
        send("SIGTERM");
        later(killGrace, () => send("SIGKILL"));
      } else {
        send("SIGINT");
        later(options.interruptGraceMs, () => send("SIGTERM"));
        later(options.interruptGraceMs + killGrace, () => send("SIGKILL"));
      }
    };
    if (options.timeoutMs !== undefined) {
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs);
      timers.push(timer);
    }
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    const release = () => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });

    child.once("error", (error) => {
      release();
      reject(error);
    });
    child.once("exit", (exitCode, signal) => {
      release();
      // A background child may hold the pipes open: read what is buffered, then let go.
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        for (const stream of ["stdout", "stderr"] as const) {
          if (partial[stream]) options.onLine?.(partial[stream].replace(/\r$/, ""), stream);
          partial[stream] = "";
        }
        stdout.destroy();
        stderr.destroy();
        const durationMs = performance.now() - started;
        resolve({ exitCode, signal, stdout: kept.stdout, stderr: kept.stderr, durationMs, timedOut, cancelled, processGroup: pgid });
      };
      if (stdout.readableEnded && stderr.readableEnded) return finish();
      const drain = setTimeout(finish, pgid !== undefined && groupAlive(pgid) ? PIPE_DRAIN_MS : PIPE_CLOSE_MS);
      let open = 2;
      const closed = () => {
        open -= 1;
        if (open === 0) {
          clearTimeout(drain);
          finish();
        }
      };
      for (const stream of [stdout, stderr]) {
        if (stream.readableEnded) closed();
        else stream.once("end", closed);
      }
    });
  });
}

/** The last few lines of a command's output (stderr first), for messages. */
export function outputTail(result: Pick<ProcessResult, "stdout" | "stderr">, lines = 8): string {
  const text = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join("\n");
  return text.split(/\r?\n/).slice(-lines).join("\n");
}

/** How a command ended, in words: `exit 1`, `killed by SIGTERM`, `no result within 30000ms (killed)`. */
export function describeExit(result: Pick<ProcessResult, "timedOut" | "exitCode" | "signal">, timeoutMs: number): string {
  if (result.timedOut) return `no result within ${timeoutMs}ms (killed)`;
  if (result.exitCode === null) return `killed by ${result.signal ?? "a signal"}`;
  return `exit ${result.exitCode}`;
}
