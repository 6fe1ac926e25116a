import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { runProcess } from "@cutover/core";
import { SSH_DIR_PREFIX } from "./ssh-host.js";

/** What the post step did with one recorded directory. */
export interface SshLeftover {
  dir: string;
  /** The ControlMaster listening on the directory's socket was told to exit. */
  stoppedControlMaster: boolean;
  removed: boolean;
}

/**
 * The `post:` step's clean-up after a killed switch: stops the ControlMaster of each recorded
 * ssh directory (`ssh -O exit` on its socket) and removes the directory with the key in it.
 * Only directories named like the ones SshHost creates are touched. Safe to run twice.
 */
export async function removeSshLeftovers(dirs: readonly string[]): Promise<SshLeftover[]> {
  const results: SshLeftover[] = [];
  for (const dir of dirs) {
    if (!basename(dir).startsWith(SSH_DIR_PREFIX) || !existsSync(dir)) continue;
    const socket = join(dir, "cm");
    let stoppedControlMaster = false;
    if (existsSync(socket)) {
      // The host name is required by ssh's syntax but unused: -O talks to the socket only.
      const exit = await runProcess("ssh", ["-F", "none", "-o", `ControlPath=${socket}`, "-O", "exit", "cutover-leftover"], {
        timeoutMs: 5_000,
      }).catch(() => undefined);
      stoppedControlMaster = exit?.exitCode === 0;
    }
    await rm(dir, { recursive: true, force: true });
    results.push({ dir, stoppedControlMaster, removed: !existsSync(dir) });
  }
  return results;
}

/** removeSshLeftovers, as lines for the post step's log. */
export async function cleanUpSshLeftovers(dirs: readonly string[]): Promise<string[]> {
  return (await removeSshLeftovers(dirs)).map(
    (leftover) =>
      `removed the ssh key directory ${leftover.dir} a stopped run left behind${leftover.stoppedControlMaster ? " and stopped its ssh connection" : ""}`,
  );
}
