import { describeRecord, type RollbackOutcome } from "@cutover/rollback";
import type { RollbackInputs } from "./inputs.js";

/** The `report` output of mode rollback: what was decided, from which records, and what changed. */
export function buildRollbackReport(inputs: RollbackInputs, where: string, outcome: RollbackOutcome) {
  const { selection, strategy } = outcome.plan;
  const { switched: sw, schema, timings: t } = outcome;
  const verification = sw?.verification;
  return {
    mode: "rollback",
    environment: inputs.environment,
    ledger: where,
    reason: inputs.reason ?? null,
    from: describeRecord(selection.from),
    target: describeRecord(selection.target),
    "target-reason": selection.reason,
    strategy: {
      requested: inputs.strategy,
      used: strategy.strategy,
      color: strategy.color ?? null,
      "live-color": strategy.liveColor ?? null,
      reason: strategy.reason,
    },
    "active-color": outcome.activeColor ?? null,
    probe: outcome.probe ?? null,
    router: outcome.prepared.router ? { describe: outcome.prepared.router, "active-before": outcome.prepared.routerActive ?? null } : null,
    switch: sw
      ? {
          previous: sw.previous ?? null,
          changed: sw.changed,
          "duration-ms": Math.round(sw.durationMs),
          verification: verification
            ? {
                url: verification.url,
                ok: verification.ok,
                attempts: verification.attempts,
                "duration-ms": Math.round(verification.durationMs),
              }
            : null,
        }
      : null,
    "migrate-down": outcome.migrateDown ? { database: outcome.prepared.database ?? null, ...outcome.migrateDown } : null,
    cancelled: outcome.cancelled ?? null,
    schema: {
      decision: schema.kind,
      message: schema.message,
      migrations:
        schema.kind === "migrate-down" || schema.kind === "expand-only"
          ? schema.migrations.map((m) => ({ ...m.migration, "deployment-id": m.deploymentId, "deployment-version": m.version }))
          : [],
    },
    "deployment-id": outcome.record.id,
    "deployment-state": outcome.record.state,
    timings: {
      "read-ledger-ms": t.readLedgerMs,
      "migrate-down-ms": t.migrateDownMs ?? null,
      "switch-ms": t.switchMs ?? null,
      "total-ms": t.totalMs,
    },
  };
}
