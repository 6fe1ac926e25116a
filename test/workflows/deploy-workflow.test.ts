// deploy.yml run for real in the sandbox world (examples/sandbox/sandbox-world.ts): a file ledger,
// the front door driven by the command router, real HTTP servers for each color, Slack in preview.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type SandboxWorld, startSandboxWorld, WORLD_ENVIRONMENT } from "../../examples/sandbox/sandbox-world.js";
import { type FakePrometheus, startFakePrometheus } from "../fakes/prometheus-api.js";
import { repoRoot } from "../harness/action-metadata.js";

let world: SandboxWorld;
const closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  world = await startSandboxWorld({ frontDoor: true, releases: { blue: "v1" }, history: [{ version: "v1", color: "blue" }] });
});
afterEach(async () => {
  await Promise.all([world.close(), ...closers.splice(0).map((close) => close())]);
});

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

it("stops at preflight when the router does not answer its status: no Slack, no record, no deploy, no traffic moved", async () => {
  const state = world.router.stateFile as string;
  const { result, log } = await deploy({
    router: stringify({
      provider: "command",
      // The front door's status, read from a path with a typo; the switch would move traffic.
      "status-command": `cat ${state}.typo`,
      "switch-command": `echo "$CUTOVER_COLOR" > ${state}`,
    }),
  });
  expect(result.conclusion).toBe("failure");
  const steps = result.jobs[0]?.steps ?? [];
  const preflight = steps.find((step) => step.id === "preflight");
  expect(preflight?.outcome).toBe("failure");
  const error = preflight?.annotations.map((a) => a.message).join("\n") ?? "";
  expect(error).toMatch(/input 'router'.*answers its status from this runner.*status-command `cat .*\.typo` failed/s);
  for (const id of ["slack-start", "router", "open", "deploy", "smoke", "swap"]) {
    expect(steps.find((step) => step.id === id)?.outcome, id).toBe("skipped");
  }
  expect(world.release("green"), log).toBeUndefined();
  expect((await new FileLedger(world.ledgerFile).list(WORLD_ENVIRONMENT)).records).toHaveLength(1);
  expect(readFileSync(state, "utf8").trim()).toBe("blue");
  expect(await world.serving()).toEqual({ color: "blue", version: "v1" });
  expect(steps.find((step) => step.id === "outcome")?.outputs.summary).toBe("checking the inputs failed before anything changed");
});

describe("traffic in steps", () => {
  /** Prometheus answering the new color's error rate: `bad` for the judged color's queries. */
  async function prometheus(bad: number): Promise<FakePrometheus> {
    const fake = await startFakePrometheus({ answer: (query) => ({ vector: [query.includes('color="green"') ? bad : 0] }) });
    closers.push(() => fake.close());
    return fake;
  }

  const sharesFile = () => join(world.workspace, ".cutover", "shares");

  function stepped(prometheusUrl: string, version: string): Record<string, string> {
    const state = world.router.stateFile as string;
    return {
      version,
      router: stringify({
        provider: "command",
        // The platform applies the shares; the front door follows the color last switched to.
        "switch-command": `echo "$CUTOVER_WEIGHTS" >> ${sharesFile()}; echo "$CUTOVER_COLOR" > ${state}`,
        "status-command": `cat ${state}`,
      }),
      "traffic-steps": "10, 50, 100",
      "step-duration": "300ms",
      "prometheus-url": prometheusUrl,
      metrics: stringify([{ name: "error rate", query: "sum(rate(http_errors_total[1m]))", max: 0.01 }]),
      scope: stringify({ color: "{color}" }),
    };
  }

  const shares = () => readFileSync(sharesFile(), "utf8").trim().split("\n");

  it("moves a good release share by share, judging each on its own metrics, then bakes it", async () => {
    const fake = await prometheus(0);
    const { result, log } = await deploy(stepped(fake.url, "v2"));
    expect(result.conclusion, log).toBe("success");
    expect(shares()).toEqual(["blue=90,green=10", "blue=50,green=50", "blue=0,green=100"]);
    expect(await world.serving()).toEqual({ color: "green", version: "v2" });
    const steps = result.jobs[0]?.steps ?? [];
    const swap = steps.find((step) => step.id === "swap");
    expect(JSON.parse(swap?.outputs.steps ?? "[]").map((s: { share: number; verdict?: string }) => [s.share, s.verdict])).toEqual([
      [10, "pass"],
      [50, "pass"],
      [100, undefined],
    ]);
    // Every step's query judged the new color alone.
    const stepQueries = fake.queries.filter((q) => q.query.includes("http_errors_total"));
    expect(stepQueries.length).toBeGreaterThanOrEqual(2);
    for (const q of stepQueries) expect(q.query).toContain('color="green"');
    const overview = steps.find((step) => step.id === "outcome")?.summary ?? "";
    expect(overview).toContain("took 10% (step, passed)");
    expect(overview).toContain("took all traffic (last step)");
  });

  it("returns a bad release to 0% at its first step: no larger share, no bake, rolled back", async () => {
    const fake = await prometheus(0.3);
    const { result, log } = await deploy(stepped(fake.url, "v3-bad"));
    expect(result.conclusion, log).toBe("failure");
    expect(shares()).toEqual(["blue=90,green=10", "blue=100,green=0"]);
    expect(await world.serving()).toEqual({ color: "blue", version: "v1" });
    const steps = result.jobs[0]?.steps ?? [];
    expect(steps.find((step) => step.id === "bake")?.outcome).toBe("skipped");
    expect(steps.find((step) => step.id === "swap-back")?.outcome).toBe("skipped");
    expect(result.outputs).toMatchObject({ outcome: "rolled-back", "active-color": "blue" });
    const outcome = steps.find((step) => step.id === "outcome");
    expect(outcome?.outputs.reason).toContain("green failed at 10% of traffic");
    expect(outcome?.outputs.reason).toContain("error rate");
    expect(outcome?.summary).toContain("the 10% step failed, traffic returned");
  });

  it("refuses traffic-steps that do not end at 100 at preflight, before anything changes", async () => {
    const { result } = await deploy({ "traffic-steps": "10, 50" });
    expect(result.conclusion).toBe("failure");
    const steps = result.jobs[0]?.steps ?? [];
    const error =
      steps
        .find((step) => step.id === "preflight")
        ?.annotations.map((a) => a.message)
        .join("\n") ?? "";
    expect(error).toContain("input 'traffic-steps'");
    expect(error).toContain("the last step is 50, not 100");
    expect(world.release("green")).toBeUndefined();
    expect(await world.serving()).toEqual({ color: "blue", version: "v1" });
  });
});
