import type { DeploymentRecord } from "@cutover/ledger";

/** A ledger record as the reports show it. */
export function describeRecord(record: DeploymentRecord) {
  const p = record.payload;
  return {
    id: record.id,
    environment: record.environment,
    state: record.state,
    version: p.version,
    ref: p.ref,
    sha: p.sha,
    color: p.color ?? null,
    "previous-color": p.replacedColor ?? null,
    schema: p.schema ?? null,
    slack: p.slack ?? null,
    settings: p.settings ?? null,
    rollback: p.rollback ?? null,
    "created-at": record.createdAt,
  };
}
