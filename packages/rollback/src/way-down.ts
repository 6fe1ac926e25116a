import type { DeploymentRecord } from "@cutover/ledger";
import { RollbackBlockedError } from "./rollback-errors.js";
import { describeMigration, type SchemaDecision } from "./schema-decision.js";

type MigrateDown = Extract<SchemaDecision, { kind: "migrate-down" }>;

/** How the schema goes back: the down path (down files or the down command), or a recorded backup restored. */
export type WayDown = { kind: "down" } | { kind: "restore"; backup: string; deploymentId: number };

/**
 * The down path when it covers every migration in the way; else, with a restore-command, the
 * backup the oldest of those deployments took before migrating (it holds the target's schema);
 * else a refusal naming what is missing. Changes nothing.
 */
export function chooseWayDown(
  decision: MigrateDown,
  records: readonly DeploymentRecord[],
  available: readonly string[],
  canRestore: boolean,
): { decision: MigrateDown; way: WayDown } {
  const have = new Set(available);
  const missing = decision.migrations.filter((m) => !have.has(m.migration.version));
  if (missing.length === 0) return { decision: { ...decision, downFilesChecked: true }, way: { kind: "down" } };
  // The chain is newest first: its last migration belongs to the deployment right after the target.
  const oldest = decision.migrations.at(-1)?.deploymentId;
  const backup = records.find((r) => r.id === oldest)?.payload.schema?.backup;
  if (canRestore && backup && oldest !== undefined) {
    return { decision: { ...decision, downFilesChecked: true }, way: { kind: "restore", backup, deploymentId: oldest } };
  }
  const restoreHint = canRestore
    ? `; restore-command is given but #${oldest} recorded no backup`
    : backup
      ? `; a restore-command would restore the backup #${oldest} took (${backup})`
      : "";
  throw new RollbackBlockedError(
    `cannot migrate down to ${decision.target}: no down file for ${missing.map(describeMigration).join(", ")}${restoreHint}`,
    missing.map((m) => ({
      subject: `migration ${describeMigration(m)}`,
      measured: "no down file or down command",
      expected: "a down migration (or migrations-down-command), or restore-command with the backup taken before it",
    })),
  );
}
