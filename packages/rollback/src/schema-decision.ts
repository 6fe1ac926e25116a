import type { AppliedMigration, DeploymentRecord } from "@cutover/ledger";
import type { RollbackSelection } from "./choose-target.js";
import { RollbackBlockedError } from "./rollback-errors.js";

/** A migration between the target's schema and the live one, with the deployment that applied it. */
export interface MigrationInTheWay {
  migration: AppliedMigration;
  deploymentId: number;
  version: string;
  /**
   * Set when the deployment recorded a schema change without listing its migrations: every
   * migration numbered above `above`, up to and including `through`. `migration.version` then
   * only labels it (`0002..0004`).
   */
  range?: SchemaRange;
}

/** Schema versions (last applied migration versions) bounding a span of unlisted migrations. */
export interface SchemaRange {
  above: string;
  through: string;
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
    const found = { deploymentId: step.id, version: step.payload.version };
    if (schema.migrations.length > 0) {
      for (const migration of [...schema.migrations].reverse()) chain.push({ migration, ...found });
    } else {
      chain.push({
        migration: {
          version: `${schema.before}..${schema.after}`,
          name: `unlisted migrations of #${step.id}`,
          classification: schema.compatibility === "none" ? "expand" : schema.compatibility,
        },
        range: { above: schema.before as string, through: cursor },
        ...found,
      });
    }
    cursor = schema.before as string;
  }
  return chain;
}

export function describeMigration(m: MigrationInTheWay): string {
  return m.migration.name ? `${m.migration.version} ${m.migration.name}` : m.migration.version;
}
