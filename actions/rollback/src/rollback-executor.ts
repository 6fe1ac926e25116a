import type { ColorProbe, MigrationInTheWay } from "@cutover/ledger";
import type { VerificationResult } from "@cutover/traffic";
import type { RollbackInputs } from "./inputs.js";
import { DatabaseSide } from "./migrate-down.js";
import { RouterSide } from "./switch-back.js";

/** What the rollback will change, so every check runs before the first change. */
export interface PrepareRequest {
  /** traffic strategy: the color to switch back to. */
  trafficTo?: string;
  /** migrate-down: the schema version to return to. */
  migrateDownTo?: string;
}

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
}

/**
 * The seam between the rollback decision (made from the ledger) and the parts that touch the
 * router (@cutover/traffic) and the database (@cutover/migrations). Tests of the decision can
 * pass their own; the action uses `createExecutor`.
 */
export interface RollbackExecutor {
  /** What `color` serves, read from that color's own address; undefined when it cannot be read (see probeColor in @cutover/traffic). */
  probeColor(color: string): Promise<ColorProbe | undefined>;
  /** Of these ledger migration versions, the ones with a down file in `dir`. */
  availableDownFiles(versions: readonly string[]): Promise<string[]>;
  /** Every check that needs the router or the database (connect, read the active color, plan the down migration); changes nothing. */
  prepare(request: PrepareRequest): Promise<Prepared>;
  /** Reverts migrations (newest first) so the schema returns to `toSchema`, under the migration lock. */
  migrateDown(toSchema: string, migrations: readonly MigrationInTheWay[]): Promise<MigrateDownResult>;
  /** Switches the router to `color` and verifies it serves `version` through verify-url/verify-expect; undoes the switch when verification fails. */
  switchTraffic(color: string, version: string): Promise<SwitchBackResult>;
  /** Frees connections (ssh, database). Safe to call twice. */
  close(): Promise<void>;
}

/** The executor for these inputs: the traffic engine for the router, the migrations engine for the database. */
export function createExecutor(
  inputs: RollbackInputs,
  context: { signal: AbortSignal; log: (line: string) => void; tempDir?: string },
): RollbackExecutor {
  const router = new RouterSide(inputs, context);
  const database = new DatabaseSide(inputs, context);
  return {
    probeColor: (color) => router.probe(color),
    availableDownFiles: (versions) => database.availableDownFiles(versions),
    async prepare(request) {
      const prepared: Prepared = {};
      // The database first: a refusal there must come before the ssh connection is even opened.
      if (request.migrateDownTo !== undefined) Object.assign(prepared, await database.prepare(request.migrateDownTo));
      if (request.trafficTo !== undefined) Object.assign(prepared, await router.prepare(request.trafficTo));
      return prepared;
    },
    migrateDown: (toSchema) => database.migrateDown(toSchema),
    switchTraffic: (color, version) => router.switchBack(color, version),
    async close() {
      await Promise.allSettled([router.close(), database.close()]);
    },
  };
}
