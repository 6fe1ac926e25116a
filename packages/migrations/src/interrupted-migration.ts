import type { ConfigIssue } from "@cutover/core";
import type { AppliedMigration } from "./driver.js";
import type { MigrationSet } from "./migration-files.js";
import { quoteTrackingTable } from "./tracking-table.js";

/**
 * Tracking rows left dirty: a migration run without a transaction (`-- cutover:no-transaction`)
 * that started and never finished, so some of its statements may be applied. Nothing can tell
 * which, so every run refuses until a person has looked, fixed the schema and cleared the row.
 */
export function interruptedMigrationIssues(
  set: MigrationSet,
  applied: readonly AppliedMigration[],
  trackingTable: string,
  input: string,
): ConfigIssue[] {
  const files = new Map(set.migrations.map((m) => [m.version, m]));
  const table = quoteTrackingTable(trackingTable);
  return applied
    .filter((row) => row.dirty)
    .map((row) => ({
      input,
      path: files.get(row.version)?.upFile ?? `${row.version}_${row.name}.up.sql`,
      given: `an interrupted migration: it started at ${row.appliedAt} without a transaction (-- cutover:no-transaction) and never finished, so some of its statements may be applied (its row in ${trackingTable} is marked dirty)`,
      expected:
        `the schema fixed by hand before any further run: see which of its statements took effect, then either complete the rest by hand and run ` +
        `\`UPDATE ${table} SET dirty = false WHERE version = ${row.version};\` (it counts as applied), or undo what took effect and run ` +
        `\`DELETE FROM ${table} WHERE version = ${row.version};\` (it runs again next time)`,
    }));
}
