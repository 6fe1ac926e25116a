import { NoPreviousDeploymentError, RollbackBlockedError } from "./errors.js";
import { isKnownGood, matchesVersion } from "./known-good.js";
import type { AppliedMigration, DeploymentRecord } from "./record.js";

// Pure decisions of a rollback: which deployment to go back to, how, and whether the schema
// allows it. No I/O: the caller reads the ledger, probes, checks files, and acts on the plan.

export type RequestedStrategy = "auto" | "traffic" | "redeploy";

/** What a probe of a color's URL (verify-url) found, when the caller made one. */
export interface ColorProbe {
  color: string;
  reachable: boolean;
  /** The version the color reports, when it could be read. */
  version?: string;
}

export interface RollbackSelection {
  /** The deployment being rolled back: the newest one live or in progress. */
  from: DeploymentRecord;
  /** The known-good deployment to return to. */
  target: DeploymentRecord;
  /** Why this target: `to-version v1.2.0` or `last known good before #12`. */
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
          subject: "to-version",
          measured: `'${toVersion}' matches no successful deployment`,
          expected: known.length > 0 ? `one of ${known.slice(0, 10).join(", ")}` : "a version that was deployed successfully before",
        },
      ]);
    }
    return { from, target, reason: `to-version ${toVersion}` };
  }
  // Same commit as `from` would change nothing: look further back.
  const target = mine.find((r) => r.id < from.id && isKnownGood(r) && r.payload.sha !== from.payload.sha);
  if (!target) {
    throw new NoPreviousDeploymentError(
      `no successful deployment of '${environment}' before #${from.id} (${from.payload.version}): nothing to roll back to`,
      [{ subject: "last known good", measured: "none found", expected: `a successful deployment older than #${from.id}` }],
    );
  }
  return { from, target, reason: `last known good before #${from.id} (${from.payload.version})` };
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

export interface StrategyDecision {
  strategy: "traffic" | "redeploy";
  /** traffic: the color to switch back to; redeploy: the idle color to deploy the target to. */
  color?: string;
  /** The color serving now, as far as the ledger knows. */
  liveColor?: string;
  reason: string;
}

/**
 * traffic when the target's color still runs the target version (no later deployment went to
 * that color, or the probe of that color reports the target version); otherwise redeploy.
 */
export function decideStrategy(
  records: readonly DeploymentRecord[],
  selection: RollbackSelection,
  requested: RequestedStrategy,
  probe?: ColorProbe,
): StrategyDecision {
  const { target } = selection;
  const liveColor = liveColorOf(records, selection);
  const idle = liveColor ? otherColor(liveColor, records) : undefined;
  const traffic = trafficViability(records, target, probe);
  if (requested === "redeploy") {
    return {
      strategy: "redeploy",
      ...(idle ? { color: idle } : {}),
      ...(liveColor ? { liveColor } : {}),
      reason: "strategy redeploy requested",
    };
  }
  if (traffic.ok) {
    return { strategy: "traffic", color: traffic.color, ...(liveColor ? { liveColor } : {}), reason: traffic.reason };
  }
  if (requested === "traffic") {
    throw new RollbackBlockedError(`traffic rollback to ${target.payload.version} is not possible: ${traffic.reason}`, [
      {
        subject: "strategy traffic",
        measured: traffic.reason,
        expected: `a color still running ${target.payload.version}; use strategy redeploy or auto`,
      },
    ]);
  }
  return {
    strategy: "redeploy",
    ...(idle ? { color: idle } : {}),
    ...(liveColor ? { liveColor } : {}),
    reason: `redeploy because ${traffic.reason}`,
  };
}

function trafficViability(
  records: readonly DeploymentRecord[],
  target: DeploymentRecord,
  probe?: ColorProbe,
): { ok: true; color: string; reason: string } | { ok: false; reason: string } {
  const color = target.payload.color;
  if (!color) return { ok: false, reason: `the ledger does not say which color ${target.payload.version} ran on` };
  if (probe && probe.color === color) {
    if (!probe.reachable) return { ok: false, reason: `the ${color} color did not answer its verify URL` };
    if (probe.version !== undefined && probe.version !== target.payload.version) {
      return { ok: false, reason: `the ${color} color reports version ${probe.version}, not ${target.payload.version}` };
    }
    if (probe.version === target.payload.version) return { ok: true, color, reason: `the ${color} color reports ${probe.version}` };
  }
  const overwritten = records.find(
    (r) => r.id > target.id && r.environment === target.environment && r.payload.color === color && r.payload.sha !== target.payload.sha,
  );
  if (overwritten) {
    return {
      ok: false,
      reason: `#${overwritten.id} (${overwritten.payload.version}, ${overwritten.state}) was deployed to ${color} since`,
    };
  }
  return { ok: true, color, reason: `the ${color} color still runs ${target.payload.version} (per the ledger)` };
}

/** The color serving now as far as the ledger knows: the latest success's, else what `from` replaced. */
function liveColorOf(records: readonly DeploymentRecord[], selection: RollbackSelection): string | undefined {
  const live = records.find((r) => r.environment === selection.from.environment && r.state === "success");
  return live?.payload.color ?? selection.from.payload.replacedColor ?? selection.from.payload.color;
}

/** The partner color: from the ledger's color/replacedColor pairs, else blue ↔ green. */
export function otherColor(color: string, records: readonly DeploymentRecord[] = []): string | undefined {
  for (const r of records) {
    if (r.payload.color === color && r.payload.replacedColor && r.payload.replacedColor !== color) return r.payload.replacedColor;
    if (r.payload.replacedColor === color && r.payload.color && r.payload.color !== color) return r.payload.color;
  }
  if (color === "blue") return "green";
  if (color === "green") return "blue";
  return undefined;
}

/** A migration between the target's schema and the live one, with the deployment that applied it. */
export interface MigrationInTheWay {
  migration: AppliedMigration;
  deploymentId: number;
  version: string;
}

export type SchemaDecision =
  | { kind: "unchanged"; schema?: string; message: string }
  | { kind: "untracked"; message: string }
  | { kind: "expand-only"; live: string; target: string; migrations: MigrationInTheWay[]; message: string }
  | {
      kind: "migrate-down";
      live: string;
      target: string;
      /** Newest first: the order to revert them. */
      migrations: MigrationInTheWay[];
      /** Contract migrations that made migrating down necessary. */
      blocking: MigrationInTheWay[];
      /** False until the caller confirmed every down file exists (confirmDownFiles). */
      downFilesChecked: boolean;
      message: string;
    };

export interface SchemaOptions {
  migrateDown: boolean;
  /** Versions whose down file exists; when given, a migrate-down plan is checked against it. */
  downFiles?: readonly string[];
}

/**
 * Whether the target version fits the live schema. Only expand migrations between them: proceed.
 * Any contract migration: refuse, naming each one, unless migrate-down (then every down file must exist).
 */
export function decideSchema(records: readonly DeploymentRecord[], selection: RollbackSelection, options: SchemaOptions): SchemaDecision {
  const { target } = selection;
  const newer = records.filter((r) => r.environment === target.environment && r.id > target.id);
  const targetSchema = target.payload.schema?.after;
  const live = newer.find((r) => r.payload.schema?.after !== undefined)?.payload.schema?.after ?? targetSchema;
  if (targetSchema === undefined) {
    return live === undefined
      ? { kind: "untracked", message: "no schema versions are recorded: schema compatibility was not checked" }
      : { kind: "untracked", message: `${target.payload.version} has no recorded schema version; live schema is ${live}: not checked` };
  }
  if (live === undefined || live === targetSchema) {
    return { kind: "unchanged", schema: targetSchema, message: `schema unchanged (${targetSchema}): ${target.payload.version} fits` };
  }
  const chain = migrationChain(newer, live, targetSchema);
  if (!chain) {
    throw new RollbackBlockedError(`the ledger cannot tell which migrations lie between schema ${targetSchema} and ${live}`, [
      {
        subject: "schema",
        measured: `live ${live}, ${target.payload.version} was deployed with ${targetSchema}`,
        expected: "ledger records whose schema before/after connect the two",
      },
    ]);
  }
  const blocking = chain.filter((m) => m.migration.classification === "contract");
  if (blocking.length === 0) {
    return {
      kind: "expand-only",
      live,
      target: targetSchema,
      migrations: chain,
      message: `only expand migrations since ${targetSchema} (${chain.map(describeMigration).join(", ")}): ${target.payload.version} still fits schema ${live}`,
    };
  }
  if (!options.migrateDown) {
    throw new RollbackBlockedError(
      `${blocking.length} contract migration(s) since ${target.payload.version} stand in the way: ${blocking.map(describeMigration).join(", ")}`,
      blocking.map((m) => ({
        subject: `migration ${describeMigration(m)}`,
        measured: `contract, applied by #${m.deploymentId} (${m.version})`,
        expected: "set migrate-down: true to revert it first (its down file must exist)",
      })),
    );
  }
  const decision: SchemaDecision = {
    kind: "migrate-down",
    live,
    target: targetSchema,
    migrations: chain,
    blocking,
    downFilesChecked: false,
    message: `migrating down from ${live} to ${targetSchema} (reverting ${chain.map(describeMigration).join(", ")}) because of contract migration(s) ${blocking.map(describeMigration).join(", ")}`,
  };
  return options.downFiles ? confirmDownFiles(decision, options.downFiles) : decision;
}

/** Checks that every migration to revert has a down file; refuses, naming the missing ones. */
export function confirmDownFiles(decision: SchemaDecision, available: readonly string[]): SchemaDecision {
  if (decision.kind !== "migrate-down") return decision;
  const have = new Set(available);
  const missing = decision.migrations.filter((m) => !have.has(m.migration.version));
  if (missing.length > 0) {
    throw new RollbackBlockedError(
      `cannot migrate down to ${decision.target}: no down file for ${missing.map(describeMigration).join(", ")}`,
      missing.map((m) => ({
        subject: `migration ${describeMigration(m)}`,
        measured: "no down file",
        expected: "a down migration, so the schema can return to the target's version",
      })),
    );
  }
  return { ...decision, downFilesChecked: true };
}

/**
 * Walks schema versions back from `live` to `target` through the records (newest first) that
 * moved them; rollback records are skipped since they never apply new migrations.
 */
function migrationChain(newer: readonly DeploymentRecord[], live: string, target: string): MigrationInTheWay[] | undefined {
  const used = new Set<number>();
  const chain: MigrationInTheWay[] = [];
  let cursor = live;
  while (cursor !== target) {
    const step = newer.find(
      (r) =>
        !used.has(r.id) &&
        !r.payload.rollback &&
        r.payload.schema?.after === cursor &&
        r.payload.schema.before !== undefined &&
        r.payload.schema.before !== cursor,
    );
    if (!step?.payload.schema?.before) return undefined;
    used.add(step.id);
    const schema = step.payload.schema;
    const migrations =
      schema.migrations.length > 0
        ? [...schema.migrations].reverse()
        : [
            {
              version: `${schema.before}..${schema.after}`,
              name: `unlisted migrations of #${step.id}`,
              classification: schema.compatibility === "none" ? "expand" : schema.compatibility,
            } satisfies AppliedMigration,
          ];
    for (const migration of migrations) chain.push({ migration, deploymentId: step.id, version: step.payload.version });
    cursor = schema.before as string;
  }
  return chain;
}

export function describeMigration(m: MigrationInTheWay): string {
  return m.migration.name ? `${m.migration.version} ${m.migration.name}` : m.migration.version;
}

function describeStates(records: readonly DeploymentRecord[]): string {
  if (records.length === 0) return "no deployments";
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(", ");
}

export interface RollbackPlan {
  selection: RollbackSelection;
  strategy: StrategyDecision;
  schema: SchemaDecision;
}

export interface PlanRollbackInput {
  environment: string;
  /** The environment's records, newest first, down to at least the target. */
  records: readonly DeploymentRecord[];
  toVersion?: string;
  strategy: RequestedStrategy;
  migrateDown: boolean;
  downFiles?: readonly string[];
  probe?: ColorProbe;
}

/** The whole decision: target, strategy and schema; throws a typed error when rollback must not happen. */
export function planRollback(input: PlanRollbackInput): RollbackPlan {
  const selection = chooseRollback(input.records, input.environment, input.toVersion);
  const schema = decideSchema(input.records, selection, {
    migrateDown: input.migrateDown,
    ...(input.downFiles ? { downFiles: input.downFiles } : {}),
  });
  const strategy = decideStrategy(input.records, selection, input.strategy, input.probe);
  return { selection, strategy, schema };
}
