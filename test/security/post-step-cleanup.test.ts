import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readActionMetadata } from "../harness/action-metadata.js";
import { runActionPost } from "../harness/run-action.js";

// Issue 12 item 6: the actions that open ssh connections have a `post:` step (post-if: always())
// that removes what a killed main step recorded. The sshd end-to-end case is in ssh-switch.e2e.test.ts.

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "cutover-post-"));
});
afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe.each(["blue-green-swap", "rollback"])("%s post step", (action) => {
  it("is declared to run always", () => {
    const runs = readActionMetadata(action).runs as { post?: string; "post-if"?: string };
    expect(runs.post).toBe(`../../dist/${action}/post/index.js`);
    expect(runs["post-if"]).toBe("always()");
  });

  it("removes a recorded ssh key directory and leaves anything else alone", async () => {
    const leftover = join(temp, "cutover-ssh-abc123");
    mkdirSync(leftover);
    writeFileSync(join(leftover, "id"), "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n", { mode: 0o600 });
    const unrelated = join(temp, "not-ours");
    mkdirSync(unrelated);
    const state = { "secret-dirs": JSON.stringify([leftover, unrelated, join(temp, "cutover-ssh-gone")]) };
    const post = await runActionPost(action, {}, state, { env: { RUNNER_TEMP: temp } });
    expect(post.exitCode, post.stdout + post.stderr).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(unrelated)).toBe(true);
    expect(post.log).toContain(`${action} post: removed the ssh key directory ${leftover}`);
    expect(post.log).not.toContain("secret");
  });

  it("does nothing, successfully, when the main step recorded nothing", async () => {
    const post = await runActionPost(action, {}, {});
    expect(post.exitCode).toBe(0);
    expect(post.annotations).toEqual([]);
  });
});
