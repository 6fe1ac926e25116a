// deploy.yml run for real in the sandbox world (examples/sandbox/sandbox-world.ts): a file ledger,
// the front door driven by the command router, real HTTP servers for each color, Slack in preview.

import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { afterEach, beforeEach, expect, it } from "vitest";
import { stringify } from "yaml";
import { type SandboxWorld, startSandboxWorld, WORLD_ENVIRONMENT } from "../../examples/sandbox/sandbox-world.js";
import { repoRoot } from "../harness/action-metadata.js";

let world: SandboxWorld;
beforeEach(async () => {
  world = await startSandboxWorld({ frontDoor: true, releases: { blue: "v1" }, history: [{ version: "v1", color: "blue" }] });
});
afterEach(() => world.close());

async function deploy(inputs: Record<string, string>): Promise<{ result: WorkflowResult; log: string }> {
  const lines: string[] = [];
  const result = await runWorkflow({
    workflow: join(repoRoot, ".github", "workflows", "deploy.yml"),
    workspace: world.workspace,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: {
      ...world.workflowInputs(),
      version: "v2",
      "verify-expect": stringify({ headers: { "x-color": "{color}" } }),
      "health-interval": "50ms",
      "bake-duration": "200ms",
      "bake-interval": "100ms",
      ...inputs,
    },
  });
  return { result, log: lines.join("\n") };
}

it("deploys with one port per color (idle-url as a map), and the job summary opens with the overview", async () => {
  const { blue, green } = world.fleet.servers;
  const { result, log } = await deploy({ "idle-url": stringify({ blue: `http://${blue}`, green: `http://${green}` }) });
  expect(result.conclusion, log).toBe("success");
  expect(result.outputs).toMatchObject({ outcome: "success", "active-color": "green", "previous-color": "blue" });
  expect(await world.serving()).toEqual({ color: "green", version: "v2" });
  expect(world.release("green")).toBe("v2");

  const steps = result.jobs[0]?.steps ?? [];
  const smoke = steps.find((step) => step.id === "smoke");
  expect(JSON.parse(smoke?.outputs.report ?? "{}").url).toBe(`http://${green}`);
  // Every step before the outcome kept its summary aside; the outcome wrote them under its overview.
  const outcome = steps.find((step) => step.id === "outcome");
  expect(outcome?.summary.startsWith(`## ✅ ${WORLD_ENVIRONMENT}: deploy of v2 — success`)).toBe(true);
  expect(outcome?.summary).toContain("took traffic (swap)");
  for (const id of ["preflight", "router", "smoke", "swap", "bake"]) {
    expect(steps.find((step) => step.id === id)?.summary, id).toBe("");
  }
  const ledger = new FileLedger(world.ledgerFile);
  const record = await ledger.get(Number(result.outputs["deployment-id"]));
  expect(record).toMatchObject({ state: "success", payload: { version: "v2", color: "green", replacedColor: "blue" } });
});

it("stops at preflight on a mention Slack would not ping: no record, no deploy, no traffic moved", async () => {
  const { result, log } = await deploy({
    "slack-mention": "@oncall",
    checks: "- path: /\n  expect:\n    json: { status: ok }\n",
  });
  expect(result.conclusion).toBe("failure");
  const steps = result.jobs[0]?.steps ?? [];
  const preflight = steps.find((step) => step.id === "preflight");
  expect(preflight?.outcome).toBe("failure");
  const error = preflight?.annotations.map((a) => a.message).join("\n") ?? "";
  expect(error).toContain("input 'slack-mention'");
  expect(error).toMatch(/input 'checks' at \[0\]\.expect\.json/);
  for (const id of ["slack-start", "router", "open", "deploy", "smoke", "swap"]) {
    expect(steps.find((step) => step.id === id)?.outcome, id).toBe("skipped");
  }
  expect(world.release("green"), log).toBeUndefined();
  // Only the deployment the world started with: the refused run opened no record.
  expect((await new FileLedger(world.ledgerFile).list(WORLD_ENVIRONMENT)).records).toHaveLength(1);
  expect(await world.serving()).toEqual({ color: "blue", version: "v1" });
  expect(result.outputs).toMatchObject({ outcome: "failure" });
  expect(steps.find((step) => step.id === "outcome")?.outputs.summary).toBe("checking the inputs failed before anything changed");
});
