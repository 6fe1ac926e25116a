// deploy.yml run for real in the sandbox with a team's caller: a file ledger, a command router over
// a state file, real HTTP servers for each color (one port per color, as docker-compose has them)
// and for the public URL, Slack in preview mode.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type FakePrometheus, startFakePrometheus } from "../fakes/prometheus-api.js";
import { repoRoot } from "../harness/action-metadata.js";
import { startTestServer, type TestServer } from "../harness/test-server.js";

type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: { deploy: { steps: Step[] } } };

let dir: string;
let servers: TestServer[];
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-deploy-wf-"));
  servers = [];
});
afterEach(async () => {
  await Promise.all([...servers.map((server) => server.close()), ...closers.splice(0).map((close) => close())]);
  rmSync(dir, { recursive: true, force: true });
});

/** deploy.yml without the checkout (the sandbox's workspace is the checkout) and with quick probe intervals. */
function sandboxCopy(): string {
  const workflow = parse(readFileSync(join(repoRoot, ".github", "workflows", "deploy.yml"), "utf8")) as Workflow;
  const job = workflow.jobs.deploy;
  job.steps = job.steps.filter((step) => !step.uses?.startsWith("actions/checkout@"));
  const path = join(dir, "deploy.yml");
  writeFileSync(path, stringify(workflow));
  return path;
}

/** Each color on its own port, serving the version in <dir>/<color>.version; the public URL answers as the routed color. */
async function startWorld(state: string): Promise<{ idleUrl: string; publicUrl: string }> {
  const version = (color: string) => {
    const file = join(dir, `${color}.version`);
    return existsSync(file) ? readFileSync(file, "utf8").trim() : "none";
  };
  const color = (name: string) =>
    startTestServer((_req, res) => {
      res.setHeader("x-color", name);
      res.end(version(name));
    });
  const [blue, green] = await Promise.all([color("blue"), color("green")]);
  const publicServer = await startTestServer((_req, res) => {
    const live = readFileSync(state, "utf8").trim();
    res.setHeader("x-color", live);
    res.end(version(live));
  });
  servers.push(blue, green, publicServer);
  return { idleUrl: stringify({ blue: blue.url, green: green.url }), publicUrl: publicServer.url };
}

async function deploy(inputs: Record<string, string>): Promise<{ result: WorkflowResult; log: string; state: string; ledgerPath: string }> {
  const state = join(dir, "router-state");
  writeFileSync(state, "blue\n");
  writeFileSync(join(dir, "blue.version"), "v1");
  const world = await startWorld(state);
  const ledgerPath = join(dir, "ledger.json");
  const lines: string[] = [];
  const result = await runWorkflow({
    workflow: sandboxCopy(),
    workspace: dir,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: {
      environment: "staging",
      version: "v2",
      ledger: `file:${ledgerPath}`,
      router: stringify({
        provider: "command",
        "switch-command": `echo "$CUTOVER_COLOR" > ${state}`,
        "status-command": `cat ${state}`,
      }),
      "public-url": world.publicUrl,
      "idle-url": world.idleUrl,
      "deploy-command": `echo "$CUTOVER_VERSION" > "$CUTOVER_COLOR.version"; touch deployed`,
      "verify-expect": stringify({ headers: { "x-color": "{color}" } }),
      "health-interval": "50ms",
      "bake-duration": "200ms",
      "bake-interval": "100ms",
      ...inputs,
    },
  });
  return { result, log: lines.join("\n"), state, ledgerPath };
}

it("deploys a one-port-per-color world without a proxy, and the job summary opens with the overview", async () => {
  const { result, log, state, ledgerPath } = await deploy({});
  expect(result.conclusion, log).toBe("success");
  expect(result.outputs).toMatchObject({ outcome: "success", "active-color": "green", "previous-color": "blue" });
  expect(readFileSync(state, "utf8").trim()).toBe("green");
  expect(readFileSync(join(dir, "green.version"), "utf8").trim()).toBe("v2");

  const steps = result.jobs[0]?.steps ?? [];
  const smoke = steps.find((step) => step.id === "smoke");
  expect(JSON.parse(smoke?.outputs.report ?? "{}").url).toBe(servers[1]?.url);
  // Every step before the outcome kept its summary aside; the outcome wrote them under its overview.
  const outcome = steps.find((step) => step.id === "outcome");
  expect(outcome?.summary.startsWith("## ✅ staging: deploy of v2 — success")).toBe(true);
  expect(outcome?.summary).toContain("took traffic (swap)");
  for (const id of ["preflight", "router", "smoke", "swap", "bake"]) {
    expect(steps.find((step) => step.id === id)?.summary, id).toBe("");
  }
  const ledger = new FileLedger(ledgerPath);
  const record = await ledger.get(Number(result.outputs["deployment-id"]));
  expect(record).toMatchObject({ state: "success", payload: { version: "v2", color: "green", replacedColor: "blue" } });
});

it("stops at preflight on a mention Slack would not ping: no record, no deploy, no traffic moved", async () => {
  const { result, log, state, ledgerPath } = await deploy({
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
  expect(existsSync(join(dir, "deployed")), log).toBe(false);
  expect(existsSync(ledgerPath)).toBe(false);
  expect(readFileSync(state, "utf8").trim()).toBe("blue");
  expect(result.outputs).toMatchObject({ outcome: "failure" });
  expect(steps.find((step) => step.id === "outcome")?.outputs.summary).toBe("checking the inputs failed before anything changed");
});

describe("traffic in steps", () => {
  /** Prometheus answering the new color's error rate: `bad` for the judged color's queries. */
  async function prometheus(bad: number): Promise<FakePrometheus> {
    const fake = await startFakePrometheus({ answer: (query) => ({ vector: [query.includes('color="green"') ? bad : 0] }) });
    closers.push(() => fake.close());
    return fake;
  }

  function stepped(prometheusUrl: string, version: string): Record<string, string> {
    return {
      version,
      router: stringify({
        provider: "command",
        // The platform applies the shares; the public URL follows the larger one.
        "switch-command": `echo "$CUTOVER_WEIGHTS" >> ${join(dir, "shares")}; echo "$CUTOVER_COLOR" > ${join(dir, "router-state")}`,
        "status-command": `cat ${join(dir, "router-state")}`,
      }),
      "traffic-steps": "10, 50, 100",
      "step-duration": "300ms",
      "prometheus-url": prometheusUrl,
      metrics: stringify([{ name: "error rate", query: "sum(rate(http_errors_total[1m]))", max: 0.01 }]),
      scope: stringify({ color: "{color}" }),
    };
  }

  const shares = () => readFileSync(join(dir, "shares"), "utf8").trim().split("\n");

  it("moves a good release share by share, judging each on its own metrics, then bakes it", async () => {
    const fake = await prometheus(0);
    const { result, log, state } = await deploy(stepped(fake.url, "v2"));
    expect(result.conclusion, log).toBe("success");
    expect(shares()).toEqual(["blue=90,green=10", "blue=50,green=50", "blue=0,green=100"]);
    expect(readFileSync(state, "utf8").trim()).toBe("green");
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
    const { result, log, state } = await deploy(stepped(fake.url, "v3-bad"));
    expect(result.conclusion, log).toBe("failure");
    expect(shares()).toEqual(["blue=90,green=10", "blue=100,green=0"]);
    expect(readFileSync(state, "utf8").trim()).toBe("blue");
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
    const { result, state } = await deploy({ "traffic-steps": "10, 50" });
    expect(result.conclusion).toBe("failure");
    const steps = result.jobs[0]?.steps ?? [];
    const error =
      steps
        .find((step) => step.id === "preflight")
        ?.annotations.map((a) => a.message)
        .join("\n") ?? "";
    expect(error).toContain("input 'traffic-steps'");
    expect(error).toContain("the last step is 50, not 100");
    expect(existsSync(join(dir, "deployed"))).toBe(false);
    expect(readFileSync(state, "utf8").trim()).toBe("blue");
  });
});
