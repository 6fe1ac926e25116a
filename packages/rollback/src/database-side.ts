import { CancelledError, ConfigError } from "@cutover/core";
import { assertRevertible, loadMigrations, type MigrationDatabase, type MigrationSet, openDatabase } from "@cutover/migrations";
import type { MigrateDownResult, Prepared } from "./rollback-result.js";
import type { MigrationInTheWay } from "./schema-decision.js";

/** How long migrate-down waits for another run's migration lock. */
const LOCK_TIMEOUT_MS = 60_000;

/**
 * The database half of a rollback, through @cutover/migrations: which down files exist, a
 * down plan checked against the database itself, and the down run under the migration lock.
 */
export class DatabaseSide {
  private set: MigrationSet | undefined;
  private db: MigrationDatabase | undefined;

  constructor(
    private readonly target: { dir: string; databaseUrl: string },
    private readonly context: { signal: AbortSignal; log: (line: string) => void },
  ) {}

  /**
   * The labels (`migration.version`) of those migrations whose down files exist. Ledger versions
   * are strings ("0004"); files are numbered by value, so "0004" is 4. A span of unlisted
   * migrations counts when every file in it has a down file.
   */
  async availableDownFiles(migrations: readonly MigrationInTheWay[]): Promise<string[]> {
    const set = await this.migrations();
    const withDown = new Set(set.migrations.filter((m) => m.downFile).map((m) => m.version));
    const onDisk = set.migrations.map((m) => m.version);
    const covered = (m: MigrationInTheWay): boolean => {
      if (!m.range) return isNumeric(m.migration.version) && withDown.has(BigInt(m.migration.version));
      if (!isNumeric(m.range.above) || !isNumeric(m.range.through)) return false;
      const above = BigInt(m.range.above);
      const through = BigInt(m.range.through);
      const inRange = onDisk.filter((v) => v > above && v <= through);
      return inRange.length > 0 && inRange.every((v) => withDown.has(v));
    };
    return migrations.filter(covered).map((m) => m.migration.version);
  }

  /** Connects and plans the way down; refuses (naming the files) before anything is reverted. */
  async prepare(toSchema: string): Promise<Prepared> {
    const target = schemaVersion(toSchema);
    const set = await this.migrations();
    const db = await this.open();
    const plan = await db.planDown(set, target);
    assertRevertible(plan);
    return { database: db.displayName, downSteps: plan.steps.map((s) => `${s.version} ${s.name}`) };
  }

  /** Reverts migrations (newest first) until the schema is `toSchema`, under the migration lock. */
  async migrateDown(toSchema: string): Promise<MigrateDownResult> {
    const set = await this.migrations();
    const db = await this.open();
    const reverted: MigrateDownResult["reverted"] = [];
    try {
      const result = await db.down(set, schemaVersion(toSchema), {
        lockTimeoutMs: LOCK_TIMEOUT_MS,
        signal: this.context.signal,
        onEvent: (event) => {
          if (event.type === "lock-wait") this.context.log(`  waiting for the migration lock held by ${event.holder}`);
          if (event.type === "done" && event.direction === "down") {
            this.context.log(`  ✓ reverted ${event.file} in ${Math.round(event.durationMs)}ms`);
            if (!event.skipped) reverted.push({ version: String(event.version), name: "", file: event.file, durationMs: event.durationMs });
          }
        },
      });
      return {
        from: String(result.from),
        to: String(result.to),
        reverted: result.reverted.map((r) => ({
          version: String(r.version),
          name: r.name,
          file: r.file,
          durationMs: Math.round(r.durationMs),
        })),
      };
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      // Each down file runs in its own transaction: the one in flight was rolled back, earlier ones stay reverted.
      const done = reverted.length > 0 ? `reverted ${reverted.map((r) => r.file).join(", ")} before that` : "nothing was reverted";
      throw new CancelledError(
        `${error.message} while migrating down to ${toSchema}: ${done}; traffic was not switched and the ledger not written (run the rollback again to finish)`,
      );
    }
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    await db?.close();
  }

  private async migrations(): Promise<MigrationSet> {
    this.set ??= await loadMigrations(this.target.dir);
    return this.set;
  }

  private async open(): Promise<MigrationDatabase> {
    this.db ??= await openDatabase(this.target.databaseUrl, { lockTimeoutMs: LOCK_TIMEOUT_MS });
    return this.db;
  }
}

function isNumeric(version: string): boolean {
  return /^\d+$/.test(version);
}

/** The ledger's schema versions are migration versions; the engine needs them as numbers. */
function schemaVersion(version: string): bigint {
  if (!isNumeric(version)) {
    throw ConfigError.single({
      input: "migrate-down",
      path: "",
      given: `schema version '${version}' in the ledger`,
      expected: "numeric schema versions (the last applied migration's version) to migrate down",
    });
  }
  return BigInt(version);
}
