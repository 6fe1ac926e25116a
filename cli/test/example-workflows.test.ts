// The example callers users copy, run as the README's quickstart runs them: `cutover run` from
// this checkout against the sandbox world (the team repository as the workspace, its variables and
// secrets from files), the front door as the router so the unit tier needs nothing installed.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SandboxWorld, startSandboxWorld, WORLD_ENVIRONMENT } from "../../examples/sandbox/sandbox-world.js";
import { repoRoot } from "../../test/harness/action-metadata.js";

let world: SandboxWorld;
beforeAll(async () => {
  world = await startSandboxWorld({ frontDoor: true });
});
afterAll(() => world.close());

/** `npx cutover …` from this checkout; async, so the world's servers answer meanwhile. */
function cutover(...args: string[]): Promise<{ status: number | null; output: string }> {
  const child = spawn(join(repoRoot, "node_modules", ".bin", "node"), [join(repoRoot, "bin", "cutover.mjs"), ...args], { cwd: repoRoot });
  let output = "";
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout.setEncoding("utf8").on("data", collect);
  child.stderr.setEncoding("utf8").on("data", collect);
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, output })));
}

const worldFlags = () => ["--workspace", world.workspace, "--var-file", world.varFile, "--secret-file", world.secretFile];

it("deploy-on-push.yml deploys a push to staging: the new commit on green takes the traffic, the ledger records it", async () => {
  const release = world.commit("a new release", { "app/CHANGES": "checkout button\n" });
  const run = await cutover("run", "examples/workflows/deploy-on-push.yml", "--event", "push", "--job", "staging", ...worldFlags());
  expect(run.status, run.output).toBe(0);
  expect(await world.serving()).toEqual({ color: "green", version: release });
  expect(run.output).toContain("registry token given: yes");
  expect(run.output).not.toContain(world.secrets.REGISTRY_TOKEN);

  const { records } = await new FileLedger(world.ledgerFile).list(WORLD_ENVIRONMENT);
  const latest = records.find((record) => record.payload.version === release);
  expect(latest).toMatchObject({ state: "success", payload: { color: "green", replacedColor: "blue", sha: release } });
  // The migrations of db/migrations were applied to the world's SQLite database.
  expect(readFileSync(world.databaseFile).subarray(0, 15).toString()).toBe("SQLite format 3");
}, 120_000);

it("manual-rollback.yml returns staging's traffic to the last known good release and records the rollback", async () => {
  const run = await cutover(
    "run",
    "examples/workflows/manual-rollback.yml",
    "--event",
    "workflow_dispatch",
    "--input",
    "environment=staging",
    "--input",
    "reason=checkout button breaks payments",
    ...worldFlags(),
  );
  expect(run.status, run.output).toBe(0);
  expect(await world.serving()).toEqual({ color: "blue", version: world.firstRelease });

  const { records } = await new FileLedger(world.ledgerFile).list(WORLD_ENVIRONMENT);
  const rollback = records.find((record) => record.payload.rollback !== undefined);
  expect(rollback).toMatchObject({
    state: "success",
    payload: { version: world.firstRelease, color: "blue", rollback: { reason: "checkout button breaks payments" } },
  });
}, 120_000);
