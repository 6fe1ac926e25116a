export { type ActionDefinition, readActionDefinition } from "./action-metadata.js";
export {
  type Contexts,
  type ExpressionSpan,
  evaluateCondition,
  evaluateExpression,
  evaluateString,
  evaluateTemplate,
  findExpressions,
  type JobStatus,
} from "./expressions.js";
export type { JobResult, JobResultKind, StepOutcome, StepResult, WorkflowResult } from "./run-result.js";
export { type RunWorkflowOptions, runWorkflow, WorkflowRun } from "./run-workflow.js";
export { formatTimeline } from "./timeline.js";
export { UnsupportedKeyError, WorkflowError } from "./workflow-error.js";
export {
  declaredInputs,
  type InputSpec,
  loadWorkflow,
  parseWorkflowText,
  type RunDefaults,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
} from "./workflow-model.js";
