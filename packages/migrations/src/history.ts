import { ConfigError, type ConfigIssue } from "@cutover/core";
import type { AppliedMigration } from "./driver.js";
import { interruptedMigrationIssues } from "./interrupted-migration.js";
import type { MigrationFile, MigrationSet } from "./migration-files.js";
import { DEFAULT_TRACKING_TABLE } from "./tracking-table.js";

/** The files held against the tracking table. */
export interface History {
  /** Highest applied version; 0 when nothing is applied. */
  current: bigint;
  applied: AppliedMigration[];
  /** Files not applied yet, in order. */
  pending: MigrationFile[];
}

/**
 * Holds the files against what the database recorded. Drift (an applied file changed), a gap
 * (an unapplied file older than the newest applied one) and an applied version whose file is
 * gone are all reported at once, each naming its file; so is a migration left dirty by an
 * interrupted no-transaction run.
 */
export function compareHistory(
  set: MigrationSet,
  applied: readonly AppliedMigration[],
  input = "migrations-dir",
  trackingTable = DEFAULT_TRACKING_TABLE,
): History {
  const files = new Map(set.migrations.map((m) => [m.version, m]));
  const recorded = new Map(applied.map((a) => [a.version, a]));
  let current = 0n;
  for (const row of applied) if (row.version > current) current = row.version;
  // An interrupted migration comes first: until it is resolved, the rest of the history means little.
  const issues: ConfigIssue[] = interruptedMigrationIssues(set, applied, trackingTable, input);
  for (const row of applied) {
    const file = files.get(row.version);
    if (!file) {
      issues.push({
        input,
        path: `${row.version}_${row.name}.up.sql`,
        given: `version ${row.version} applied at ${row.appliedAt} but its file is missing`,
        expected: "every applied migration kept in the directory (never delete or renumber an applied migration)",
      });
    } else if (file.checksum !== row.checksum) {
      issues.push({
        input,
        path: file.upFile,
        given: `checksum ${file.checksum.slice(0, 12)}…, changed since it was applied at ${row.appliedAt} (checksum ${row.checksum.slice(0, 12)}…)`,
        expected: "applied migrations left unchanged; put the change in a new migration",
      });
    }
  }
  for (const file of set.migrations) {
    if (!recorded.has(file.version) && file.version < current) {
      issues.push({
        input,
        path: file.upFile,
        given: `a migration that is not applied, older than the newest applied version ${current}`,
        expected: "new migrations numbered after every applied one (renumber this file)",
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { current, applied: [...applied], pending: set.migrations.filter((m) => !recorded.has(m.version)) };
}
