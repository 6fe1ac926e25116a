import type { Compatibility } from "./lint.js";

/** A row of the tracking table: one migration that is applied. */
export interface AppliedMigration {
  version: bigint;
  name: string;
  checksum: string;
  /** ISO 8601. */
  appliedAt: string;
  durationMs: number;
  appliedBy: string;
  /** The lint's verdict when it was applied; `unknown` for command mode or rows from before the lint. */
  compatibility: Compatibility | "unknown";
  /** The reasons of `-- cutover:contract-ok` markers that accepted contract statements, if any. */
  contractOk: string | null;
  transactional: boolean;
  /**
   * True while a migration run without a transaction is in progress, and after one that was
   * interrupted: some of its statements may be applied. Every later run refuses until resolved.
   */
  dirty: boolean;
}

/** One migration file to run, up or down. */
export interface MigrationStep {
  version: bigint;
  name: string;
  /** The file's name, used in every message about it. */
  file: string;
  sql: string;
  /** False for files that start with `-- cutover:no-transaction`: run statement by statement. */
  transactional: boolean;
}

export interface StepOutcome<Done extends string> {
  outcome: Done | "skipped";
  durationMs: number;
}

export interface StepOptions {
  signal?: AbortSignal;
}

/** What the engine needs from a database; one implementation per driver. */
export interface Driver {
  readonly kind: "postgres" | "sqlite";
  /** A name for the database safe to print (no credentials): host/db or the file name. */
  readonly displayName: string;
  /** The tracking table's name as configured (`cutover_migrations` or `schema.table`), for messages. */
  readonly trackingTable: string;
  /** Rows of the tracking table, oldest first; empty when the table does not exist (never creates it). */
  readApplied(): Promise<AppliedMigration[]>;
  ensureTrackingTable(): Promise<void>;
  /**
   * Takes the migration lock, waiting up to `timeoutMs`; resolves to its release. PostgreSQL:
   * a session advisory lock on a connection of its own, so it dies with the process.
   */
  lock(options: { timeoutMs: number; signal?: AbortSignal; onWait?: (holder: string) => void }): Promise<() => Promise<void>>;
  /** Runs an up file and records it in the same transaction; `skipped` when another run recorded it first. */
  applyStep(
    step: MigrationStep,
    record: Omit<AppliedMigration, "appliedAt" | "durationMs" | "dirty">,
    options: StepOptions,
  ): Promise<StepOutcome<"applied">>;
  /** Runs a down file and deletes its row in the same transaction; `skipped` when the row is already gone. */
  revertStep(step: MigrationStep, options: StepOptions): Promise<StepOutcome<"reverted">>;
  /** Writes a consistent copy of the database into `dir`; resolves to the file's path. */
  backup(dir: string, options: StepOptions): Promise<string>;
  close(): Promise<void>;
}
