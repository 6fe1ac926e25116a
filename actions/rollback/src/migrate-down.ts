import { CancelledError, ConfigError } from "@cutover/core";
import { assertRevertible, loadMigrations, type MigrationDatabase, type MigrationSet, openDatabase } from "@cutover/migrations";
import type { RollbackInputs } from "./inputs.js";
import type { MigrateDownResult, Prepared } from "./rollback-executor.js";

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
    private readonly inputs: RollbackInputs,
    private readonly context: { signal: AbortSignal; log: (line: string) => void },
  ) {}

  /**
   * Ledger versions are strings ("0004"); files are numbered by value, so "0004" is 4. A ledger
   * entry for unlisted migrations ("0002..0004") counts when every file in that range has a down file.
   */
  async availableDownFiles(versions: readonly string[]): Promise<string[]> {
    const set = await this.migrations();
    const withDown = new Set(set.migrations.filter((m) => m.downFile).map((m) => m.version));
    const onDisk = set.migrations.map((m) => m.version);
    return versions.filter((version) => {
      const single = /^\d+$/.exec(version);
      if (single) return withDown.has(BigInt(version));
      const range = /^(\d+)\.\.(\d+)$/.exec(version);
      if (!range) return false;
      const low = BigInt(range[1] as string);
      const high = BigInt(range[2] as string);
      const inRange = onDisk.filter((v) => v > low && v <= high);
      return inRange.length > 0 && inRange.every((v) => withDown.has(v));
    });
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
    const dir = this.inputs.dir;
    if (!dir) throw ConfigError.single({ input: "dir", path: "", expected: "the migrations directory when migrate-down is true" });
    this.set ??= await loadMigrations(dir);
    return this.set;
  }

  private async open(): Promise<MigrationDatabase> {
    const url = this.inputs["database-url"];
    if (!url)
      throw ConfigError.single({ input: "database-url", path: "", expected: "the database to migrate down when migrate-down is true" });
    this.db ??= await openDatabase(url, { lockTimeoutMs: LOCK_TIMEOUT_MS });
    return this.db;
  }
}

/** The ledger's schema versions are migration versions; the engine needs them as numbers. */
function schemaVersion(version: string): bigint {
  if (!/^\d+$/.test(version)) {
    throw ConfigError.single({
      input: "migrate-down",
      path: "",
      given: `schema version '${version}' in the ledger`,
      expected: "numeric schema versions (the last applied migration's version) to migrate down",
    });
  }
  return BigInt(version);
}
