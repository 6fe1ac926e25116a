export {
  type DeployRun,
  deployOutcome,
  type JobStatus,
  type OutcomeDecision,
  type RollbackRun,
  type RunOutcome,
  rollbackOutcome,
} from "./deployment-outcome.js";
export { type FailedStage, firstFailedStage, STEP_OUTCOMES, type StepOutcome, WORKFLOW_STAGES, type Workflow } from "./stages.js";
export { type TimelineEntry, type TrafficMoves, timeOfDay, trafficTimeline } from "./traffic-timeline.js";
