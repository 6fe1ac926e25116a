import { recordedSecretDirs, runPostStep } from "@cutover/runner";
// The sub-path keeps the post bundle small: no router providers, no cloud clients.
import { removeSshLeftovers } from "@cutover/traffic/ssh-leftovers";

// The `post:` step (post-if: always()): what a killed main step could not remove itself.
await runPostStep("blue-green-swap", async (log) => {
  for (const leftover of await removeSshLeftovers(recordedSecretDirs())) {
    log(
      `removed the ssh key directory ${leftover.dir} a stopped run left behind${leftover.stoppedControlMaster ? " and stopped its ssh connection" : ""}`,
    );
  }
});
