import { CutoverError } from "@cutover/core";

/** The ledger could not be read or written; says which store, which call, and what came back. */
export class LedgerError extends CutoverError {
  override name = "LedgerError";
}

/** The GitHub API answered with an error (or did not answer in time). */
export class LedgerApiError extends LedgerError {
  override name = "LedgerApiError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly route: string,
  ) {
    super(message);
  }
}

/** A deployment id the ledger does not hold. */
export class DeploymentNotFoundError extends LedgerError {
  override name = "DeploymentNotFoundError";
  constructor(
    readonly id: number,
    where: string,
  ) {
    super(`deployment #${id} does not exist in ${where}`);
  }
}
