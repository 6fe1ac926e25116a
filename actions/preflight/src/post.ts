import { cleanUpRecordedDirs } from "@cutover/runner";
// The sub-path keeps the post bundle small: no router providers, no cloud clients.
import { cleanUpSshLeftovers } from "@cutover/traffic/ssh-leftovers";

// The `post:` step (post-if: always()): what a killed main step could not remove itself.
await cleanUpRecordedDirs("preflight", cleanUpSshLeftovers);
