import type { DeploymentLedger, DeploymentRecord, SchemaChange } from "@cutover/ledger";
import type { ColorProbe } from "@cutover/traffic";
import { needsMoreRecords } from "./choose-target.js";
import { planRollback } from "./plan-rollback.js";
import { recordedSettings } from "./redeploy-settings.js";
import { resolveRequest } from "./resolve-request.js";
import { createExecutor, type RollbackExecutor } from "./rollback-executor.js";
import type { RollbackContext, RollbackRequest } from "./rollback-request.js";
import type { MigrateDownResult, RollbackOutcome, SwitchBackResult } from "./rollback-result.js";
import type { SchemaDecision } from "./schema-decision.js";
import { chooseWayDown, type WayDown } from "./way-down.js";

/** A ledger walk stops here even without a target: rollback never looks further back than this. */
const MAX_RECORDS = 1000;

/**
 * Rolls an environment back: reads the ledger, decides target, strategy and schema, refuses
 * before any change when it must, then migrates down and switches traffic (through the
 * executor) and records the rollback. `executor` defaults to the real router and database,
 * made once the target is known (what the caller left empty comes from the recorded settings).
 */
export async function rollBack(
  ledger: DeploymentLedger,
  request: RollbackRequest,
  context: RollbackContext,
  executor?: RollbackExecutor,
): Promise<RollbackOutcome> {
  const acting: { executor?: RollbackExecutor } = executor ? { executor } : {};
  try {
    return await decideAndAct(ledger, request, context, acting);
  } finally {
    await acting.executor?.close();
  }
}

async function decideAndAct(
  ledger: DeploymentLedger,
  request: RollbackRequest,
  context: RollbackContext,
  acting: { executor?: RollbackExecutor },
): Promise<RollbackOutcome> {
  const { log } = context;
  const started = performance.now();
  const { environment, toVersion } = request;
  const records: DeploymentRecord[] = [];
  for await (const record of ledger.history(environment)) {
    records.push(record);
    if (!needsMoreRecords(records, environment, toVersion) || records.length >= MAX_RECORDS) break;
  }
  const readLedgerMs = performance.now() - started;
  log(`Read ${records.length} deployment record(s) of ${environment} from ${ledger.where} in ${Math.round(readLedgerMs)}ms`);

  const base = {
    environment,
    records,
    strategy: request.strategy,
    migrateDown: request.migrateDown !== undefined,
    ...(toVersion ? { toVersion } : {}),
  };
  let plan = planRollback(base);
  const resolved = resolveRequest(request, plan.selection);
  acting.executor ??= createExecutor(resolved.request, context);
  const executor = acting.executor;
  // A probe of the target's color can overrule the ledger (it may have been redeployed by hand).
  let probe: ColorProbe | undefined;
  if (plan.selection.target.payload.color && request.strategy !== "redeploy") {
    probe = await executor.probeColor(plan.selection.target.payload.color);
    if (probe) plan = planRollback({ ...base, probe });
  }
  const { selection, strategy } = plan;
  log(
    `Rolling back ${environment}: #${selection.from.id} ${selection.from.payload.version} → #${selection.target.id} ${selection.target.payload.version} (${selection.reason})`,
  );
  log(`Strategy: ${strategy.strategy} (${strategy.reason})`);
  log(`Schema: ${plan.schema.message}`);

  // Everything that can refuse does so before the first change: schema, down files, router, database.
  let schema = plan.schema;
  let way: WayDown | undefined;
  if (schema.kind === "migrate-down") {
    ({ decision: schema, way } = chooseWayDown(
      schema,
      records,
      await executor.availableDownFiles(schema.migrations),
      executor.canRestore(),
    ));
    if (way.kind === "restore") log(`No down path: restoring the backup #${way.deploymentId} took before migrating (${way.backup})`);
  }
  if (strategy.strategy === "traffic" && !strategy.color) throw new Error("traffic plan without a color");
  const prepared = await executor.prepare({
    ...(strategy.strategy === "traffic" ? { trafficTo: strategy.color as string } : {}),
    ...(schema.kind === "migrate-down" ? { migrateDownTo: schema.target } : {}),
    ...(way?.kind === "restore" ? { restoreFrom: way.backup } : {}),
  });
  if (prepared.router) {
    log(`Router: ${prepared.router}: ${prepared.routerActive ?? "no color"} active`);
    if (prepared.routerActive && strategy.liveColor && prepared.routerActive !== strategy.liveColor) {
      context.warn(
        `The router sends traffic to ${prepared.routerActive}, the ledger says ${strategy.liveColor} is live: going by the router`,
      );
    }
  }
  if (prepared.database) log(`Database: ${prepared.database}: will revert ${prepared.downSteps?.join(", ") || "nothing (already there)"}`);
  // Last moment a cancel changes nothing.
  context.signal.throwIfAborted();

  const timings: RollbackOutcome["timings"] = { readLedgerMs: Math.round(readLedgerMs), totalMs: 0 };
  context.beforeFirstChange?.();
  let migrated: MigrateDownResult | undefined;
  if (schema.kind === "migrate-down") {
    const t = performance.now();
    migrated = way?.kind === "restore" ? await executor.restore(way.backup, schema.target) : await executor.migrateDown(schema.target);
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
  const after = schemaAfterRollback(schema);
  // Carried on, so a rollback of this rollback needs no more inputs than this one did.
  const settings = recordedSettings(resolved.settings, context.warn);

  const opened = await ledger.open({
    environment,
    description: `rollback to ${selection.target.payload.version}`,
    ...(request.logUrl ? { logUrl: request.logUrl } : {}),
    payload: {
      version: selection.target.payload.version,
      ref: selection.target.payload.ref,
      sha: selection.target.payload.sha,
      ...(strategy.color ? { color: strategy.color } : {}),
      ...(replaced && replaced !== strategy.color ? { replacedColor: replaced } : {}),
      ...(after ? { schema: after } : {}),
      ...(Object.keys(settings).length > 0 ? { settings } : {}),
      rollback: {
        reason: request.reason ?? "",
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
    settings: resolved.settings,
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
