import { formatDuration } from "@cutover/core";
import { table } from "@cutover/runner";
import type { MigrateReport } from "./migration-report.js";

const STATUS: Record<string, string> = {
  pending: "⏳ pending",
  applied: "✅ applied",
  skipped: "↷ already applied by another run",
  reverted: "↩ reverted",
  failed: "❌ failed",
  cancelled: "⛔ cancelled",
};

const CLASS: Record<string, string> = { contract: "🛑 contract", "lock-hazard": "🔒 lock hazard", "cannot-judge": "❓ cannot judge" };

function headline(report: MigrateReport): string {
  const where = report.database ? ` on \`${report.database}\`` : "";
  const versions = `${report["schema-before"] ?? "?"} → ${report["schema-after"] ?? "?"}`;
  if (report.outcome === "failed" && report.mode === "lint")
    return `❌ lint: ${report.migrations.length} migration(s), ${report.compatibility ?? "none"}: refused`;
  if (report.outcome === "failed" && report.mode === "plan")
    return `❌ plan: ${report.pending} pending migration(s)${where}, ${report.compatibility ?? "none"}: refused`;
  if (report.outcome === "failed") return `❌ ${report.mode} failed${where} (${versions})`;
  if (report.mode === "lint") return `🔎 lint: ${report.migrations.length} migration(s), ${report.compatibility ?? "none"}`;
  if (report.mode === "plan") return `📋 plan: ${report.pending} pending migration(s)${where}, ${report.compatibility ?? "none"}`;
  if (report.mode === "down") return `↩ reverted ${report.reverted.length} migration(s)${where} (${versions})`;
  return `✅ applied ${report.applied.length} migration(s)${where} (${versions}), ${report.compatibility ?? "none"}`;
}

/** The step summary: a headline, one row per migration with classification and duration, lint findings, the plan's SQL. */
export function renderSummary(report: MigrateReport): string {
  let markdown = `### migrate: ${headline(report)}\n\n`;
  if (report.error) markdown += `> ${report.error.split("\n").join("\n> ")}\n\n`;
  if (report.engine === "command") {
    markdown += table(
      ["Command", "Exit code", "Duration"],
      (report.commands ?? []).map((c) => [c.input, c["exit-code"], formatDuration(c["duration-ms"])]),
    );
    markdown += `\nSchema version: ${report["schema-before"] ?? "unknown"} → ${report["schema-after"] ?? "unknown"} (command mode: no lint)\n`;
    if (report["backup-path"]) markdown += `\nBackup: \`${report["backup-path"]}\`\n`;
    return markdown;
  }
  if (report.migrations.length > 0) {
    markdown += table(
      ["Version", "File", "Status", "Classification", "Transaction", "Duration"],
      report.migrations.map((m) => [
        m.version,
        `\`${m.file}\``,
        STATUS[m.status] ?? m.status,
        m.compatibility === "contract"
          ? m.findings.every((f) => f.acceptedBecause !== undefined)
            ? "⚠️ contract (accepted)"
            : "🛑 contract"
          : (m.compatibility ?? "—"),
        m.transactional ? "yes" : "no (cutover:no-transaction)",
        m["duration-ms"] === undefined ? "—" : formatDuration(m["duration-ms"]),
      ]),
    );
  } else {
    markdown += "Nothing to do: the database is up to date.\n";
  }
  const findings = report.migrations.flatMap((m) => m.findings.map((f) => ({ file: m.file, f })));
  if (findings.length > 0) {
    markdown += "\n#### Lint findings (what would break or block the color that is still live)\n\n";
    for (const { file, f } of findings) {
      const how = f.class === "contract" ? "how to split" : "safe way";
      const verdict = f.acceptedBecause !== undefined ? `accepted: ${f.acceptedBecause}` : `${how}: ${f.fix}`;
      markdown += `- \`${file}\` line ${f.line}: \`${f.statement}\` — ${CLASS[f.class]} (${f.rule}): ${f.reason}; ${verdict}\n`;
    }
  }
  for (const warning of report.warnings) markdown += `\n- ⚠️ ${warning}`;
  if (report["backup-path"]) markdown += `\nBackup: \`${report["backup-path"]}\`\n`;
  if (report.mode === "plan") {
    for (const m of report.migrations.filter((row) => row.sql !== undefined)) {
      markdown += `\n<details><summary>${m.file}</summary>\n\n\`\`\`sql\n${m.sql}\n\`\`\`\n\n</details>\n`;
    }
  }
  return markdown;
}
