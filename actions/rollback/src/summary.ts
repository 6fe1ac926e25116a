import { formatDuration } from "@cutover/core";
import { describeMigration, type RecordResult, type RollbackOutcome } from "@cutover/rollback";
import { table } from "@cutover/runner";

/** Step summary of a rollback: from → to, why, schema decision, timings. */
export function renderRollbackSummary(environment: string, outcome: RollbackOutcome, reason: string | undefined): string {
  const { selection, strategy } = outcome.plan;
  const from = selection.from.payload;
  const to = selection.target.payload;
  const verdict =
    strategy.strategy === "traffic"
      ? `✅ ${environment} back on ${to.version} (traffic switched to ${strategy.color})`
      : `↩️ ${environment}: redeploy ${to.version}${strategy.color ? ` to ${strategy.color}` : ""}, then swap`;
  let markdown = `### rollback: ${verdict}\n\n`;
  markdown += table(
    ["", "Deployment", "Version", "Ref", "SHA", "Color", "Status"],
    [
      ["From", `#${selection.from.id}`, from.version, from.ref, from.sha.slice(0, 12), from.color ?? "—", selection.from.state],
      ["To", `#${selection.target.id}`, to.version, to.ref, to.sha.slice(0, 12), to.color ?? "—", selection.target.state],
    ],
  );
  markdown += `\n- **Why:** ${reason ? reason : "no reason given"} (target: ${selection.reason})`;
  markdown += `\n- **Strategy:** ${strategy.strategy}: ${strategy.reason}`;
  if (outcome.probe) {
    const p = outcome.probe;
    markdown += `\n- **Probe of ${p.color}:** ${p.reachable ? `answered${p.version ? `, version ${p.version}` : ", no version reported"}` : "did not answer"}`;
  }
  const sw = outcome.switched;
  if (sw) {
    const verified = sw.verification
      ? `, verified at ${sw.verification.url} (${sw.verification.attempts} requests)`
      : ", not verified (no verify-url)";
    markdown += `\n- **Traffic:** ${outcome.prepared.router ?? "router"}: ${sw.previous ?? "none"} → ${strategy.color}${sw.changed ? "" : " (already there)"}${sw.cancelled ? "" : verified}`;
  }
  if (outcome.migrateDown) {
    const m = outcome.migrateDown;
    markdown += `\n- **Migrated down:** ${outcome.prepared.database ?? "database"} ${m.from} → ${m.to}${m.reverted.length ? ` (${m.reverted.map((r) => r.file).join(", ")})` : " (nothing to revert)"}`;
  }
  if (outcome.cancelled) markdown += `\n- **Cancelled:** ${outcome.cancelled}`;
  markdown += `\n- **Schema:** ${outcome.schema.message}`;
  if (outcome.schema.kind === "migrate-down" || outcome.schema.kind === "expand-only") {
    markdown += `\n\n${table(
      ["Migration", "Class", "Applied by"],
      outcome.schema.migrations.map((m) => [describeMigration(m), m.migration.classification, `#${m.deploymentId} (${m.version})`]),
    )}`;
  }
  const t = outcome.timings;
  markdown += `\n- **Ledger:** rollback record #${outcome.record.id} (${outcome.record.state})`;
  markdown += `\n- **Timings:** ledger read ${formatDuration(t.readLedgerMs)}${t.migrateDownMs === undefined ? "" : `, migrate down ${formatDuration(t.migrateDownMs)}`}${t.switchMs === undefined ? "" : `, switch ${formatDuration(t.switchMs)}`}, total ${formatDuration(t.totalMs)}\n`;
  return markdown;
}

/** Step summary of mode record. */
export function renderRecordSummary(result: RecordResult, where: string): string {
  const { record } = result;
  const p = record.payload;
  let markdown = `### rollback (record): ${result.action} deployment #${record.id} of ${record.environment}: ${record.state}\n\n`;
  markdown += table(
    ["Version", "Ref", "SHA", "Color", "Replaced", "Schema", "Compatibility"],
    [
      [
        p.version,
        p.ref,
        p.sha.slice(0, 12),
        p.color ?? "—",
        p.replacedColor ?? "—",
        p.schema ? `${p.schema.before ?? "?"} → ${p.schema.after ?? "?"}` : "—",
        p.schema?.compatibility ?? "—",
      ],
    ],
  );
  markdown += `\nLedger: ${where}\n`;
  return markdown;
}
