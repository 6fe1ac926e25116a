import { type FailedStage, firstFailedStage, type StepOutcome } from "./stages.js";

export type JobStatus = "success" | "failure" | "cancelled";

/** What a deploy.yml run reports about itself, from its steps' outcomes and outputs. */
export interface DeployRun {
  jobStatus: JobStatus;
  stages: Partial<Record<string, StepOutcome>>;
  /** blue-green-swap moved traffic and kept it there. */
  switched: boolean;
  /** blue-green-swap moved traffic back itself (verification failed or was cancelled). */
  reverted: boolean;
  /** The outcome of the "swap traffic back" step that runs after a later failure. */
  swappedBack: StepOutcome;
  previousColor?: string;
  newColor?: string;
}

export type RunOutcome = "success" | "rolled-back" | "failure" | "cancelled";

/** One verdict for the ledger, Slack and the workflow's outputs. */
export interface OutcomeDecision {
  outcome: RunOutcome;
  ledgerStatus: "success" | "failure";
  slackStatus: "success" | "rolled-back" | "failure" | "cancelled";
  /** The color serving traffic when the run ended; undefined when no router answered. */
  activeColor?: string;
  failedStage?: FailedStage;
  /** One sentence: what happened and which color serves. */
  summary: string;
}

/** The outcome table of deploy.yml. */
export function deployOutcome(run: DeployRun): OutcomeDecision {
  const failedStage = firstFailedStage("deploy", run.stages);
  const failed = failedStage?.description ?? "a step";
  const trafficBack = run.swappedBack === "success" || run.reverted;
  let decision: OutcomeDecision;
  if (run.jobStatus === "success") {
    decision = {
      outcome: "success",
      ledgerStatus: "success",
      slackStatus: "success",
      activeColor: run.newColor,
      summary: `deployed to ${run.newColor ?? "the new color"}`,
    };
  } else if (trafficBack) {
    decision = {
      outcome: "rolled-back",
      ledgerStatus: "failure",
      slackStatus: "rolled-back",
      activeColor: run.previousColor,
      summary: `${failed} failed; traffic is back on ${run.previousColor ?? "the previous color"}`,
    };
  } else if (run.switched) {
    decision = {
      outcome: "failure",
      ledgerStatus: "failure",
      slackStatus: "failure",
      activeColor: run.newColor,
      summary: `${failed} failed and traffic could not be switched back: ${run.newColor ?? "the new color"} still serves`,
    };
  } else {
    decision = {
      outcome: "failure",
      ledgerStatus: "failure",
      slackStatus: "failure",
      activeColor: run.previousColor,
      // Without a router status nothing after it ran: nothing changed.
      summary: run.previousColor
        ? `${failed} failed before traffic moved; ${run.previousColor} still serves`
        : `${failed} failed before anything changed`,
    };
  }
  if (failedStage) decision.failedStage = failedStage;
  if (run.jobStatus === "cancelled") {
    const serving = decision.activeColor ?? "the previous color";
    decision = {
      ...decision,
      outcome: "cancelled",
      slackStatus: "cancelled",
      summary: `cancelled during ${failedStage?.description ?? "the run"}; ${serving} serves`,
    };
  }
  return decision;
}

/** What a rollback.yml run reports about itself. */
export interface RollbackRun {
  jobStatus: JobStatus;
  stages: Partial<Record<string, StepOutcome>>;
  strategy?: string;
  targetVersion?: string;
  /** The color the rollback step left serving (strategy traffic), the swap's after a redeploy, the router's before it. */
  rollbackColor?: string;
  swapColor?: string;
  liveColor?: string;
}

/** The outcome table of rollback.yml. */
export function rollbackOutcome(run: RollbackRun): OutcomeDecision {
  const failedStage = firstFailedStage("rollback", run.stages);
  // The color that serves: the swap's word after a redeploy, else the rollback step's.
  const active = run.swapColor || run.rollbackColor || run.liveColor || undefined;
  const serving = active ? `; ${active} serves` : "";
  const base = { ...(active ? { activeColor: active } : {}), ...(failedStage ? { failedStage } : {}) };
  if (run.jobStatus === "cancelled") {
    return {
      ...base,
      outcome: "cancelled",
      ledgerStatus: "failure",
      slackStatus: "cancelled",
      summary: `rollback cancelled during ${failedStage?.description ?? "the run"}${serving}`,
    };
  }
  if (run.jobStatus === "success" && !failedStage) {
    return {
      ...base,
      outcome: "success",
      ledgerStatus: "success",
      slackStatus: "rolled-back",
      summary: `rolled back to ${run.targetVersion ?? "the target"} by ${run.strategy ?? "traffic"}; ${active ?? "the target"} serves`,
    };
  }
  return {
    ...base,
    outcome: "failure",
    ledgerStatus: "failure",
    slackStatus: "failure",
    summary: `rollback failed in ${failedStage?.description ?? "a step"}${serving}`,
  };
}
