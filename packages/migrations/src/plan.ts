import { ConfigError } from "@cutover/core";
import type { AppliedMigration } from "./driver.js";
import { compareHistory } from "./history.js";
import { type Compatibility, type LintResult, lintMigration, type SqlDialect } from "./lint.js";
import type { MigrationFile, MigrationSet } from "./migration-files.js";
import { type ParsedStatement, type ParseFailure, parsePostgresSql } from "./postgres-statements.js";

/** One pending migration with the lint's verdict on it. */
export interface PlannedMigration {
  migration: MigrationFile;
  lint: LintResult;
}

export interface ApplyPlan {
  from: bigint;
  /** The version the database will be at after the plan runs. */
  to: bigint;
  migrations: PlannedMigration[];
  /** Pending migrations beyond `target-schema`, left for a later run. */
  later: MigrationFile[];
  /** `none` when nothing is pending, else the strongest verdict among the planned migrations. */
  compatibility: Compatibility | "none";
}

/**
 * What `apply` would do: pending migrations up to `toVersion` (all when undefined), each linted for
 * `dialect`. `earlier` is a plan of the same files made moments before: when the same migrations
 * are still pending, its lint stands (a batch's lint depends only on its files, in order), so a
 * run lints each file once, not once per look at the tracking table.
 */
export async function planApply(
  set: MigrationSet,
  applied: readonly AppliedMigration[],
  toVersion: bigint | undefined,
  dialect: SqlDialect,
  trackingTable?: string,
  earlier?: ApplyPlan,
): Promise<ApplyPlan> {
  const history = compareHistory(set, applied, "migrations-dir", trackingTable);
  if (toVersion !== undefined && toVersion < history.current) {
    throw ConfigError.single({
      input: "target-schema",
      path: "",
      given: `${toVersion}, below the applied version ${history.current}`,
      expected: "a version at or above the applied one for apply (use mode: down to go back)",
    });
  }
  if (toVersion !== undefined && toVersion !== history.current && !set.migrations.some((m) => m.version === toVersion)) {
    throw ConfigError.single({
      input: "target-schema",
      path: "",
      given: String(toVersion),
      expected: "the version of a migration file in the directory",
    });
  }
  const chosen = history.pending.filter((m) => toVersion === undefined || m.version <= toVersion);
  const later = history.pending.filter((m) => toVersion !== undefined && m.version > toVersion);
  // Tables created earlier in the batch are new to the live color, so later statements on them are safe.
  const migrations = earlier && samePending(earlier.migrations, chosen) ? earlier.migrations : await lintPending(chosen, dialect);
  const last = chosen.at(-1);
  return {
    from: history.current,
    to: last ? last.version : history.current,
    migrations,
    later,
    compatibility: migrations.length === 0 ? "none" : migrations.some((m) => m.lint.compatibility === "contract") ? "contract" : "expand",
  };
}

function samePending(planned: readonly PlannedMigration[], chosen: readonly MigrationFile[]): boolean {
  return planned.length === chosen.length && planned.every((p, i) => p.migration === chosen[i]);
}

/** How many files a batch lint has at the parser at once. */
const PARSE_AHEAD = 32;

/** Lints migrations as one batch, in order: tables created earlier in it are new to the live color, so later statements on them are safe. */
export async function lintPending(migrations: readonly MigrationFile[], dialect: SqlDialect): Promise<PlannedMigration[]> {
  // Files go to the parser ahead of the rules (the child answers in turn, no round trip each), a
  // window at a time so a long batch's parse trees are not all held at once; the rules, which
  // depend on earlier files, run in order.
  const parses: (Promise<ParsedStatement[] | ParseFailure> | undefined)[] = [];
  const parseAhead = (end: number) => {
    while (dialect === "postgres" && parses.length < Math.min(end, migrations.length)) {
      const parse = parsePostgresSql((migrations[parses.length] as MigrationFile).upSql);
      // One that fails while an earlier one is awaited is thrown in its turn, not reported unhandled.
      parse.catch(() => {});
      parses.push(parse);
    }
  };
  const newTables = new Set<string>();
  const planned: PlannedMigration[] = [];
  for (const [i, migration] of migrations.entries()) {
    parseAhead(i + PARSE_AHEAD);
    const parsed = parses[i];
    parses[i] = undefined;
    planned.push({
      migration,
      lint: await lintMigration(migration.upSql, { dialect, newTables, transactional: migration.transactional, parsed }),
    });
  }
  return planned;
}

/** One migration to revert. */
export interface DownStep {
  version: bigint;
  name: string;
  /** Undefined when the down file is missing. */
  downFile?: string;
  migration?: MigrationFile;
  applied: AppliedMigration;
}

export interface DownPlan {
  from: bigint;
  to: bigint;
  /** Newest first, the order they are reverted in. */
  steps: DownStep[];
  /** Migrations that cannot be reverted because their down file is missing: when any, nothing runs. */
  missing: DownStep[];
}

/** What `down` to `toVersion` would do, newest first; lists missing down files before touching anything. */
export function planDown(set: MigrationSet, applied: readonly AppliedMigration[], toVersion: bigint, trackingTable?: string): DownPlan {
  const history = compareHistory(set, applied, "migrations-dir", trackingTable);
  if (toVersion > history.current) {
    throw ConfigError.single({
      input: "target-schema",
      path: "",
      given: `${toVersion}, above the applied version ${history.current}`,
      expected: "a version below the applied one for down (0 reverts everything)",
    });
  }
  const files = new Map(set.migrations.map((m) => [m.version, m]));
  const steps = history.applied
    .filter((a) => a.version > toVersion)
    .sort((a, b) => (a.version > b.version ? -1 : 1))
    .map((applied): DownStep => {
      const migration = files.get(applied.version);
      const step: DownStep = { version: applied.version, name: applied.name, applied };
      if (migration) step.migration = migration;
      if (migration?.downFile) step.downFile = migration.downFile;
      return step;
    });
  const to = history.applied.reduce((max, a) => (a.version <= toVersion && a.version > max ? a.version : max), 0n);
  return { from: history.current, to, steps, missing: steps.filter((s) => !s.downFile) };
}
