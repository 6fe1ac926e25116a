import { CutoverError } from "@cutover/core";

/** A migration file failed on the database; its transaction was rolled back (unless it had none). */
export class MigrationFailedError extends CutoverError {
  override name = "MigrationFailedError";
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly rolledBack: boolean,
    readonly line?: number,
  ) {
    const where = line === undefined ? file : `${file} (line ${line})`;
    super(
      `${where} failed: ${detail}; ${rolledBack ? "its transaction was rolled back, nothing of it is applied" : "it ran without a transaction (-- cutover:no-transaction): statements before the failing one stay applied and it is marked dirty in the tracking table until resolved by hand"}`,
    );
  }
}

/** An external migration tool (command mode) exited with a failure. */
export class CommandFailedError extends CutoverError {
  override name = "CommandFailedError";
  constructor(
    readonly input: string,
    readonly exitCode: number | null,
    readonly outputTail: string,
  ) {
    super(`${input} exited with ${exitCode ?? "a signal"}${outputTail ? `; last output:\n${outputTail}` : ""}`);
  }
}
