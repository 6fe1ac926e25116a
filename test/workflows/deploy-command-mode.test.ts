// deploy.yml and rollback.yml in command mode, run for real in the sandbox, for a team whose data
// store has no SQL (a JSON file) and whose "tool" is a pair of scripts: revisions are opaque
// strings (0001 stays 0001), backup: auto runs backup-command or is refused before anything
// changes, the ledger records the schema and the backup, and a manual rollback given only
// environment, router, deploy command and ledger restores the backup (no down path) and redeploys
// with the settings the deployment recorded.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { afterEach, beforeEach, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "../harness/action-metadata.js";
import { startTestServer, type TestServer } from "../harness/test-server.js";

type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: Record<string, { steps: Step[] }> };

let dir: string;
let servers: TestServer[];
let state: string;
let world: { idleUrl: string; publicUrl: string };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cutover-command-mode-wf-"));
  servers = [];
  state = join(dir, "router-state");
  writeFileSync(state, "blue\n");
  writeFileSync(join(dir, "blue.version"), "v0");
  mkdirSync(join(dir, "store"));
  writeFileSync(join(dir, "store", "revision"), "0001\n");
  writeFileSync(join(dir, "store", "data.json"), '{"orders":[1]}\n');
  world = await startWorld();
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A workflow without the checkout (the sandbox's workspace is the checkout), with a quick health interval. */
function sandboxCopy(name: "deploy" | "rollback"): string {
  const workflow = parse(readFileSync(join(repoRoot, ".github", "workflows", `${name}.yml`), "utf8")) as Workflow;
  const job = Object.values(workflow.jobs)[0] as { steps: Step[] };
  job.steps = job.steps.filter((step) => !step.uses?.startsWith("actions/checkout@"));
  const gate = job.steps.find((step) => step.id === "gate-idle");
  if (gate?.with) gate.with.interval = "50ms";
  const path = join(dir, `${name}.yml`);
  writeFileSync(path, stringify(workflow));
  return path;
}

/** Each color on its own port, serving the version in <dir>/<color>.version; the public URL answers as the routed color. */
async function startWorld(): Promise<{ idleUrl: string; publicUrl: string }> {
  const version = (color: string) => {
    const file = join(dir, `${color}.version`);
    return existsSync(file) ? readFileSync(file, "utf8").trim() : "none";
  };
  const color = (name: string) =>
    startTestServer((_req, res) => {
      res.setHeader("x-color", name);
      res.end(`version ${version(name)}`);
    });
  const [blue, green] = await Promise.all([color("blue"), color("green")]);
  const publicServer = await startTestServer((_req, res) => {
    const live = readFileSync(state, "utf8").trim();
    res.setHeader("x-color", live);
    res.end(`version ${version(live)}`);
  });
  servers.push(blue, green, publicServer);
  return { idleUrl: stringify({ blue: blue.url, green: green.url }), publicUrl: publicServer.url };
}

const ledgerPath = () => join(dir, "ledger.json");
const router = () =>
  stringify({ provider: "command", "switch-command": `echo "$CUTOVER_COLOR" > ${state}`, "status-command": `cat ${state}` });
const deployCommand = `echo "$CUTOVER_VERSION" > "$CUTOVER_COLOR.version"`;
const revision = () => readFileSync(join(dir, "store", "revision"), "utf8").trim();

/** The team's tool: a migration adds an order and moves the revision; no down path, a backup copy and its restore. */
const commandMode = (to: string, orders = "[1,2]") => ({
  "migrations-command": `echo '{"orders":${orders}}' > store/data.json; echo ${to} > store/revision`,
  "migrations-version-command": "cat store/revision",
  backup: "auto",
  "backup-command": `cp store/data.json "$CUTOVER_BACKUP_DIR/data-$(cat store/revision).json"; echo "$CUTOVER_BACKUP_DIR/data-$(cat store/revision).json"`,
});
/** The rollback's own restore: commands come from the rollback's caller, never from the ledger. */
const restoreCommand = `cp "$CUTOVER_BACKUP" store/data.json; echo "$CUTOVER_TO_VERSION" > store/revision`;

async function deploy(version: string, inputs: Record<string, string>): Promise<{ result: WorkflowResult; log: string }> {
  const lines: string[] = [];
  const result = await runWorkflow({
    workflow: sandboxCopy("deploy"),
    workspace: dir,
    repoRoot,
    print: (line) => lines.push(line),
    inputs: {
      environment: "staging",
      version,
      ledger: `file:${ledgerPath()}`,
      router: router(),
      "public-url": world.publicUrl,
      "idle-url": world.idleUrl,
      "deploy-command": deployCommand,
      checks: "- name: v1-recorded-check\n  path: /\n  expect: { body-contains: version }\n",
      "verify-expect": stringify({ headers: { "x-color": "{color}" } }),
      "health-interval": "50ms",
      "bake-duration": "200ms",
      "bake-interval": "100ms",
      ...inputs,
    },
  });
  return { result, log: lines.join("\n") };
}

it("backup auto in command mode without backup-command stops at preflight: nothing migrated, nothing recorded", async () => {
  const { "backup-command": _none, ...noBackupCommand } = commandMode("0002");
  const { result, log } = await deploy("v1", noBackupCommand);
  expect(result.conclusion, log).toBe("failure");
  const steps = result.jobs[0]?.steps ?? [];
  const preflight = steps.find((step) => step.id === "preflight");
  expect(preflight?.outcome).toBe("failure");
  expect(preflight?.annotations.map((a) => a.message).join("\n")).toMatch(
    /input 'backup-command': nothing was given; expected the command that backs up your data store .*step "3 · Back up and apply migrations"/,
  );
  for (const id of ["plan", "migrate", "open", "deploy"]) expect(steps.find((step) => step.id === id)?.outcome, id).toBe("skipped");
  expect(revision()).toBe("0001");
  expect(existsSync(ledgerPath())).toBe(false);
});

it("deploys with the team's tool, records revision, backup and redeploy settings; a manual rollback restores the backup and redeploys", async () => {
  const first = await deploy("v1", { ...commandMode("0001", "[1]") });
  expect(first.result.conclusion, first.log).toBe("success");
  const second = await deploy("v2", { ...commandMode("0002") });
  expect(second.result.conclusion, second.log).toBe("success");
  expect(revision()).toBe("0002");
  expect(readFileSync(join(dir, "store", "data.json"), "utf8")).toContain("[1,2]");

  const ledger = new FileLedger(ledgerPath());
  const v2 = await ledger.get(Number(second.result.outputs["deployment-id"]));
  const backup = join(dir, "cutover-backups", "data-0001.json");
  // Opaque strings: 0001 is not 1; the backup the tool printed; compatibility contract (nothing linted it).
  expect(v2.payload.schema).toMatchObject({ before: "0001", after: "0002", compatibility: "contract", backup });
  expect(v2.payload.settings).toMatchObject({
    "public-url": world.publicUrl,
    "idle-url": world.idleUrl,
    checks: "- name: v1-recorded-check\n  path: /\n  expect: { body-contains: version }\n",
  });
  // Data only: no command reaches the ledger (anyone who may write deployments may write a record).
  expect(Object.keys(v2.payload.settings ?? {}).filter((name) => name.includes("command"))).toEqual([]);
  expect(readFileSync(backup, "utf8")).toContain("[1]");

  // A manual rollback: environment, router, ledger, consent to undo migrations, and the commands
  // (deploy, restore) from the caller's own workflow file.
  const rollbackWith = async (extra: Record<string, string>) => {
    const lines: string[] = [];
    const result = await runWorkflow({
      workflow: sandboxCopy("rollback"),
      workspace: dir,
      repoRoot,
      print: (line) => lines.push(line),
      inputs: {
        environment: "staging",
        ledger: `file:${ledgerPath()}`,
        router: router(),
        "deploy-command": deployCommand,
        strategy: "redeploy",
        "migrate-down": "true",
        reason: "v2 lost orders",
        ...extra,
      },
    });
    return { result, log: lines.join("\n") };
  };
  // Without its restore-command the rollback is refused before anything changes, naming the input to pass.
  const refused = await rollbackWith({});
  expect(refused.result.conclusion, refused.log).toBe("failure");
  const refusal = (refused.result.jobs[0]?.steps ?? []).find((step) => step.id === "rollback");
  expect(refusal?.annotations.map((a) => a.message).join("\n")).toMatch(
    /input 'migrations-down-command'.*restore-command.*the deployment ran command-mode migrations/,
  );
  expect(revision()).toBe("0002");
  expect((await ledger.list("staging")).records).toHaveLength(2);

  const { result: rollback, log } = await rollbackWith({
    "restore-command": restoreCommand,
    "migrations-version-command": "cat store/revision",
  });
  expect(rollback.conclusion, log).toBe("success");
  expect(rollback.outputs).toMatchObject({ strategy: "redeploy", "target-version": "v1", outcome: "success" });
  expect(revision()).toBe("0001");
  expect(readFileSync(join(dir, "store", "data.json"), "utf8")).toContain('{"orders":[1]}');
  const steps = rollback.jobs[0]?.steps ?? [];
  // The redeploy was checked with what v1 recorded: its idle URL (one port per color) and its checks.
  const smoke = JSON.parse(steps.find((step) => step.id === "smoke")?.outputs.report ?? "{}");
  expect([servers[0]?.url, servers[1]?.url]).toContain(smoke.url);
  expect(JSON.stringify(smoke)).toContain("v1-recorded-check");
  const record = await ledger.get(Number(rollback.outputs["deployment-id"]));
  expect(record.payload.schema).toMatchObject({ before: "0002", after: "0001" });
  expect(record.state).toBe("success");
}, 240_000);
