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
      command: inputs.command,
      versionCommand: inputs["version-command"],
      downCommand: inputs["down-command"],
      toVersion: inputs["to-version"]?.toString(),
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
    });
    if (result.fromVersion !== undefined) report["from-version"] = result.fromVersion;
    if (result.toVersion !== undefined) report["to-version"] = result.toVersion;
    if (result.ran) report.commands = [{ input: result.ran.input, "exit-code": result.ran.exitCode, "duration-ms": result.ran.durationMs }];
  } finally {
    await db?.close();
  }
}
