import type { Expect } from "@cutover/http-checks";
import type { RouterAccess, RouterConfig } from "@cutover/traffic";
import type { RequestedStrategy } from "./strategy-decision.js";

/** What a rollback is asked to do: checked and complete (the caller validated its inputs). */
export interface RollbackRequest {
  environment: string;
  /** A version label or commit SHA to return to; default: the last known good before the live one. */
  toVersion?: string;
  strategy: RequestedStrategy;
  /** Why, recorded in the rollback's ledger record. */
  reason?: string;
  /** A link to the run, for the rollback's ledger record. */
  logUrl?: string;
  /**
   * Allows reverting migrations that stand in the way, with how to do it: SQL down files (dir and
   * databaseUrl) or the team's tool (downCommand); restoreCommand restores the recorded backup when
   * there is no down path. Only dir may come from the deployments' recorded settings: commands
   * come from the caller alone (the ledger is data, never code).
   */
  migrateDown?: MigrateDownRequest;
  /** The caller's workflow inputs (input name → value): given ones win over the deployments' recorded settings. */
  settings?: Record<string, string>;
  /** The router to switch back; needed only when the plan is a traffic rollback. */
  router?: { config: RouterConfig; access: RouterAccess };
  /** A gradual rollback: the target's share at each step (the last 100), each held `holdMs` and verified. */
  steps?: { shares: readonly number[]; holdMs: number };
  /** The public URL that must show the target after the switch (and is used to probe the target's color). */
  verify?: { url: string; expect?: Expect | undefined; timeoutMs: number };
  /** Without verify: how long a verification against the recorded public URL may take. */
  verifyTimeoutMs?: number;
}

/** How migrations are undone; dir may instead come from the recorded settings, commands never do. */
export interface MigrateDownRequest {
  dir?: string;
  /** Secret: never recorded, only given. */
  databaseUrl?: string;
  downCommand?: string;
  versionCommand?: string;
  restoreCommand?: string;
}

/** How the rollback reports and where its temporary files go. */
export interface RollbackContext {
  signal: AbortSignal;
  log: (line: string) => void;
  warn: (line: string) => void;
  tempDir?: string;
  /** Told each private temporary directory (ssh key) as it is created, for the action's post step. */
  onSecretDir?: (dir: string) => void;
  /** Called right before the first change: from here on the ledger must be written even if the run is cancelled. */
  beforeFirstChange?: () => void;
}
