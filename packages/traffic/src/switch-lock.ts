import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { abortReason, outputTail, sleep } from "@cutover/core";
import type { Host } from "./host.js";
import { RouterError } from "./router-error.js";
import { shellQuote } from "./shell-quote.js";

export interface SwitchLockOptions {
  /** The lock directory, beside the file the router manages (on the router's host). */
  path: string;
  /** A lock older than this is left by a dead switch: no live switch holds it that long. */
  staleAfterMs: number;
  /** How long one look at the lock may take (a command over ssh). */
  timeoutMs: number;
  /** Cancels the wait; nothing has changed while a switch waits for the lock. */
  signal?: AbortSignal;
  /** The router, for messages. */
  what: string;
}

/** How often a waiting switch looks at the lock again. */
const POLL_MS = 200;

/** Who holds a lock: this machine, this process and a token per acquisition. */
export function lockOwner(): string {
  return `host=${hostname()} pid=${process.pid} token=${randomBytes(6).toString("hex")}`;
}

/**
 * Takes the switch lock of one router: a directory made with `mkdir` (atomic on every POSIX
 * file system, locally and over ssh) holding an `owner` file. A lock whose owner is a dead
 * process of this machine, or older than `staleAfterMs`, is taken over. Resolves to the
 * release, which removes the lock only while this switch still owns it.
 */
export async function acquireSwitchLock(host: Host, options: SwitchLockOptions): Promise<() => Promise<void>> {
  const owner = lockOwner();
  const lock = shellQuote(options.path);
  const take = [
    `l=${lock}`,
    `if mkdir "$l" 2>/dev/null; then printf '%s\\n' ${shellQuote(owner)} > "$l/owner"; echo acquired; exit 0; fi`,
    // mkdir failed for another reason than an existing lock: let it say why.
    `if [ ! -d "$l" ]; then mkdir "$l"; exit 1; fi`,
    `now=$(date +%s); made=$(stat -c %Y "$l" 2>/dev/null || stat -f %m "$l" 2>/dev/null || echo "$now")`,
    `echo "held $((now - made))"`,
    `cat "$l/owner" 2>/dev/null || true`,
  ].join("\n");
  const deadline = performance.now() + options.staleAfterMs + 10 * options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    // Not interruptible: killed between mkdir and writing the owner, it would leave a lock no one can tell is stale.
    const result = await host.exec(take, { timeoutMs: options.timeoutMs });
    if (result.exitCode !== 0) {
      throw new RouterError(`could not take the switch lock ${options.path}: ${outputTail(result, 4) || `exit ${result.exitCode}`}`, {
        step: "lock",
        unchanged: true,
      });
    }
    const [first = "", holder = ""] = result.stdout.split("\n").map((line) => line.trim());
    if (first === "acquired") return () => releaseSwitchLock(host, options, owner);
    const ageSeconds = Number(/^held (-?\d+)$/.exec(first)?.[1] ?? 0);
    if (isStale(holder, ageSeconds * 1000, options.staleAfterMs)) {
      await breakLock(host, options, holder);
      continue;
    }
    if (performance.now() > deadline) {
      throw new RouterError(
        `another switch of ${options.what} holds the lock ${options.path} (${holder || "owner not written yet"}, for ${ageSeconds}s); ` +
          `nothing was changed. If no switch of this router is running, remove the lock by hand: rm -r ${options.path}`,
        { step: "lock", unchanged: true },
      );
    }
    await sleep(POLL_MS, options.signal);
  }
}

/** A lock left by a process of this machine that is gone, or older than any live switch. */
function isStale(holder: string, ageMs: number, staleAfterMs: number): boolean {
  if (ageMs > staleAfterMs) return true;
  const match = /^host=(\S+) pid=(\d+) /.exec(holder);
  if (!match || match[1] !== hostname()) return false;
  try {
    process.kill(Number(match[2]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Removes a stale lock, unless another waiter replaced it meanwhile (its owner line differs). */
async function breakLock(host: Host, options: SwitchLockOptions, holder: string): Promise<void> {
  const l = shellQuote(options.path);
  await host.exec(`l=${l}; if [ "$(cat "$l/owner" 2>/dev/null)" = ${shellQuote(holder)} ]; then rm -rf "$l"; fi`, {
    timeoutMs: options.timeoutMs,
  });
}

async function releaseSwitchLock(host: Host, options: SwitchLockOptions, owner: string): Promise<void> {
  const l = shellQuote(options.path);
  await host
    .exec(`l=${l}; if [ "$(cat "$l/owner" 2>/dev/null)" = ${shellQuote(owner)} ]; then rm -rf "$l"; fi`, { timeoutMs: options.timeoutMs })
    .catch(() => undefined);
}
