import { DEPLOY_STEPS } from "./deploy-steps.js";
import { ROLLBACK_STEPS } from "./rollback-steps.js";

export type { Source, StepSpec, WorkflowStep } from "./step-sources.js";

/** Which step of each workflow takes which workflow input (checked against the workflows by a test). */
export const WORKFLOW_STEPS = { deploy: DEPLOY_STEPS, rollback: ROLLBACK_STEPS } as const;
