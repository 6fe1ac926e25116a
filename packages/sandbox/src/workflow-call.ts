// A job that calls a reusable workflow (`jobs.<id>.uses`): its `with` and `secrets` evaluated in the
// caller's contexts, the called workflow run as a run of its own, its workflow_call outputs as the job's.
import { join } from "node:path";
import { calledWorkflow } from "./cutover-references.js";
import { type Contexts, evaluateTemplate } from "./expressions.js";
import type { JobResult, WorkflowResult } from "./run-result.js";
import type { RunWorkflowOptions } from "./run-setup.js";
import { loadWorkflow, type WorkflowCall } from "./workflow-model.js";

export interface CallSetting {
  /** The caller's run options: the called run inherits the workspace, repoRoot, signal and environment. */
  options: RunWorkflowOptions;
  /** The caller's own secrets, for `secrets: inherit`. */
  secrets: Record<string, string>;
  contexts: Contexts;
  where: string;
  print: (line: string) => void;
  /** Runs the called workflow (runWorkflow; passed in to keep the modules acyclic). */
  run: (options: RunWorkflowOptions) => Promise<WorkflowResult>;
}

export async function runWorkflowCall(call: WorkflowCall, setting: CallSetting): Promise<Pick<JobResult, "result" | "outputs" | "steps">> {
  const target = calledWorkflow(call.uses) as NonNullable<ReturnType<typeof calledWorkflow>>;
  const root =
    target.root === "cutover"
      ? (setting.options.repoRoot ?? setting.options.workspace ?? process.cwd())
      : (setting.options.workspace ?? process.cwd());
  const inputs: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(call.with)) {
    const evaluated = evaluateTemplate(value, setting.contexts, `${setting.where}.with.${name}`);
    if (evaluated === undefined || evaluated === null) continue;
    inputs[name] = typeof evaluated === "object" ? JSON.stringify(evaluated) : (evaluated as string | number | boolean);
  }
  const path = join(root, ".github", "workflows", target.file);
  const secrets: Record<string, string> = {};
  if (call.secrets === "inherit") {
    // The called workflow sees the caller's secrets it declares; GITHUB_TOKEN is its own.
    const declared = Object.keys(loadWorkflow(path).on.workflow_call?.secrets ?? {});
    for (const name of declared) if (setting.secrets[name] !== undefined) secrets[name] = setting.secrets[name];
  } else {
    for (const [name, value] of Object.entries(call.secrets)) {
      const evaluated = evaluateTemplate(value, setting.contexts, `${setting.where}.secrets.${name}`);
      // An unset secret (`${{ secrets.MISSING }}`) is not passed, as on the runner.
      if (evaluated !== undefined && evaluated !== null && evaluated !== "") secrets[name] = String(evaluated);
    }
  }
  const result = await setting.run({
    ...setting.options,
    workflow: path,
    event: "workflow_call",
    inputs,
    secrets,
    print: (line) => setting.print(`  │ ${line}`),
  });
  return {
    result: result.conclusion === "success" ? "success" : result.conclusion === "cancelled" ? "cancelled" : "failure",
    outputs: result.outputs,
    steps: result.jobs.flatMap((job) => job.steps),
  };
}
