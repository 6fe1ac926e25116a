import type { MigrateReport } from "./migration-report.js";

/**
 * The `migrations` output: each migration this run applied (plan mode: would apply) with its
 * classification, in the shape the rollback action's `migrations` input records in the ledger.
 */
export function migrationsOutput(report: MigrateReport): { version: string; name: string; classification: string }[] {
  const wanted = report.mode === "plan" ? "pending" : "applied";
  return report.migrations
    .filter((row) => row.status === wanted && row.compatibility !== undefined)
    .map((row) => ({
      version: row.version,
      name: row.file.replace(/^\d+_/, "").replace(/\.up\.sql$/, ""),
      classification: row.compatibility as string,
    }));
}
