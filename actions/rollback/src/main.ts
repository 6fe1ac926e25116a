import * as core from "@actions/core";
import { CancelledError } from "@cutover/core";
import type { DeploymentRecord } from "@cutover/ledger";
import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { rollback } from "./inputs.js";
import { LedgerSignal } from "./ledger-signal.js";
import { openLedger } from "./open-ledger.js";
import { recordDeployment } from "./record-mode.js";
import { createExecutor } from "./rollback-executor.js";
import { rollBack } from "./rollback-mode.js";
import { renderRecordSummary, renderRollbackSummary } from "./summary.js";

await runAction(rollback, async (inputs, { signal, redactor }) => {
  const ledgerSignal = new LedgerSignal(signal);
  const ledger = openLedger(inputs.ledger, inputs.token, ledgerSignal.signal);

  if (inputs.mode === "record") {
    const result = await recordDeployment(ledger, inputs);
    core.info(
      `record: ${result.action} deployment #${result.record.id} of ${result.record.environment} (${result.record.payload.version}): ${result.record.state}`,
    );
    setOutputs({ "deployment-id": result.record.id }, redactor);
    setReport({ mode: "record", action: result.action, ledger: ledger.where, deployment: describeRecord(result.record) }, redactor);
    await writeSummary(renderRecordSummary(result, ledger.where), redactor);
    return;
  }

  const executor = createExecutor(inputs, {
    signal,
    log: (line) => core.info(line),
    ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {}),
  });
  let outcome: Awaited<ReturnType<typeof rollBack>>;
  try {
    outcome = await rollBack(ledger, inputs, executor, { signal, beforeFirstChange: () => ledgerSignal.commit() });
  } finally {
    await executor.close();
  }
  const { selection, strategy } = outcome.plan;
  const target = selection.target.payload;
  setOutputs(
    {
      strategy: strategy.strategy,
      "target-version": target.version,
      "target-ref": target.ref,
      "target-sha": target.sha,
      "active-color": outcome.activeColor,
      "deployment-id": outcome.record.id,
    },
    redactor,
  );
  setReport(
    {
      mode: "rollback",
      environment: inputs.environment,
      ledger: ledger.where,
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
      router: outcome.prepared.router
        ? { describe: outcome.prepared.router, "active-before": outcome.prepared.routerActive ?? null }
        : null,
      switch: outcome.switched
        ? {
            previous: outcome.switched.previous ?? null,
            changed: outcome.switched.changed,
            "duration-ms": Math.round(outcome.switched.durationMs),
            verification: outcome.switched.verification
              ? {
                  url: outcome.switched.verification.url,
                  ok: outcome.switched.verification.ok,
                  attempts: outcome.switched.verification.attempts,
                  "duration-ms": Math.round(outcome.switched.verification.durationMs),
                }
              : null,
          }
        : null,
      "migrate-down": outcome.migrateDown ? { database: outcome.prepared.database ?? null, ...outcome.migrateDown } : null,
      cancelled: outcome.cancelled ?? null,
      schema: {
        decision: outcome.schema.kind,
        message: outcome.schema.message,
        migrations:
          outcome.schema.kind === "migrate-down" || outcome.schema.kind === "expand-only"
            ? outcome.schema.migrations.map((m) => ({ ...m.migration, "deployment-id": m.deploymentId, "deployment-version": m.version }))
            : [],
      },
      "deployment-id": outcome.record.id,
      "deployment-state": outcome.record.state,
      timings: {
        "read-ledger-ms": outcome.timings.readLedgerMs,
        "migrate-down-ms": outcome.timings.migrateDownMs ?? null,
        "switch-ms": outcome.timings.switchMs ?? null,
        "total-ms": outcome.timings.totalMs,
      },
    },
    redactor,
  );
  await writeSummary(renderRollbackSummary(inputs.environment, outcome, inputs.reason), redactor);
  if (outcome.cancelled) {
    throw new CancelledError(`${outcome.cancelled}; the rollback to ${target.version} is recorded as #${outcome.record.id}`);
  }
});

function describeRecord(record: DeploymentRecord) {
  const p = record.payload;
  return {
    id: record.id,
    environment: record.environment,
    state: record.state,
    version: p.version,
    ref: p.ref,
    sha: p.sha,
    color: p.color ?? null,
    "replaced-color": p.replacedColor ?? null,
    schema: p.schema ?? null,
    slack: p.slack ?? null,
    rollback: p.rollback ?? null,
    "created-at": record.createdAt,
  };
}
