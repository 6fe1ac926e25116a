// rollback.yml run for real in the sandbox world (examples/sandbox/sandbox-world.ts): a file ledger,
// the front door driven by the command router, real HTTP servers for the two colors, Slack in preview.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { afterEach, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type SandboxWorld, type SandboxWorldOptions, startSandboxWorld, WORLD_ENVIRONMENT } from "../../examples/sandbox/sandbox-world.js";
import { repoRoot } from "../harness/action-metadata.js";

type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: { rollback: { steps: Step[] } } };

let world: SandboxWorld | undefined;
afterEach(() => world?.close());

async function startWorld(options: SandboxWorldOptions): Promise<SandboxWorld> {
  world = await startSandboxWorld({ frontDoor: true, ...options });
  return world;
}

/** rollback.yml with a quick health-gate interval (it has no input for it). */
function quickCopy(world: SandboxWorld): string {
  const workflow = parse(readFileSync(join(repoRoot, ".github", "workflows", "rollback.yml"), "utf8")) as Workflow;
  const gate = workflow.jobs.rollback.steps.find((step) => step.id === "gate-idle");
  if (!gate?.with) throw new Error("rollback.yml has no gate-idle step");
  gate.with.interval = "50ms";
  const path = join(world.workspace, ".cutover", "rollback.yml");
  writeFileSync(path, stringify(workflow));
  return path;
}

async function rollback(world: SandboxWorld, inputs: Record<string, string>, secrets: Record<string, string> = {}) {
  const lines: string[] = [];
  const result: WorkflowResult = await runWorkflow({
    workflow: quickCopy(world),
    workspace: world.workspace,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: { ...world.workflowInputs(), ...inputs },
    secrets,
  });
  return { result, log: lines.join("\n") };
}

it("redeploys the last known good version to the idle color, swaps, and closes the rollback record", async () => {
  const world = await startWorld({
    releases: { blue: "v3", green: "v1" },
    history: [
      { version: "v1", color: "green", replacedColor: "blue" },
      { version: "v2", color: "blue", replacedColor: "green" },
      { version: "v3", color: "blue", replacedColor: "green" },
    ],
  });
  const ledger = new FileLedger(world.ledgerFile);
  const v3 = (await ledger.list(WORLD_ENVIRONMENT)).records.find((record) => record.payload.version === "v3");
  if (!v3) throw new Error("the world's ledger has no v3");

  const { result, log } = await rollback(
    world,
    {
      reason: "v3 breaks checkout",
      strategy: "redeploy",
      "deploy-command": `./deploy/deploy.sh; env | grep ^CUTOVER_ | sort > deploy-env.txt; echo "token=$DEPLOY_TOKEN" > deploy-secret.txt`,
      "verify-expect": stringify({ headers: { "x-color": "{color}" } }),
    },
    { "deploy-secrets": "DEPLOY_TOKEN=s3cr3t-token" },
  );
  expect(result.conclusion, log).toBe("success");
  expect(result.outputs).toMatchObject({ strategy: "redeploy", "target-version": "v2", "active-color": "green", outcome: "success" });

  // The deploy command got deploy.yml's env contract, with the target version and the idle color.
  const env = readFileSync(join(world.workspace, "deploy-env.txt"), "utf8");
  expect(env).toContain("CUTOVER_COLOR=green\n");
  expect(env).toContain("CUTOVER_VERSION=v2\n");
  expect(env).toContain(`CUTOVER_ENVIRONMENT=${WORLD_ENVIRONMENT}\n`);
  expect(env).not.toContain("CUTOVER_DEPLOY_SECRETS");
  expect(readFileSync(join(world.workspace, "deploy-secret.txt"), "utf8")).toBe("token=s3cr3t-token\n");
  expect(log).not.toContain("s3cr3t-token");

  // Traffic moved; the rollback record is closed success and v3 is marked failure.
  expect(await world.serving()).toEqual({ color: "green", version: "v2" });
  const rollbackRecord = await ledger.get(Number(result.outputs["deployment-id"]));
  expect(rollbackRecord.state).toBe("success");
  expect(rollbackRecord.payload).toMatchObject({ version: "v2", rollback: { reason: "v3 breaks checkout", strategy: "redeploy" } });
  expect((await ledger.get(v3.id)).state).toBe("failure");

  const slack = result.jobs[0]?.steps.find((step) => step.id === "slack-end");
  expect(slack?.outputs.delivery).toBe("preview");
  expect(slack?.outputs.payload).toContain(`Rolled back ${WORLD_ENVIRONMENT} to v2`);
  expect(slack?.outputs.payload).toContain("blue → 🟢 green");
});

it("refuses without a known good target: nothing deployed, traffic untouched, outcome failure", async () => {
  const world = await startWorld({ releases: { blue: "v1" }, history: [{ version: "v1", color: "blue" }] });
  const ledger = new FileLedger(world.ledgerFile);
  const { result, log } = await rollback(world, { reason: "testing", "deploy-command": "touch deployed" });
  expect(result.conclusion, log).toBe("failure");
  expect(result.outputs).toMatchObject({ strategy: "", outcome: "failure" });
  expect(existsSync(join(world.workspace, "deployed"))).toBe(false);
  expect(await world.serving()).toEqual({ color: "blue", version: "v1" });
  const steps = result.jobs[0]?.steps ?? [];
  expect(steps.find((step) => step.id === "deploy")?.outcome).toBe("skipped");
  expect(steps.find((step) => step.id === "close")?.outcome).toBe("skipped");
  const outcome = steps.find((step) => step.id === "outcome");
  expect(outcome?.outputs.summary).toBe("rollback failed in the rollback step");
  const slack = steps.find((step) => step.id === "slack-end");
  expect(slack?.outputs.payload).toContain(`Rollback of ${WORLD_ENVIRONMENT} did not complete`);
  // Only the one deployment: the refused rollback opened no record.
  expect((await ledger.list(WORLD_ENVIRONMENT)).records).toHaveLength(1);
});

it("a redeploy whose deploy command fails closes the rollback record failure and leaves traffic where it was", async () => {
  const world = await startWorld({
    releases: { blue: "v2" },
    history: [
      { version: "v1", color: "green" },
      { version: "v2", color: "blue" },
    ],
  });
  const ledger = new FileLedger(world.ledgerFile);
  const { result, log } = await rollback(world, {
    strategy: "redeploy",
    "deploy-command": 'echo "registry refused $CUTOVER_VERSION" >&2; exit 3',
  });
  expect(result.conclusion, log).toBe("failure");
  expect(result.outputs).toMatchObject({ strategy: "redeploy", "target-version": "v1", outcome: "failure", "active-color": "blue" });
  expect(await world.serving()).toEqual({ color: "blue", version: "v2" });
  const steps = result.jobs[0]?.steps ?? [];
  expect(steps.find((step) => step.id === "outcome")?.outputs.summary).toBe("rollback failed in the deploy command; blue serves");
  const record = await ledger.get(Number(result.outputs["deployment-id"]));
  expect(record.state).toBe("failure");
  expect(record.payload.rollback?.strategy).toBe("redeploy");
});
