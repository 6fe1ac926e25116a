import { type DeploymentRecord, isKnownGood, matchesVersion } from "@cutover/ledger";
import { NoPreviousDeploymentError } from "./rollback-errors.js";

export interface RollbackSelection {
  /** The deployment being rolled back: the newest one live or in progress. */
  from: DeploymentRecord;
  /** The known-good deployment to return to. */
  target: DeploymentRecord;
  /** Why this target: `target-version v1.2.0` or `last known good before #12`. */
  reason: string;
}

/**
 * Chooses from and to. `records` are one environment's records, newest first, reaching at least
 * down to the target (the caller walks the ledger until `needsMoreRecords` says stop).
 */
export function chooseRollback(records: readonly DeploymentRecord[], environment: string, toVersion?: string): RollbackSelection {
  const mine = records.filter((r) => r.environment === environment);
  const from = mine.find((r) => r.state === "success" || r.state === "in_progress");
  if (!from) {
    throw new NoPreviousDeploymentError(`no deployment of '${environment}' is live or in progress: nothing to roll back`, [
      { subject: "deployments read", measured: describeStates(mine), expected: "one with status success or in_progress" },
    ]);
  }
  if (toVersion !== undefined) {
    const target = mine.find((r) => r.id !== from.id && isKnownGood(r) && matchesVersion(r, toVersion));
    if (!target) {
      const known = [...new Set(mine.filter((r) => r.id !== from.id && isKnownGood(r)).map((r) => r.payload.version))];
      throw new NoPreviousDeploymentError(`no known-good deployment of version '${toVersion}' in '${environment}'`, [
        {
          subject: "target-version",
          measured: `'${toVersion}' matches no successful deployment`,
          expected: known.length > 0 ? `one of ${known.slice(0, 10).join(", ")}` : "a version that was deployed successfully before",
        },
      ]);
    }
    return { from, target, reason: `target-version ${toVersion}` };
  }
  // Releases are told apart by version, not commit: image tags and dispatched versions share one.
  const skipped: string[] = [];
  for (const r of mine) {
    if (r.id >= from.id) continue;
    const why = !isKnownGood(r)
      ? notKnownGood(r)
      : r.payload.version === from.payload.version
        ? `the same version as the live #${from.id}: going back to it changes nothing`
        : undefined;
    if (why === undefined) return { from, target: r, reason: `last known good before #${from.id} (${from.payload.version})` };
    skipped.push(`#${r.id} (${r.payload.version || r.payload.sha.slice(0, 7)}): ${why}`);
  }
  throw new NoPreviousDeploymentError(
    `no successful deployment of '${environment}' before #${from.id} (${from.payload.version}): nothing to roll back to`,
    [
      {
        subject: "last known good",
        measured: skipped.length > 0 ? `none; skipped ${skipped.join("; ")}` : "none found",
        expected: `a successful deployment of another version older than #${from.id}`,
      },
    ],
  );
}

/** Why a record is not a rollback target, in a few words. */
function notKnownGood(record: DeploymentRecord): string {
  if (!record.recordedByCutover) return "recorded by another tool (no version or schema to go back to)";
  if (record.state === "failure") return "it failed or was rolled back";
  if (record.state === "in_progress") return "it never finished";
  if (record.state === "inactive") return "it never succeeded";
  return `its status is ${record.state}`;
}

/** True while a ledger walk (newest first) has not yet reached a record `chooseRollback` could pick. */
export function needsMoreRecords(records: readonly DeploymentRecord[], environment: string, toVersion?: string): boolean {
  try {
    chooseRollback(records, environment, toVersion);
    return false;
  } catch (error) {
    if (error instanceof NoPreviousDeploymentError) return true;
    throw error;
  }
}

function describeStates(records: readonly DeploymentRecord[]): string {
  if (records.length === 0) return "no deployments";
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(", ");
}
