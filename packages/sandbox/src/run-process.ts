import { spawn } from "node:child_process";

export interface ProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Kill the process after this long (step or job `timeout-minutes`). */
  timeoutMs?: number;
  /** Aborts when the run is cancelled. */
  signal?: AbortSignal;
  /** How long after SIGINT before SIGTERM, then SIGKILL (the runner waits 7.5 s). */
  killGraceMs: number;
  onLine: (line: string, stream: "stdout" | "stderr") => void;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The process group the step ran in; background children may still live in it. */
  processGroup: number;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Sends SIGTERM to a step's process group, as the runner cleans up orphan processes when a job ends. */
export function cleanUpProcessGroup(pgid: number): void {
  killGroup(pgid, "SIGTERM");
}

/**
 * Runs one step process in its own process group, streaming whole lines. Stops it the way the
 * runner does: SIGINT, then SIGTERM after the grace period, then SIGKILL.
 */
export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pgid = child.pid;
    if (pgid === undefined) {
      child.once("error", reject);
      return;
    }
    const buffers = { stdout: "", stderr: "" };
    const onData = (stream: "stdout" | "stderr") => (chunk: string) => {
      buffers[stream] += chunk;
      const lines = buffers[stream].split("\n");
      buffers[stream] = lines.pop() as string;
      for (const line of lines) options.onLine(line.replace(/\r$/, ""), stream);
    };
    child.stdout.setEncoding("utf8").on("data", onData("stdout"));
    child.stderr.setEncoding("utf8").on("data", onData("stderr"));

    let timedOut = false;
    let cancelled = false;
    const timers: NodeJS.Timeout[] = [];
    const stop = () => {
      killGroup(pgid, "SIGINT");
      timers.push(setTimeout(() => killGroup(pgid, "SIGTERM"), options.killGraceMs));
      timers.push(setTimeout(() => killGroup(pgid, "SIGKILL"), options.killGraceMs + 2_500));
    };
    if (options.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs),
      );
    }
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });

    child.once("error", reject);
    child.once("exit", (exitCode, signal) => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // A background child may hold the pipes open: read what is buffered, then let go.
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        for (const stream of ["stdout", "stderr"] as const) {
          if (buffers[stream]) options.onLine(buffers[stream], stream);
          buffers[stream] = "";
        }
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode, signal, timedOut, cancelled, processGroup: pgid });
      };
      if (child.stdout.readableEnded && child.stderr.readableEnded) finish();
      else {
        const grace = setTimeout(finish, 200);
        let open = 2;
        const closed = () => {
          open -= 1;
          if (open === 0) {
            clearTimeout(grace);
            finish();
          }
        };
        child.stdout.once("end", closed);
        child.stderr.once("end", closed);
      }
    });
  });
}
