import type { ColorProbe } from "@cutover/traffic";
import { DatabaseSide } from "./database-side.js";
import type { RollbackContext, RollbackRequest } from "./rollback-request.js";
import type { MigrateDownResult, Prepared, PrepareRequest, SwitchBackResult } from "./rollback-result.js";
import { RouterSide } from "./router-side.js";
import type { MigrationInTheWay } from "./schema-decision.js";

/**
 * The seam between the rollback decision (made from the ledger) and the parts that touch the
 * router (@cutover/traffic) and the database (@cutover/migrations). Tests of the decision can
 * pass their own; rollBack uses `createExecutor` by default.
 */
export interface RollbackExecutor {
  /** What `color` serves, read from that color's own address; undefined when it cannot be read (see probeColor in @cutover/traffic). */
  probeColor(color: string): Promise<ColorProbe | undefined>;
  /** Of these migrations, the labels of those with a down file in the migrations directory. */
  availableDownFiles(migrations: readonly MigrationInTheWay[]): Promise<string[]>;
  /** Every check that needs the router or the database (connect, read the active color, plan the down migration); changes nothing. */
  prepare(request: PrepareRequest): Promise<Prepared>;
  /** Reverts migrations (newest first) so the schema returns to `toSchema`, under the migration lock. */
  migrateDown(toSchema: string): Promise<MigrateDownResult>;
  /** Switches the router to `color` and verifies it serves `version`; undoes the switch when verification fails. */
  switchTraffic(color: string, version: string): Promise<SwitchBackResult>;
  /** Frees connections (ssh, database). Safe to call twice. */
  close(): Promise<void>;
}

/** The executor for a request: the traffic engine for the router, the migrations engine for the database. */
export function createExecutor(
  request: RollbackRequest,
  context: Pick<RollbackContext, "signal" | "log" | "tempDir" | "onSecretDir">,
): RollbackExecutor {
  const router = new RouterSide(request, context);
  const database = request.migrateDown ? new DatabaseSide(request.migrateDown, context) : undefined;
  const needDatabase = (): DatabaseSide => {
    if (!database) throw new Error("a migrate-down plan without migrateDown in the request");
    return database;
  };
  return {
    probeColor: (color) => router.probe(color),
    availableDownFiles: (migrations) => needDatabase().availableDownFiles(migrations),
    async prepare(prepare) {
      const prepared: Prepared = {};
      // The database first: a refusal there must come before the router is even read.
      if (prepare.migrateDownTo !== undefined) Object.assign(prepared, await needDatabase().prepare(prepare.migrateDownTo));
      if (prepare.trafficTo !== undefined) Object.assign(prepared, await router.prepare(prepare.trafficTo));
      return prepared;
    },
    migrateDown: (toSchema) => needDatabase().migrateDown(toSchema),
    switchTraffic: (color, version) => router.switchBack(color, version),
    async close() {
      await Promise.allSettled([router.close(), database?.close()]);
    },
  };
}
