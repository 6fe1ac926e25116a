import { CutoverError } from "@cutover/core";

/** Where a router operation failed and what the failing command said. */
export interface RouterErrorDetails {
  /** `status`, `write`, `test`, `reload`, `restore`, `switch-command`, `ssh`, … */
  step: string;
  command?: string;
  exitCode?: number | null;
  /** Last lines the command printed. */
  output?: string;
  /** Whether the router was left exactly as it was before the call. */
  unchanged: boolean;
}

/** A router refused or failed an operation; `details.unchanged` says whether traffic is where it was. */
export class RouterError extends CutoverError {
  override name = "RouterError";
  readonly details: RouterErrorDetails;

  constructor(message: string, details: RouterErrorDetails) {
    super(message);
    this.details = details;
  }
}
