import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { abortReason, CancelledError } from "@cutover/core";
import type { AppliedMigration, Driver, MigrationStep, StepOptions, StepOutcome } from "./driver.js";
import { MigrationFailedError } from "./errors.js";
import { splitStatements } from "./sql-splitter.js";
import { quoteTrackingTable } from "./tracking-table.js";

export interface SqliteDriverOptions {
  trackingTable: string;
  /** How long a write waits for another process's write lock (SQLite's busy timeout). */
  lockTimeoutMs: number;
  /** False: a missing file is read as an empty database and not created (plan mode). */
  create: boolean;
}

/**
 * SQLite through node:sqlite. Each migration runs in `BEGIN IMMEDIATE`, which takes the
 * database's write lock (waiting up to the busy timeout) and re-checks the tracking table
 * inside it, so two runs never apply one migration twice; the OS drops the lock if the process dies.
 */
export class SqliteDriver implements Driver {
  readonly kind = "sqlite";
  readonly displayName: string;
  readonly trackingTable: string;
  private readonly db: DatabaseSync;
  private readonly table: string;
  private readonly bareTable: string;

  constructor(
    private readonly path: string,
    options: SqliteDriverOptions,
  ) {
    this.displayName = `sqlite ${path === ":memory:" ? path : basename(path)}`;
    this.table = quoteTrackingTable(options.trackingTable);
    this.trackingTable = options.trackingTable;
    this.bareTable = options.trackingTable.split(".").pop() as string;
    const missing = path !== ":memory:" && !existsSync(path);
    this.db = new DatabaseSync(missing && !options.create ? ":memory:" : path);
    this.db.exec(`PRAGMA busy_timeout = ${Math.round(options.lockTimeoutMs)}`);
  }

  async readApplied(): Promise<AppliedMigration[]> {
    const found = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(this.bareTable);
    if (!found) return [];
    const rows = this.db
      .prepare(
        // `*`: a table from before the dirty column still reads (the column is added on the next apply).
        `SELECT *, CAST(version AS TEXT) AS version_text FROM ${this.table} ORDER BY version`,
      )
      .all() as Record<string, string | number | null>[];
    return rows.map((row) => ({
      version: BigInt(row.version_text as string),
      name: row.name as string,
      checksum: row.checksum as string,
      appliedAt: row.applied_at as string,
      durationMs: Number(row.duration_ms),
      appliedBy: row.applied_by as string,
      compatibility: row.compatibility as AppliedMigration["compatibility"],
      contractOk: (row.contract_ok as string | null) ?? null,
      transactional: Number(row.transactional) === 1,
      dirty: Number(row.dirty ?? 0) === 1,
    }));
  }

  async ensureTrackingTable(): Promise<void> {
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        checksum TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        applied_by TEXT NOT NULL,
        compatibility TEXT NOT NULL,
        contract_ok TEXT,
        transactional INTEGER NOT NULL DEFAULT 1,
        dirty INTEGER NOT NULL DEFAULT 0
      )`,
    );
    const hasDirty = this.db.prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = 'dirty'").get(this.bareTable);
    if (!hasDirty) this.db.exec(`ALTER TABLE ${this.table} ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0`);
  }

  async lock(): Promise<() => Promise<void>> {
    // Each step takes SQLite's own write lock (BEGIN IMMEDIATE); there is nothing to hold between steps.
    return async () => {};
  }

  private isRecorded(version: bigint): boolean {
    return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE version = ?`).get(version) !== undefined;
  }

  private runStep<Done extends string>(
    step: MigrationStep,
    options: StepOptions,
    done: Done,
    alreadyDone: () => boolean,
    record: () => void,
    /** Without a transaction: marks the migration dirty (committed) before its first statement. */
    markDirty: () => void,
  ): StepOutcome<Done> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const started = performance.now();
    try {
      if (step.transactional) {
        this.db.exec("BEGIN IMMEDIATE");
        try {
          if (alreadyDone()) {
            this.db.exec("ROLLBACK");
            return { outcome: "skipped", durationMs: 0 };
          }
          this.db.exec(step.sql);
          record();
          if (options.signal?.aborted) throw abortReason(options.signal);
          this.db.exec("COMMIT");
        } catch (error) {
          if (this.db.isTransaction) this.db.exec("ROLLBACK");
          throw error;
        }
      } else {
        if (alreadyDone()) return { outcome: "skipped", durationMs: 0 };
        // Killed between here and record(), the row stays dirty and the next run refuses (see history.ts).
        markDirty();
        for (const statement of splitStatements(step.sql)) {
          if (options.signal?.aborted) throw abortReason(options.signal);
          this.db.exec(statement.text);
        }
        record();
      }
      return { outcome: done, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      if (error instanceof CancelledError) {
        throw new CancelledError(
          `cancelled during ${step.file}; ${step.transactional ? "its transaction was rolled back" : "statements before the interruption stay applied"}`,
        );
      }
      throw new MigrationFailedError(step.file, (error as Error).message, step.transactional);
    }
  }

  async applyStep(
    step: MigrationStep,
    row: Omit<AppliedMigration, "appliedAt" | "durationMs" | "dirty">,
    options: StepOptions,
  ): Promise<StepOutcome<"applied">> {
    const started = performance.now();
    const insert = (dirty: boolean) => {
      this.db
        .prepare(
          `INSERT INTO ${this.table} (version, name, checksum, applied_at, duration_ms, applied_by, compatibility, contract_ok, transactional, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          row.version,
          row.name,
          row.checksum,
          new Date().toISOString(),
          Math.round(performance.now() - started),
          row.appliedBy,
          row.compatibility,
          row.contractOk,
          row.transactional ? 1 : 0,
          dirty ? 1 : 0,
        );
    };
    return this.runStep(
      step,
      options,
      "applied",
      () => this.isRecorded(step.version),
      () => {
        if (step.transactional) return insert(false);
        this.db
          .prepare(`UPDATE ${this.table} SET dirty = 0, duration_ms = ?, applied_at = ? WHERE version = ?`)
          .run(Math.round(performance.now() - started), new Date().toISOString(), row.version);
      },
      () => insert(true),
    );
  }

  async revertStep(step: MigrationStep, options: StepOptions): Promise<StepOutcome<"reverted">> {
    return this.runStep(
      step,
      options,
      "reverted",
      () => !this.isRecorded(step.version),
      () => {
        this.db.prepare(`DELETE FROM ${this.table} WHERE version = ?`).run(step.version);
      },
      () => {
        this.db.prepare(`UPDATE ${this.table} SET dirty = 1 WHERE version = ?`).run(step.version);
      },
    );
  }

  async backup(dir: string): Promise<string> {
    if (this.path === ":memory:") throw new Error("an in-memory SQLite database cannot be backed up");
    const target = resolve(dir);
    await mkdir(target, { recursive: true });
    const name = basename(this.path).replace(/\.[^.]*$/, "") || "database";
    const file = join(target, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.sqlite`);
    // VACUUM INTO writes a consistent, compacted copy while holding a read transaction.
    this.db.prepare("VACUUM INTO ?").run(file);
    return file;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
