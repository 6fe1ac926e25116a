import * as core from "@actions/core";
import { ConfigError } from "@cutover/core";
import {
  type ColorProbe,
  confirmDownFiles,
  type DeploymentLedger,
  type DeploymentRecord,
  needsMoreRecords,
  planRollback,
  type RollbackPlan,
  type SchemaChange,
  type SchemaDecision,
} from "@cutover/ledger";
import type { RollbackInputs } from "./inputs.js";
import { runUrl } from "./open-ledger.js";
import type { MigrateDownResult, Prepared, RollbackExecutor, SwitchBackResult } from "./rollback-executor.js";

/** A ledger walk stops here even without a target: rollback never looks further back than this. */
const MAX_RECORDS = 1000;

export interface RollbackOutcome {
  plan: RollbackPlan;
  schema: SchemaDecision;
  /** The rollback's own ledger record. */
  record: DeploymentRecord;
  /** The color serving when the step ends. */
  activeColor?: string;
  /** What the probe of the target's color found, when it could probe. */
  probe?: ColorProbe;
  /** What the router and database said before anything changed. */
  prepared: Prepared;
  migrateDown?: MigrateDownResult;
  switched?: SwitchBackResult;
  /** Set when the run was cancelled after traffic moved: the rollback was finished and recorded, then the step fails. */
  cancelled?: string;
  timings: { readLedgerMs: number; migrateDownMs?: number; switchMs?: number; totalMs: number };
}

export interface RollBackHooks {
  signal?: AbortSignal;
  /** Called right before the first change: from here on the ledger must be written even if the run is cancelled. */
  beforeFirstChange?: () => void;
}

/**
 * mode: rollback — reads the ledger, decides target, strategy and schema, refuses before any
 * change when it must, then acts (through the executor) and records the rollback.
 */
export async function rollBack(
  ledger: DeploymentLedger,
  inputs: RollbackInputs,
  executor: RollbackExecutor,
  hooks: RollBackHooks = {},
): Promise<RollbackOutcome> {
  const started = performance.now();
  if (inputs["migrate-down"] && !inputs.dir) {
    throw ConfigError.single({ input: "dir", path: "", expected: "the migrations directory when migrate-down is true" });
  }
  if (inputs["migrate-down"] && !inputs["database-url"]) {
    throw ConfigError.single({ input: "database-url", path: "", expected: "the database to migrate down when migrate-down is true" });
  }
  const toVersion = inputs["to-version"];
  const records: DeploymentRecord[] = [];
  for await (const record of ledger.history(inputs.environment)) {
    records.push(record);
    if (!needsMoreRecords(records, inputs.environment, toVersion) || records.length >= MAX_RECORDS) break;
  }
  const readLedgerMs = performance.now() - started;
  core.info(`Read ${records.length} deployment record(s) of ${inputs.environment} from ${ledger.where} in ${Math.round(readLedgerMs)}ms`);

  const base = {
    environment: inputs.environment,
    records,
    strategy: inputs.strategy,
    migrateDown: inputs["migrate-down"],
    ...(toVersion ? { toVersion } : {}),
  };
  let plan = planRollback(base);
  // A probe of the target's color can overrule the ledger (it may have been redeployed by hand).
  let probe: ColorProbe | undefined;
  if (plan.selection.target.payload.color && inputs.strategy !== "redeploy") {
    probe = await executor.probeColor(plan.selection.target.payload.color);
    if (probe) plan = planRollback({ ...base, probe });
  }
  const { selection, strategy } = plan;
  core.info(
    `Rolling back ${inputs.environment}: #${selection.from.id} ${selection.from.payload.version} → #${selection.target.id} ${selection.target.payload.version} (${selection.reason})`,
  );
  core.info(`Strategy: ${strategy.strategy} (${strategy.reason})`);
  core.info(`Schema: ${plan.schema.message}`);

  // Everything that can refuse does so before the first change: schema, down files, router, database.
  let schema = plan.schema;
  if (schema.kind === "migrate-down") {
    schema = confirmDownFiles(schema, await executor.availableDownFiles(schema.migrations.map((m) => m.migration.version)));
  }
  if (strategy.strategy === "traffic" && !strategy.color) throw new Error("traffic plan without a color");
  const prepared = await executor.prepare({
    ...(strategy.strategy === "traffic" ? { trafficTo: strategy.color as string } : {}),
    ...(schema.kind === "migrate-down" ? { migrateDownTo: schema.target } : {}),
  });
  if (prepared.router) {
    core.info(`Router: ${prepared.router}: ${prepared.routerActive ?? "no color"} active`);
    if (prepared.routerActive && strategy.liveColor && prepared.routerActive !== strategy.liveColor) {
      core.warning(
        `The router sends traffic to ${prepared.routerActive}, the ledger says ${strategy.liveColor} is live: going by the router`,
      );
    }
  }
  if (prepared.database)
    core.info(`Database: ${prepared.database}: will revert ${prepared.downSteps?.join(", ") || "nothing (already there)"}`);
  // Last moment a cancel changes nothing.
  hooks.signal?.throwIfAborted();

  const timings: RollbackOutcome["timings"] = { readLedgerMs: Math.round(readLedgerMs), totalMs: 0 };
  hooks.beforeFirstChange?.();
  let migrated: MigrateDownResult | undefined;
  if (schema.kind === "migrate-down") {
    const t = performance.now();
    migrated = await executor.migrateDown(schema.target, schema.migrations);
    timings.migrateDownMs = Math.round(performance.now() - t);
  }
  let activeColor = prepared.routerActive ?? strategy.liveColor;
  let switched: SwitchBackResult | undefined;
  if (strategy.strategy === "traffic") {
    switched = await executor.switchTraffic(strategy.color as string, selection.target.payload.version);
    timings.switchMs = Math.round(switched.durationMs);
    activeColor = strategy.color;
  }
  const cancelled = switched?.cancelled;
  const replaced = prepared.routerActive ?? strategy.liveColor;

  const logUrl = runUrl();
  const opened = await ledger.open({
    environment: inputs.environment,
    description: `rollback to ${selection.target.payload.version}`,
    ...(logUrl ? { logUrl } : {}),
    payload: {
      version: selection.target.payload.version,
      ref: selection.target.payload.ref,
      sha: selection.target.payload.sha,
      ...(strategy.color ? { color: strategy.color } : {}),
      ...(replaced && replaced !== strategy.color ? { replacedColor: replaced } : {}),
      ...(schemaAfterRollback(schema) ? { schema: schemaAfterRollback(schema) } : {}),
      rollback: {
        reason: inputs.reason ?? "",
        fromId: selection.from.id,
        fromVersion: selection.from.payload.version,
        strategy: strategy.strategy,
      },
    },
  });
  // traffic: done now. redeploy: the workflow closes this record (mode record) after its swap.
  const record =
    strategy.strategy === "traffic"
      ? await ledger.update(opened.id, {
          state: "success",
          description: cancelled
            ? `rolled back from ${selection.from.payload.version}; run cancelled, verification incomplete`
            : `rolled back from ${selection.from.payload.version}`,
        })
      : opened;
  timings.totalMs = Math.round(performance.now() - started);
  return {
    plan,
    schema,
    record,
    prepared,
    ...(activeColor ? { activeColor } : {}),
    ...(probe ? { probe } : {}),
    ...(migrated ? { migrateDown: migrated } : {}),
    ...(switched ? { switched } : {}),
    ...(cancelled ? { cancelled } : {}),
    timings,
  };
}

/** The schema the rolled-back environment runs on, for later rollbacks to read. */
function schemaAfterRollback(schema: SchemaDecision): SchemaChange | undefined {
  switch (schema.kind) {
    case "migrate-down":
      return {
        before: schema.live,
        after: schema.target,
        compatibility: "none",
        migrations: schema.migrations.map((m) => m.migration),
      };
    case "expand-only":
      return { before: schema.live, after: schema.live, compatibility: "none", migrations: [] };
    case "unchanged":
      return schema.schema ? { before: schema.schema, after: schema.schema, compatibility: "none", migrations: [] } : undefined;
    default:
      return undefined;
  }
}
