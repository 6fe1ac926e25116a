// What leaves a run: job outputs (a job output carrying a secret is dropped, as the runner
// does), the workflow's on.workflow_call outputs, and step results with every secret scrubbed.
import type { Redactor } from "@cutover/core";
import { type Contexts, evaluateString } from "./expressions.js";
import type { JobResult, StepResult } from "./run-result.js";
import type { Workflow, WorkflowJob } from "./workflow-model.js";

/** A job's `outputs:`, evaluated with its steps' outputs in `contexts.steps`. */
export function jobOutputs(job: WorkflowJob, contexts: Contexts, redactor: Redactor, emit: (line: string) => void): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(job.outputs)) {
    const evaluated = evaluateString(value, contexts, `${job.where}.outputs.${name}`);
    if (redactor.redact(evaluated) !== evaluated) {
      // The runner drops a job output that carries a secret rather than pass it on.
      emit(`Warning: skipped output '${name}' of job ${job.id} since it may contain a secret`);
      continue;
    }
    outputs[name] = evaluated;
  }
  return outputs;
}

/** The workflow's on.workflow_call outputs, from the jobs' results. */
export function workflowOutputs(
  workflow: Workflow,
  jobs: Map<string, JobResult>,
  base: Contexts,
  redactor: Redactor,
): Record<string, string> {
  const declared = (workflow.on.workflow_call?.outputs ?? {}) as Record<string, { value?: unknown } | null>;
  const jobsContext = Object.fromEntries([...jobs].map(([id, job]) => [id, { result: job.result, outputs: job.outputs }]));
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    outputs[name] = redactor.redact(evaluateString(spec?.value, { ...base, jobs: jobsContext }, `on.workflow_call.outputs.${name}.value`));
  }
  return outputs;
}

/** A copy of a step result fit to leave the sandbox: every known secret scrubbed. */
export function maskedStepResult(result: StepResult, redactor: Redactor): StepResult {
  const scrub = (text: string) => redactor.redact(text);
  return {
    ...result,
    outputs: Object.fromEntries(Object.entries(result.outputs).map(([name, value]) => [name, scrub(value)])),
    summary: scrub(result.summary),
    log: result.log.map(scrub),
    ...(result.error ? { error: scrub(result.error) } : {}),
  };
}
