// The local sandbox, as a user runs it: `cutover run examples/workflows/deploy-on-push.yml --event
// push` against the sandbox world, for two pushes. A good commit (the swap happens, Slack's preview
// says success), then a commit that leaks under live traffic: it passes its checks on the idle
// color, the bake catches it, traffic goes back, Slack's preview says rolled back. SQLite, the file
// ledger and Slack preview mode: nothing to install; real nginx is the router when it is installed,
// and with HAProxy installed staging moves traffic in steps (25 %, 50 %, 100 %) through it.
import { formatDuration } from "@cutover/core";
import type { WorkflowResult } from "@cutover/sandbox";
import { parseRunArgs, runCommand } from "../../cli/src/run.js";
import { haproxyInstalled } from "./demo-router.js";
import { startSandboxWorld } from "./sandbox-world.js";

const root = new URL("../../", import.meta.url).pathname;
// With HAProxy, traffic moves in steps (weights through its runtime API, no reload).
const stepped = haproxyInstalled() && process.env.CUTOVER_DEMO_ROUTER !== "nginx";
const world = await startSandboxWorld(stepped ? { haproxy: true, trafficSteps: { steps: "25, 50, 100", duration: "1s" } } : {});
const started = performance.now();

/** Commits `files` to the team's repository and runs deploy-on-push.yml's staging job for it, as `npx cutover run` does. */
async function push(message: string, files: Record<string, string>): Promise<{ sha: string; result: WorkflowResult }> {
  const sha = world.commit(message, files);
  const args = [
    "run",
    "examples/workflows/deploy-on-push.yml",
    "--event",
    "push",
    "--job",
    "staging",
    "--workspace",
    world.workspace,
    "--var-file",
    world.varFile,
    "--secret-file",
    world.secretFile,
  ];
  console.log(`\n━━ push ${sha.slice(0, 7)} "${message}" through ${world.router.kind} at ${world.router.publicUrl} ━━`);
  console.log(`npx cutover ${args.join(" ")}`);
  const result = await runCommand(parseRunArgs(args.slice(1), root), {
    cwd: root,
    repoRoot: root,
    showStepLogs: process.argv.includes("--verbose"),
  });
  for (const step of trafficSteps(result)) console.log(`  traffic: ${step}`);
  return { sha, result };
}

/** The shares the swap set, one line each, when staging moved traffic in steps. */
function trafficSteps(result: WorkflowResult): string[] {
  const swap = result.jobs.flatMap((job) => job.steps).find((step) => step.id === "swap" && step.outputs.steps);
  const steps = JSON.parse(swap?.outputs.steps ?? "[]") as { at: string; weights: string; verdict?: string }[];
  return steps.map((step) => `${step.at.slice(11, 19)} ${step.weights}${step.verdict ? ` (${step.verdict})` : ""}`);
}

/** What deploy.yml's outcome step said, from the called job's outputs. */
function outcome(result: WorkflowResult): string {
  return result.jobs.find((job) => job.outputs.outcome)?.outputs.outcome ?? result.conclusion;
}

/** The headline of the Slack message the last Slack step previewed. */
function slackPreview(result: WorkflowResult): string {
  const steps = result.jobs.flatMap((job) => job.steps).filter((step) => step.name.includes("Slack") && step.outputs.payload);
  const payload = JSON.parse(steps.at(-1)?.outputs.payload ?? "{}") as { text?: string };
  return payload.text ?? "(no Slack message)";
}

async function serving(): Promise<string> {
  const now = await world.serving();
  return `${now.version.slice(0, 7)} on ${now.color}`;
}

let ok = false;
try {
  const good = await push("checkout button", { "app/CHANGES": "checkout button\n" });
  const goodServing = await serving();
  const leaky = await push("image cache (leaks under load)", { "app/LEAKS": "the image cache never evicts\n" });
  const leakyServing = await serving();
  const short = (sha: string) => sha.slice(0, 7);
  console.log("\n━━ sandbox outcome ━━");
  console.log(
    `${short(good.sha)} good:  ${outcome(good.result)} · now serving ${goodServing} · Slack preview: ${slackPreview(good.result)}`,
  );
  console.log(
    `${short(leaky.sha)} leaky: ${outcome(leaky.result)} · now serving ${leakyServing} · Slack preview: ${slackPreview(leaky.result)}`,
  );
  console.log(`Both deployments in ${formatDuration(performance.now() - started)}; the team's repository: ${world.workspace}`);
  ok = outcome(good.result) === "success" && outcome(leaky.result) === "rolled-back" && leakyServing === `${short(good.sha)} on green`;
  if (!ok) console.error("The sandbox did not end as expected: see the timelines above.");
} finally {
  if (ok && !process.argv.includes("--keep")) await world.close();
  else {
    await world.router.close();
    await world.fleet.close();
  }
}
process.exit(ok ? 0 : 1);
