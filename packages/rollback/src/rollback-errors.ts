import { GateFailedError, type GateFinding } from "@cutover/core";

/** Nothing to roll back to (or from): a gate that says no, with what was looked for. */
export class NoPreviousDeploymentError extends GateFailedError {
  override name = "NoPreviousDeploymentError";
  constructor(summary: string, findings: GateFinding[] = []) {
    super(summary, findings);
  }
}

/** Rollback refused to act: schema safety or an impossible strategy; nothing was changed. */
export class RollbackBlockedError extends GateFailedError {
  override name = "RollbackBlockedError";
  constructor(summary: string, findings: GateFinding[] = []) {
    super(summary, findings);
  }
}
