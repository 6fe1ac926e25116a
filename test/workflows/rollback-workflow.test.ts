// rollback.yml run for real in the sandbox: a file ledger, a command router over a state file,
// real HTTP servers for the two colors and the public URL, Slack in preview mode.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow } from "@cutover/sandbox";
import { afterEach, beforeEach, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "../harness/action-metadata.js";
import { startTestServer, type TestServer } from "../harness/test-server.js";

type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: { rollback: { steps: Step[] } } };

let dir: string;
let servers: TestServer[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-rollback-wf-"));
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** rollback.yml without the checkout (the sandbox runs no third-party actions; the workspace is already here) and with a quick health-gate interval. */
function sandboxCopy(): string {
  const workflow = parse(readFileSync(join(repoRoot, ".github", "workflows", "rollback.yml"), "utf8")) as Workflow;
  const job = workflow.jobs.rollback;
  const steps = job.steps.filter((step) => !step.uses?.startsWith("actions/checkout@"));
  expect(steps.length).toBe(job.steps.length - 1);
  const gate = steps.find((step) => step.id === "gate-idle");
  if (!gate?.with) throw new Error("rollback.yml has no gate-idle step");
  gate.with.interval = "50ms";
  job.steps = steps;
  const path = join(dir, "rollback.yml");
  writeFileSync(path, stringify(workflow));
  return path;
}

/**
 * The two colors behind one server, told apart by path prefix (`/blue/…`, `/green/…`: the sandbox
 * has no DNS for `{color}` hosts), each serving the version in <dir>/<color>.version; and the
 * public URL, which answers as the color in the router's state file.
 */
async function startColors(state: string): Promise<{ idleUrl: string; publicUrl: string }> {
  const version = (color: string) => {
    const file = join(dir, `${color}.version`);
    return existsSync(file) ? readFileSync(file, "utf8").trim() : "none";
  };
  const apps = await startTestServer((req, res) => {
    const color = /^\/(blue|green)(\/|$)/.exec(req.url ?? "")?.[1];
    if (!color) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader("x-color", color);
    res.end(version(color));
  });
  const publicServer = await startTestServer((_req, res) => {
    const color = readFileSync(state, "utf8").trim();
    res.setHeader("x-color", color);
    res.end(version(color));
  });
  servers.push(apps, publicServer);
  return { idleUrl: `${apps.url}/{color}`, publicUrl: publicServer.url };
}

it("redeploys the last known good version to the idle color, swaps, and closes the rollback record", async () => {
  const state = join(dir, "router-state");
  writeFileSync(state, "blue\n");
  writeFileSync(join(dir, "blue.version"), "v3");
  writeFileSync(join(dir, "green.version"), "v1");
  const colors = await startColors(state);

  const ledgerPath = join(dir, "ledger.json");
  const ledger = new FileLedger(ledgerPath);
  const deploy = async (version: string, color: string, replacedColor: string) => {
    const record = await ledger.open({
      environment: "staging",
      payload: { version, ref: "main", sha: `${version}`.padEnd(40, "0"), color, replacedColor },
    });
    return ledger.update(record.id, { state: "success" });
  };
  await deploy("v1", "green", "blue");
  const v2 = await deploy("v2", "blue", "green");
  const v3 = await deploy("v3", "blue", "green");
  expect(v2.payload.color).toBe("blue");

  const lines: string[] = [];
  const result = await runWorkflow({
    workflow: sandboxCopy(),
    workspace: dir,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: {
      environment: "staging",
      reason: "v3 breaks checkout",
      strategy: "redeploy",
      ledger: `file:${ledgerPath}`,
      router: stringify({
        provider: "command",
        "switch-command": `echo "$CUTOVER_COLOR" > ${state}`,
        "status-command": `cat ${state}`,
      }),
      "public-url": colors.publicUrl,
      "idle-url": colors.idleUrl,
      "deploy-command": `echo "$CUTOVER_VERSION" > "$CUTOVER_COLOR.version"; env | grep ^CUTOVER_ | sort > deploy-env.txt; echo "token=$DEPLOY_TOKEN" > deploy-secret.txt`,
      "verify-expect": stringify({ headers: { "x-color": "{color}" } }),
    },
    secrets: { "deploy-secrets": "DEPLOY_TOKEN=s3cr3t-token" },
  });
  expect(result.conclusion, lines.join("\n")).toBe("success");
  expect(result.outputs).toMatchObject({ strategy: "redeploy", "target-version": "v2", "active-color": "green", outcome: "success" });

  // The deploy command got deploy.yml's env contract, with the target version and the idle color.
  const env = readFileSync(join(dir, "deploy-env.txt"), "utf8");
  expect(env).toContain("CUTOVER_COLOR=green\n");
  expect(env).toContain("CUTOVER_VERSION=v2\n");
  expect(env).toContain("CUTOVER_ENVIRONMENT=staging\n");
  expect(env).not.toContain("CUTOVER_DEPLOY_SECRETS");
  expect(readFileSync(join(dir, "deploy-secret.txt"), "utf8")).toBe("token=s3cr3t-token\n");
  expect(lines.join("\n")).not.toContain("s3cr3t-token");

  // Traffic moved; the rollback record is closed success and v3 is marked failure.
  expect(readFileSync(state, "utf8").trim()).toBe("green");
  const rollbackRecord = await ledger.get(Number(result.outputs["deployment-id"]));
  expect(rollbackRecord.state).toBe("success");
  expect(rollbackRecord.payload).toMatchObject({ version: "v2", rollback: { reason: "v3 breaks checkout", strategy: "redeploy" } });
  expect((await ledger.get(v3.id)).state).toBe("failure");

  const slack = result.jobs[0]?.steps.find((step) => step.id === "slack-end");
  expect(slack?.outputs.mode).toBe("preview");
  expect(slack?.outputs.payload).toContain("Rolled back staging to v2");
  expect(slack?.outputs.payload).toContain("blue → 🟢 green");
});

it("refuses without a known good target: nothing deployed, traffic untouched, outcome failure", async () => {
  const state = join(dir, "router-state");
  writeFileSync(state, "blue\n");
  writeFileSync(join(dir, "blue.version"), "v1");
  const colors = await startColors(state);
  const ledgerPath = join(dir, "ledger.json");
  const ledger = new FileLedger(ledgerPath);
  const only = await ledger.open({ environment: "staging", payload: { version: "v1", ref: "main", sha: "1".repeat(40), color: "blue" } });
  await ledger.update(only.id, { state: "success" });

  const lines: string[] = [];
  const result = await runWorkflow({
    workflow: sandboxCopy(),
    workspace: dir,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: {
      environment: "staging",
      reason: "testing",
      ledger: `file:${ledgerPath}`,
      router: stringify({ provider: "command", "switch-command": `echo "$CUTOVER_COLOR" > ${state}`, "status-command": `cat ${state}` }),
      "public-url": colors.publicUrl,
      "idle-url": colors.idleUrl,
      "deploy-command": "touch deployed",
    },
  });
  expect(result.conclusion, lines.join("\n")).toBe("failure");
  expect(result.outputs).toMatchObject({ strategy: "", outcome: "failure" });
  expect(existsSync(join(dir, "deployed"))).toBe(false);
  expect(readFileSync(state, "utf8").trim()).toBe("blue");
  const steps = result.jobs[0]?.steps ?? [];
  expect(steps.find((step) => step.id === "deploy")?.outcome).toBe("skipped");
  expect(steps.find((step) => step.id === "close")?.outcome).toBe("skipped");
  const outcome = steps.find((step) => step.id === "outcome");
  expect(outcome?.outputs.summary).toBe("rollback failed in the rollback step");
  const slack = steps.find((step) => step.id === "slack-end");
  expect(slack?.outputs.payload).toContain("Rollback of staging did not complete");
  // Only the one deployment: the refused rollback opened no record.
  expect((await ledger.list("staging")).records).toHaveLength(1);
});

it("a redeploy whose deploy command fails closes the rollback record failure and leaves traffic where it was", async () => {
  const state = join(dir, "router-state");
  writeFileSync(state, "blue\n");
  writeFileSync(join(dir, "blue.version"), "v2");
  const colors = await startColors(state);
  const ledgerPath = join(dir, "ledger.json");
  const ledger = new FileLedger(ledgerPath);
  for (const [version, color] of [
    ["v1", "green"],
    ["v2", "blue"],
  ] as const) {
    const record = await ledger.open({ environment: "staging", payload: { version, ref: "main", sha: version.padEnd(40, "0"), color } });
    await ledger.update(record.id, { state: "success" });
  }

  const lines: string[] = [];
  const result = await runWorkflow({
    workflow: sandboxCopy(),
    workspace: dir,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: {
      environment: "staging",
      strategy: "redeploy",
      ledger: `file:${ledgerPath}`,
      router: stringify({ provider: "command", "switch-command": `echo "$CUTOVER_COLOR" > ${state}`, "status-command": `cat ${state}` }),
      "public-url": colors.publicUrl,
      "idle-url": colors.idleUrl,
      "deploy-command": 'echo "registry refused $CUTOVER_VERSION" >&2; exit 3',
    },
  });
  expect(result.conclusion, lines.join("\n")).toBe("failure");
  expect(result.outputs).toMatchObject({ strategy: "redeploy", "target-version": "v1", outcome: "failure", "active-color": "blue" });
  expect(readFileSync(state, "utf8").trim()).toBe("blue");
  const steps = result.jobs[0]?.steps ?? [];
  expect(steps.find((step) => step.id === "outcome")?.outputs.summary).toBe("rollback failed in the deploy command; blue serves");
  const record = await ledger.get(Number(result.outputs["deployment-id"]));
  expect(record.state).toBe("failure");
  expect(record.payload.rollback?.strategy).toBe("redeploy");
});
