import { openDatabase, parseDatabaseUrl, runCommandMode } from "@cutover/migrations";
import type { ActionInputs, Logger } from "@cutover/runner";
import type { migrate } from "./inputs.js";
import type { MigrateReport } from "./migration-report.js";

type Inputs = ActionInputs<typeof migrate.inputs>;

/** Command mode: the team's own migration tool, under the same lock, with the same outputs (no lint). */
export async function runCommand(
  inputs: Inputs,
  url: string | undefined,
  signal: AbortSignal,
  log: Logger,
  report: MigrateReport,
): Promise<void> {
  const mode = inputs.mode;
  // main.ts sends mode lint to the lint; this keeps the type honest.
  if (mode === "lint") throw new Error("mode: lint has no command mode");
  const target = url ? parseDatabaseUrl(url) : undefined;
  const db = target?.kind === "postgres" ? await openDatabase(url as string, { trackingTable: inputs["tracking-table"] }) : undefined;
  if (db) report.database = db.displayName;
  try {
    const result = await runCommandMode({
      mode,
      command: inputs["migrations-command"],
      versionCommand: inputs["migrations-version-command"],
      downCommand: inputs["migrations-down-command"],
      toVersion: inputs["target-schema"],
      backupCommand: inputs.backup === "auto" ? inputs["backup-command"] : undefined,
      backupDir: inputs["backup-dir"],
      env: url ? { DATABASE_URL: url } : {},
      signal,
      lock: db
        ? () =>
            db.lock({
              timeoutMs: inputs["lock-timeout"],
              signal,
              onWait: (holder) => log.info(`Waiting for the migration lock held by ${holder}`),
            })
        : undefined,
      onLine: (line) => log.info(line),
      // Kept as they are read: a failed command still reports where the schema was and is.
      onVersion: (when, version) => {
        if (version !== undefined) report[when === "before" ? "schema-before" : "schema-after"] = version;
      },
    });
    if (result.fromVersion !== undefined) report["schema-before"] = result.fromVersion;
    if (result.toVersion !== undefined) report["schema-after"] = result.toVersion;
    if (result.compatibility) report.compatibility = result.compatibility;
    if (result.backup) {
      report["backup-path"] = result.backup;
      log.info(`Backup: ${result.backup}`);
    }
    if (result.ran) report.commands = [{ input: result.ran.input, "exit-code": result.ran.exitCode, "duration-ms": result.ran.durationMs }];
  } finally {
    await db?.close();
  }
}
