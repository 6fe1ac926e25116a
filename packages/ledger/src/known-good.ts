import type { DeploymentRecord, LastKnownGoodOptions } from "./record.js";

/**
 * A deployment counts as known good when cutover recorded it and it reached `success` and was
 * not taken back: its latest state is `success` (live) or `inactive` after a success (replaced
 * by a newer good deployment). Skipped: `failure` (including rolled-back ones, which rollback
 * marks `failure`), `in_progress`, `inactive` without a success (abandoned), other tools' records.
 */
export function isKnownGood(record: DeploymentRecord): boolean {
  if (!record.recordedByCutover) return false;
  if (record.state === "success") return true;
  return record.state === "inactive" && record.everSucceeded;
}

/** Whether a record is the version asked for: its version label, or its commit SHA (prefix of 7 or more). */
export function matchesVersion(record: DeploymentRecord, version: string): boolean {
  const wanted = version.trim();
  if (record.payload.version === wanted) return true;
  const sha = record.payload.sha.toLowerCase();
  return /^[0-9a-f]{7,40}$/i.test(wanted) && sha.startsWith(wanted.toLowerCase());
}

/** The first record (newest first) that is known good and matches the options. */
export function pickLastKnownGood(
  records: Iterable<DeploymentRecord>,
  environment: string,
  options: LastKnownGoodOptions = {},
): DeploymentRecord | undefined {
  for (const record of records) {
    if (accepts(record, environment, options)) return record;
  }
  return undefined;
}

export function accepts(record: DeploymentRecord, environment: string, options: LastKnownGoodOptions): boolean {
  if (record.environment !== environment) return false;
  if (options.before !== undefined && record.id >= options.before) return false;
  if (options.version !== undefined && !matchesVersion(record, options.version)) return false;
  return isKnownGood(record);
}
