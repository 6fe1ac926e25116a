// The local sandbox: runs .github/workflows/deploy.yml itself, through the sandbox executor, twice:
// a good release (the swap happens, Slack's preview says success), then a leaky one that passes
// its checks on the idle color and fails under live traffic (the bake catches it, traffic goes
// back, Slack's preview says rolled back). SQLite, the file ledger and Slack preview mode:
// nothing to install; real nginx is the router when it is installed.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDuration } from "@cutover/core";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { startDemoRouter } from "./demo-router.js";
import { startSampleFleet } from "./sample-fleet.js";

const root = new URL("../../", import.meta.url).pathname;
const workspace = mkdtempSync(join(tmpdir(), "cutover-sandbox-"));
cpSync(join(root, "examples", "sandbox", "migrations"), join(workspace, "migrations"), { recursive: true });
mkdirSync(join(workspace, "releases"));
writeFileSync(join(workspace, "releases", "blue.json"), JSON.stringify({ version: "1.0.0" }));

const fleet = await startSampleFleet(join(workspace, "releases"));
const router = await startDemoRouter(workspace, fleet.servers, "blue");
const started = performance.now();

const inputs = {
  environment: "sandbox",
  router: router.routerBlock,
  "public-url": router.publicUrl,
  "idle-url": `${fleet.directUrl}/{color}`,
  "deploy-command": `printf '{"version":"%s"}' "$CUTOVER_VERSION" > "releases/$CUTOVER_COLOR.json"`,
  checks: "- { name: home, path: /, expect: { status: 200, json: { $.service: sample } } }\n- { name: health, path: /health }",
  "health-url": `${fleet.directUrl}/{color}/health`,
  "health-expect": "json: { $.status: ok }",
  "health-interval": "250ms",
  "health-timeout": "30s",
  "verify-expect": 'headers: { x-color: "{color}" }',
  "bake-duration": "3s",
  "bake-interval": "500ms",
  "bake-expect": "status: 200",
  "migrations-dir": "migrations",
  ledger: `file:${join(workspace, "ledger.json")}`,
};
const secrets = { "database-url": `sqlite:${join(workspace, "app.db")}` };

async function deploy(version: string): Promise<WorkflowResult> {
  console.log(`\n━━ deploying ${version} through ${router.kind} at ${router.publicUrl} ━━`);
  return runWorkflow({
    workflow: join(root, ".github", "workflows", "deploy.yml"),
    inputs: { ...inputs, version },
    secrets,
    repoRoot: root,
    workspace,
    github: { repository: "example/shop", actor: "sandbox", ref: "refs/heads/main" },
    showStepLogs: process.argv.includes("--verbose"),
  });
}

/** The headline of the Slack message the last Slack step previewed. */
function slackPreview(result: WorkflowResult): string {
  const steps = result.jobs.flatMap((job) => job.steps).filter((step) => step.name.includes("Slack") && step.outputs.payload);
  const payload = JSON.parse(steps.at(-1)?.outputs.payload ?? "{}") as { text?: string };
  return payload.text ?? "(no Slack message)";
}

async function serving(): Promise<string> {
  const answer = (await (await fetch(router.publicUrl)).json()) as { version: string; color: string };
  return `${answer.version} on ${answer.color}`;
}

let ok = false;
try {
  const good = await deploy("2.0.0");
  const goodServing = await serving();
  const leaky = await deploy("3.0.0-leaky");
  const leakyServing = await serving();
  const outcome = (result: WorkflowResult) => result.outputs.outcome ?? result.conclusion;
  console.log("\n━━ sandbox outcome ━━");
  console.log(`2.0.0:       ${outcome(good)} · now serving ${goodServing} · Slack preview: ${slackPreview(good)}`);
  console.log(`3.0.0-leaky: ${outcome(leaky)} · now serving ${leakyServing} · Slack preview: ${slackPreview(leaky)}`);
  console.log(`Both deployments in ${formatDuration(performance.now() - started)}; workspace ${workspace}`);
  ok = outcome(good) === "success" && outcome(leaky) === "rolled-back" && leakyServing === "2.0.0 on green";
  if (!ok) console.error("The sandbox did not end as expected: see the timelines above.");
} finally {
  await router.close();
  await fleet.close();
  if (ok && !process.argv.includes("--keep")) rmSync(workspace, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
