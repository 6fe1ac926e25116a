import { CutoverError } from "@cutover/core";

/** A workflow the sandbox cannot run as written: names where in the file and why. */
export class WorkflowError extends CutoverError {
  override name = "WorkflowError";
  constructor(
    /** Dotted path inside the workflow, e.g. `jobs.deploy.steps[2].with.url`. */
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

/** A key GitHub accepts that the local sandbox does not run; never skipped silently. */
export class UnsupportedKeyError extends WorkflowError {
  override name = "UnsupportedKeyError";
}
