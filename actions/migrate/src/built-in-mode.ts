import { userInfo } from "node:os";
import { formatDuration, type GitHubContext } from "@cutover/core";
import { assertLintGate, gateFindings, loadMigrations, type MigrationEvent, openDatabase } from "@cutover/migrations";
import type { ActionInputs, Logger } from "@cutover/runner";
import { annotateFindings } from "./finding-annotations.js";
import type { migrate } from "./inputs.js";
import { dialectOf } from "./lint-mode.js";
import type { MigrateReport, MigrationRow } from "./migration-report.js";

type Inputs = ActionInputs<typeof migrate.inputs>;

/** Who applied a migration, as recorded in the tracking table. */
function appliedBy(github: GitHubContext): string {
  const who = github.actor ?? userInfo().username;
  return github.runId ? `${who} via ${github.workflow ?? "workflow"} run ${github.runId}` : who;
}

/** Logs progress and keeps the report's rows current, so a failure still reports what ran. */
function tracker(report: MigrateReport, log: Logger) {
  const rows = new Map(report.migrations.map((row) => [row.version, row]));
  return (event: MigrationEvent) => {
    switch (event.type) {
      case "lock-wait":
        log.info(`Waiting for the migration lock held by ${event.holder}`);
        break;
      case "lock-acquired":
        if (event.waitedMs > 100) log.info(`Got the migration lock after ${formatDuration(event.waitedMs)}`);
        break;
      case "backup":
        log.info(`Backup written to ${event.path}`);
        report["backup-path"] = event.path;
        break;
      case "start": {
        log.info(
          `${event.direction === "up" ? "▶ applying" : "↩ reverting"} ${event.file}${event.transactional ? "" : " (no transaction)"}`,
        );
        const row = rows.get(String(event.version));
        if (row) {
          row.file = event.file;
          row.transactional = event.transactional;
          // Until it is done, a migration in flight counts as failed: that is what a crash would leave.
          row.status = "failed";
        }
        break;
      }
      case "done": {
        const row = rows.get(String(event.version));
        if (!row) break;
        row.status = event.skipped ? "skipped" : event.direction === "up" ? "applied" : "reverted";
        row["duration-ms"] = event.durationMs;
        if (event.direction === "up") {
          report["schema-after"] = String(event.version);
          if (!event.skipped) report.applied.push(String(event.version));
        } else if (!event.skipped) report.reverted.push(String(event.version));
        log.info(event.skipped ? `↷ ${event.file}: already done by another run` : `✓ ${event.file} in ${formatDuration(event.durationMs)}`);
        break;
      }
    }
  };
}

/** The built-in engine: plan, apply or down on PostgreSQL or SQLite. Fills `report` as it goes. */
export async function runBuiltIn(
  inputs: Inputs,
  url: string,
  signal: AbortSignal,
  report: MigrateReport,
  { log, github }: { log: Logger; github: GitHubContext },
): Promise<void> {
  // Everything that can be checked without the database is checked before connecting (the rest with the inputs).
  dialectOf(inputs, url);
  // Digits only here (input-combinations.ts): the built-in engine numbers its files.
  const toVersion = inputs["target-schema"] === undefined ? undefined : BigInt(inputs["target-schema"]);
  const set = await loadMigrations(inputs["migrations-dir"]);
  const db = await openDatabase(url, {
    trackingTable: inputs["tracking-table"],
    statementTimeoutMs: inputs["statement-timeout"],
    lockTimeoutMs: inputs["lock-timeout"],
    create: inputs.mode !== "plan",
  });
  report.database = db.displayName;
  log.info(`Migrations in ${inputs["migrations-dir"]}: ${set.migrations.length} file(s); database: ${db.displayName}`);
  try {
    if (inputs.mode === "down") {
      const plan = await db.planDown(set, toVersion as bigint);
      report["schema-before"] = String(plan.from);
      report.migrations = plan.steps.map((s) => ({
        version: String(s.version),
        file: s.downFile ?? `${s.version}_${s.name}.down.sql (missing)`,
        status: "pending",
        compatibility: s.applied.compatibility === "unknown" ? undefined : s.applied.compatibility,
        transactional: true,
        findings: [],
      })) as MigrationRow[];
      const result = await db.down(set, toVersion as bigint, {
        lockTimeoutMs: inputs["lock-timeout"],
        signal,
        onEvent: tracker(report, log),
      });
      report["schema-before"] = String(result.from);
      report["schema-after"] = String(result.to);
      report.reverted = result.reverted.map((r) => String(r.version));
      report.pending = set.migrations.filter((m) => m.version > result.to).length;
      return;
    }

    const plan = await db.planApply(set, toVersion);
    report["schema-before"] = String(plan.from);
    report["schema-after"] = String(plan.to);
    report.compatibility = plan.compatibility;
    report.pending = plan.migrations.length + plan.later.length;
    const policy = { allowContract: inputs["allow-contract"], refuseLockHazards: inputs["lock-hazards"] === "refuse" };
    const refused = new Set(gateFindings(plan.migrations, policy).map((r) => r.finding));
    report.migrations = plan.migrations.map(({ migration, lint }) => {
      report.warnings.push(...lint.warnings.map((w) => `${migration.upFile} ${w}`));
      annotateFindings(log, inputs["migrations-dir"], migration.upFile, lint.findings, refused, false);
      const row: MigrationRow = {
        version: String(migration.version),
        file: migration.upFile,
        status: "pending",
        compatibility: lint.compatibility,
        transactional: migration.transactional,
        findings: lint.findings,
      };
      if (inputs.mode === "plan") row.sql = migration.upSql;
      return row;
    });
    if (inputs.mode === "plan") {
      report.applied = plan.migrations.map((m) => String(m.migration.version));
      log.info(plan.migrations.length === 0 ? "Nothing pending." : `Plan: ${plan.migrations.map((m) => m.migration.upFile).join(", ")}`);
      assertLintGate(plan.migrations, policy);
      return;
    }
    report["schema-after"] = String(plan.from);
    const result = await db.apply(set, {
      toVersion,
      allowContract: inputs["allow-contract"],
      refuseLockHazards: policy.refuseLockHazards,
      lockTimeoutMs: inputs["lock-timeout"],
      appliedBy: appliedBy(github),
      backupDir: inputs.backup === "auto" ? inputs["backup-dir"] : undefined,
      signal,
      onEvent: tracker(report, log),
      plan,
    });
    report["schema-before"] = String(result.from);
    report["schema-after"] = String(result.to);
    report.applied = result.applied.map((a) => String(a.version));
    report.pending = result.pending;
    report.compatibility = result.compatibility;
    for (const row of report.migrations) if (result.skipped.includes(BigInt(row.version))) row.status = "skipped";
    if (result.backupPath) report["backup-path"] = result.backupPath;
  } catch (error) {
    for (const row of report.migrations) if (row.status === "failed" && signal.aborted) row.status = "cancelled";
    throw error;
  } finally {
    await db.close();
  }
}
