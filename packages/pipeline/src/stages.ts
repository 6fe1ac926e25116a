/**
 * The stages of each workflow, in the order they run, with the words a person reads. A run's
 * deciding stage is the first of these that failed or was cancelled.
 */
export const WORKFLOW_STAGES = {
  deploy: [
    ["preflight", "checking the inputs"],
    ["router", "reading the router"],
    ["plan", "the migration plan"],
    ["migrate", "migrations"],
    ["open", "opening the record"],
    ["deploy", "the deploy command"],
    ["smoke", "the smoke test of the idle color"],
    ["gate-idle", "the health gate of the idle color"],
    ["swap", "the swap"],
    ["bake", "the bake on live traffic"],
  ],
  rollback: [
    ["checkout", "the checkout"],
    ["preflight", "checking the inputs"],
    ["slack", "the Slack announcement"],
    ["rollback", "the rollback step"],
    ["router", "reading the router"],
    ["deploy", "the deploy command"],
    ["smoke", "the smoke test of the idle color"],
    ["gate-idle", "the health gate of the idle color"],
    ["swap", "the swap"],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type Workflow = keyof typeof WORKFLOW_STAGES;
export type StageId<W extends Workflow> = (typeof WORKFLOW_STAGES)[W][number][0];

/** A step's `outcome` as the runner reports it; empty when the step never got that far. */
export type StepOutcome = "success" | "failure" | "cancelled" | "skipped" | "";
export const STEP_OUTCOMES = ["success", "failure", "cancelled", "skipped", ""] as const;

export interface FailedStage {
  id: string;
  description: string;
  outcome: "failure" | "cancelled";
}

/** The first stage that failed or was cancelled, in the workflow's order. */
export function firstFailedStage(workflow: Workflow, stages: Partial<Record<string, StepOutcome>>): FailedStage | undefined {
  for (const [id, description] of WORKFLOW_STAGES[workflow]) {
    const outcome = stages[id];
    if (outcome === "failure" || outcome === "cancelled") return { id, description, outcome };
  }
  return undefined;
}
