import { useParserProcess } from "@cutover/migrations";
import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { runBuiltIn } from "./built-in-mode.js";
import { runCommand } from "./command-mode.js";
import { migrate } from "./inputs.js";
import { runLint } from "./lint-mode.js";
import { maskDatabaseUrl } from "./mask-database-url.js";
import { emptyReport, type MigrateReport } from "./migration-report.js";
import { migrationsOutput } from "./migrations-output.js";
import { renderSummary } from "./summary.js";

/** The migrate step; `entry` is the bundle's own script, started again as the PostgreSQL parser child. */
export async function runMigrateStep(entry: string): Promise<void> {
  useParserProcess(entry);
  await runAction(migrate, async (inputs, { signal, redactor, log, github }) => {
    const url = inputs["database-url"];
    if (url) maskDatabaseUrl(url, redactor);
    const commandMode = Boolean(inputs["migrations-command"] || inputs["migrations-version-command"] || inputs["migrations-down-command"]);
    const report: MigrateReport = emptyReport(inputs.mode, commandMode ? "command" : "built-in");
    try {
      if (inputs.mode === "lint") await runLint(inputs, url, report, log);
      else if (commandMode) await runCommand(inputs, url, signal, log, report);
      // database-url is there: checked with the inputs (input-combinations.ts).
      else await runBuiltIn(inputs, url as string, signal, report, { log, github });
    } catch (error) {
      report.outcome = "failed";
      report.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      // Outputs and summary are written on failure too: they say what ran before it.
      setOutputs(
        {
          "schema-before": report["schema-before"],
          "schema-after": report["schema-after"],
          "applied-versions": JSON.stringify(report.applied),
          migrations: JSON.stringify(migrationsOutput(report)),
          "reverted-versions": JSON.stringify(report.reverted),
          pending: report.pending,
          compatibility: report.compatibility,
          "backup-path": report["backup-path"],
        },
        redactor,
      );
      setReport(report, redactor);
      await writeSummary(renderSummary(report), redactor);
      if (report.outcome === "ok") log.info(`Schema version ${report["schema-before"] ?? "?"} → ${report["schema-after"] ?? "?"}`);
    }
  });
}
