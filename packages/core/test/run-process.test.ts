import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeExit, outputTail, runProcess } from "../src/run-process.js";

const dir = mkdtempSync(join(tmpdir(), "cutover-run-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a process is running; a killed orphan nobody has reaped yet (a zombie) is not. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("runProcess", () => {
  it("captures exit code and both streams, and feeds stdin", async () => {
    const result = await runProcess("/bin/sh", ["-c", "cat; echo oops >&2; exit 3"], { input: "hello\n" });
    expect(result).toMatchObject({ exitCode: 3, signal: null, stdout: "hello\n", stderr: "oops\n", timedOut: false, cancelled: false });
    expect(outputTail(result)).toBe("oops\nhello");
    expect(describeExit(result, 1000)).toBe("exit 3");
  });

  it("stopping on timeout reaches grandchildren started in the background", async () => {
    const pidFile = join(dir, "grandchild.pid");
    const result = await runProcess("/bin/bash", ["-c", `sleep 300 & echo $! > ${pidFile}; wait`], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGTERM");
    expect(describeExit(result, 300)).toBe("no result within 300ms (killed)");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    // The group was signalled, not just the shell: the background sleep is gone too (or going: wait for its exit).
    await expect.poll(() => alive(grandchild)).toBe(false);
  });

  it("escalates to SIGKILL when the process ignores SIGTERM", async () => {
    const result = await runProcess("/bin/bash", ["-c", "trap '' TERM; echo ready; sleep 300"], {
      timeoutMs: 200,
      killGraceMs: 100,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    expect(result.stdout).toBe("ready\n");
  });

  it("an abort interrupts with SIGINT first when asked, as the Actions runner does", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runProcess("/bin/bash", ["-c", "trap 'echo got INT; exit 0' INT; echo started; while true; do sleep 0.05; done"], {
      signal: controller.signal,
      interruptGraceMs: 60_000,
      onLine: (line) => {
        lines.push(line);
        if (line === "started") controller.abort();
      },
    });
    const result = await running;
    expect(result).toMatchObject({ cancelled: true, timedOut: false, exitCode: 0 });
    expect(lines).toEqual(["started", "got INT"]);
  });

  it("an already aborted signal stops the process at once", async () => {
    const result = await runProcess("/bin/sh", ["-c", "sleep 300"], { signal: AbortSignal.abort() });
    expect(result.cancelled).toBe(true);
    expect(result.signal).toBe("SIGTERM");
  });

  it("keeps only a bounded tail of each stream", async () => {
    const script = "for i in $(seq 1 5000); do echo line-$i; done; echo last-line";
    const result = await runProcess("/bin/bash", ["-c", script], { maxOutputChars: 1_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(1_000);
    expect(result.stdout.endsWith("line-5000\nlast-line\n")).toBe(true);
  });

  it("streams whole lines, strips \\r, and flushes a last line without a newline", async () => {
    const lines: [string, string][] = [];
    await runProcess("/bin/sh", ["-c", "printf 'one\\r\\ntwo\\n'; printf 'err\\n' >&2; printf 'tail'"], {
      onLine: (line, stream) => lines.push([stream, line]),
    });
    expect(lines).toContainEqual(["stdout", "one"]);
    expect(lines).toContainEqual(["stdout", "two"]);
    expect(lines).toContainEqual(["stderr", "err"]);
    expect(lines.at(-1)).toEqual(["stdout", "tail"]);
  });

  it("adds env to this process's environment, or gives only env with inheritEnv: false", async () => {
    const inherited = await runProcess("/bin/sh", ["-c", 'echo "$EXTRA:$(test -n "$PATH" && echo has-path)"'], { env: { EXTRA: "x" } });
    expect(inherited.stdout).toBe("x:has-path\n");
    const alone = await runProcess("/bin/sh", ["-c", 'echo "$EXTRA:$(test -z "$HOME" && echo no-home)"'], {
      env: { EXTRA: "y" },
      inheritEnv: false,
    });
    expect(alone.stdout).toBe("y:no-home\n");
  });

  it("rejects when the program does not exist", async () => {
    await expect(runProcess(join(dir, "no-such-program"), [])).rejects.toMatchObject({ code: "ENOENT" });
  });
});
