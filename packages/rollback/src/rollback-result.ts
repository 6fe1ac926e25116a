import type { DeploymentRecord } from "@cutover/ledger";
import type { ColorProbe, TrafficStep, VerificationResult } from "@cutover/traffic";
import type { RollbackPlan } from "./plan-rollback.js";
import type { SchemaDecision } from "./schema-decision.js";

/** What the rollback will change, so every check runs before the first change. */
export interface PrepareRequest {
  /** traffic strategy: the color to switch back to. */
  trafficTo?: string;
  /** migrate-down: the schema version to return to. */
  migrateDownTo?: string;
  /** migrate-down by restoring this backup (path or id) instead of a down path. */
  restoreFrom?: string;
}

/** What the router and the database said before anything changed. */
export interface Prepared {
  /** The router, for logs (never a secret). */
  router?: string;
  /** The color the router sends traffic to now (read from the router itself). */
  routerActive?: string;
  /** The database, without credentials. */
  database?: string;
  /** Versions the database itself would revert, newest first. */
  downSteps?: string[];
}

export interface MigrateDownResult {
  from: string;
  to: string;
  /** How: down files, the down command, or restore-command with a backup. */
  how?: string;
  reverted: { version: string; name: string; file: string; durationMs: number }[];
}

export interface SwitchBackResult {
  previous?: string;
  changed: boolean;
  durationMs: number;
  verification?: VerificationResult;
  /**
   * The run was cancelled after traffic had moved: the switch was finished (never left half
   * done) and verification skipped or cut short. The caller records it, then reports the cancel.
   */
  cancelled?: string;
  /** A gradual rollback's steps, as they were set. */
  steps?: TrafficStep[];
}

/** Everything a rollback decided and did: the source of the action's outputs, report and summary. */
export interface RollbackOutcome {
  plan: RollbackPlan;
  schema: SchemaDecision;
  /** The rollback's own ledger record. */
  record: DeploymentRecord;
  /** The color serving when the step ends. */
  activeColor?: string;
  /** What the probe of the target's color found, when it could probe. */
  probe?: ColorProbe;
  /** What the router and database said before anything changed. */
  prepared: Prepared;
  /** The settings the rollback ran with and a redeploy takes (given, else recorded): workflow input name → value. */
  settings: Record<string, string>;
  migrateDown?: MigrateDownResult;
  switched?: SwitchBackResult;
  /** Set when the run was cancelled after traffic moved: the rollback was finished and recorded, then the step fails. */
  cancelled?: string;
  timings: { readLedgerMs: number; migrateDownMs?: number; switchMs?: number; totalMs: number };
}
