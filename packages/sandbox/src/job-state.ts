// What a running job keeps between its steps: step records for `steps.<id>`, GITHUB_ENV and
// GITHUB_PATH additions, its status, the process groups to clean up and the post steps to run.
import type { ActionDefinition } from "./action-metadata.js";
import type { StepOutcome, StepResult } from "./run-result.js";
import type { WorkflowJob, WorkflowStep } from "./workflow-model.js";

export interface StepRecord {
  outputs: Record<string, string>;
  outcome: StepOutcome;
  conclusion: StepOutcome;
}

export interface PostStep {
  step: WorkflowStep;
  action: ActionDefinition;
  env: Record<string, string>;
  state: Record<string, string>;
}

export interface JobState {
  job: WorkflowJob;
  temp: string;
  steps: Record<string, StepRecord>;
  filesEnv: Record<string, string>;
  path: string[];
  failed: boolean;
  cancelled: boolean;
  timedOut: boolean;
  processGroups: number[];
  posts: PostStep[];
  results: StepResult[];
}
