import type { Annotation } from "@cutover/core";

export type StepOutcome = "success" | "failure" | "cancelled" | "skipped";
export type JobResultKind = "success" | "failure" | "cancelled" | "skipped";

/** One step as it ran: outcome before and conclusion after `continue-on-error`. */
export interface StepResult {
  job: string;
  index: number;
  id?: string;
  name: string;
  /** `main` for the step itself, `post` for an action's post script run at the end of the job. */
  phase: "main" | "post";
  outcome: StepOutcome;
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  /** Milliseconds since the run started, and how long the step took. */
  startedAtMs: number;
  durationMs: number;
  /** Why the step failed when the sandbox itself knows (timeout, expression error, exit code). */
  error?: string;
  annotations: Annotation[];
  /** The step's log, masked, without workflow commands. */
  log: string[];
  /** What the step wrote to GITHUB_STEP_SUMMARY, masked. */
  summary: string;
}

/** A step's result before it runs: skipped until the run says otherwise. */
export function pendingStepResult(
  job: string,
  step: { index: number; id?: string | undefined },
  name: string,
  phase: StepResult["phase"],
  startedAtMs: number,
): StepResult {
  return {
    job,
    index: step.index,
    ...(step.id ? { id: step.id } : {}),
    name,
    phase,
    outcome: "skipped",
    conclusion: "skipped",
    outputs: {},
    startedAtMs,
    durationMs: 0,
    annotations: [],
    log: [],
    summary: "",
  };
}

export interface JobResult {
  id: string;
  name: string;
  result: JobResultKind;
  outputs: Record<string, string>;
  steps: StepResult[];
  startedAtMs: number;
  durationMs: number;
  error?: string;
}

/** Everything a workflow run produced; secrets never appear in it. */
export interface WorkflowResult {
  workflow: string;
  event: string;
  conclusion: "success" | "failure" | "cancelled";
  /** `on.workflow_call.outputs`, evaluated after the last job. */
  outputs: Record<string, string>;
  jobs: JobResult[];
  durationMs: number;
}
