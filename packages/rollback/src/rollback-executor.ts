import type { ColorProbe } from "@cutover/traffic";
import { CommandSide } from "./command-side.js";
import { DatabaseSide } from "./database-side.js";
import { noWayDown } from "./no-way-down.js";
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
  /** Of these migrations, the labels of those the down path can revert (down files, or all with a down command); none without a down path. */
  availableDownFiles(migrations: readonly MigrationInTheWay[]): Promise<string[]>;
  /** True when a restore-command can restore a recorded backup instead. */
  canRestore(): boolean;
  /** Every check that needs the router or the database (connect, read the active color, plan the down migration); changes nothing. */
  prepare(request: PrepareRequest): Promise<Prepared>;
  /** Reverts migrations (newest first) so the schema returns to `toSchema`, under the migration lock. */
  migrateDown(toSchema: string): Promise<MigrateDownResult>;
  /** Restores `backup` with restore-command: the schema (and data) as they were at `toSchema`. */
  restore(backup: string, toSchema: string): Promise<MigrateDownResult>;
  /** Switches the router to `color` and verifies it serves `version`; undoes the switch when verification fails. */
  switchTraffic(color: string, version: string): Promise<SwitchBackResult>;
  /** Frees connections (ssh, database). Safe to call twice. */
  close(): Promise<void>;
}

/** The executor for a request (its settings resolved): the traffic engine for the router, the migrations engine or the team's commands for the database. */
export function createExecutor(
  request: RollbackRequest,
  context: Pick<RollbackContext, "signal" | "log" | "tempDir" | "onSecretDir">,
): RollbackExecutor {
  const router = new RouterSide(request, context);
  const down = request.migrateDown;
  const commands = down ? new CommandSide(down, context) : undefined;
  // Your tool's down command when there is one; else the built-in engine's down files.
  const files =
    down?.dir && down.databaseUrl && !down.downCommand
      ? new DatabaseSide({ dir: down.dir, databaseUrl: down.databaseUrl }, context)
      : undefined;
  const needDownPath = (migrations?: readonly MigrationInTheWay[]): DatabaseSide | CommandSide => {
    if (commands?.canMigrateDown) return commands;
    if (files) return files;
    throw noWayDown(down, migrations);
  };
  return {
    probeColor: (color) => router.probe(color),
    async availableDownFiles(migrations) {
      if (commands?.canMigrateDown) return migrations.map((m) => m.migration.version);
      if (files) return files.availableDownFiles(migrations);
      // Neither a down path nor a restore: say what is missing, not which file.
      if (!commands?.canRestore) needDownPath(migrations);
      return [];
    },
    canRestore: () => commands?.canRestore ?? false,
    async prepare(prepare) {
      const prepared: Prepared = {};
      // The database first: a refusal there must come before the router is even read.
      const to = prepare.migrateDownTo;
      if (to !== undefined) {
        const restoreFrom = prepare.restoreFrom;
        Object.assign(prepared, restoreFrom ? await (commands as CommandSide).prepare(to, restoreFrom) : await needDownPath().prepare(to));
      }
      if (prepare.trafficTo !== undefined) Object.assign(prepared, await router.prepare(prepare.trafficTo));
      return prepared;
    },
    migrateDown: (toSchema) => needDownPath().migrateDown(toSchema),
    restore: (backup, toSchema) => (commands as CommandSide).restore(backup, toSchema),
    switchTraffic: (color, version) => router.switchBack(color, version),
    async close() {
      await Promise.allSettled([router.close(), files?.close()]);
    },
  };
}
