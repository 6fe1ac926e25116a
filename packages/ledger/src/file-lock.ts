import { open, readFile, rename, rm } from "node:fs/promises";
import { sleep } from "@cutover/core";
import { LedgerError } from "./errors.js";

export interface FileLockOptions {
  /** Give up waiting for another writer after this long. */
  timeoutMs?: number;
  /** A lock older than this whose owner cannot be seen is taken over (a writer that crashed). */
  staleMs?: number;
  signal?: AbortSignal;
}

/**
 * Holds `<path>.lock` while `task` runs. The lock file is created with O_EXCL, so of two writers
 * (processes or not) exactly one gets it; the other polls until it is released or the deadline.
 */
export async function withFileLock<T>(path: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      try {
        await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await removeIfStale(lockPath, options.staleMs ?? 30_000)) continue;
      if (Date.now() >= deadline) {
        const holder = (await readFile(lockPath, "utf8").catch(() => "")).trim();
        throw new LedgerError(
          `ledger file ${path} stayed locked by another writer${holder ? ` (pid and time: ${holder})` : ""}; gave up waiting`,
        );
      }
      // Short, jittered polls: writes take milliseconds.
      await sleep(Math.min(100, 5 + attempt * 5) * (0.5 + Math.random()), options.signal);
    }
  }
  try {
    return await task();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function removeIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  const content = await readFile(lockPath, "utf8").catch(() => undefined);
  if (content === undefined) return true; // released between our open and read
  const [pidText, since] = content.trim().split(" ");
  const pid = Number(pidText);
  const age = Date.now() - Date.parse(since ?? "");
  const ownerGone = Number.isInteger(pid) && pid > 0 && !processExists(pid);
  if (!ownerGone && !(age > staleMs)) return false;
  // Rename first: only one waiter can take over a given stale lock.
  const grave = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`;
  try {
    await rename(lockPath, grave);
  } catch {
    return true;
  }
  await rm(grave, { force: true });
  return true;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
