import { Redactor, redactUrl } from "@cutover/core";
import { type ApplyOptions, type ApplyResult, applyMigrations } from "./apply-migrations.js";
import { parseDatabaseUrl } from "./database-url.js";
import type { AppliedMigration, Driver } from "./driver.js";
import type { MigrationSet } from "./migration-files.js";
import { type ApplyPlan, type DownPlan, planApply, planDown } from "./plan.js";
import { PostgresDriver } from "./postgres-driver.js";
import { type RevertOptions, type RevertResult, revertMigrations } from "./revert-migrations.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { DEFAULT_TRACKING_TABLE, quoteTrackingTable } from "./tracking-table.js";

export interface OpenOptions {
  /** Tracking table name, `cutover_migrations` by default (schema-qualified allowed on PostgreSQL). */
  trackingTable?: string;
  /** Connection timeout for PostgreSQL (default 15s). */
  connectTimeoutMs?: number;
  /** PostgreSQL statement_timeout for the migration session; none by default. */
  statementTimeoutMs?: number;
  /** SQLite: how long a write waits for another writer (default 60s). PostgreSQL uses the lock timeout of each call. */
  lockTimeoutMs?: number;
  /** False opens a missing SQLite file as empty without creating it (plan mode). Default true. */
  create?: boolean;
  /** Extra secrets to scrub from errors; the URL and its password are always scrubbed. */
  redactor?: Redactor;
}

/**
 * A database with migrations: the stable API that the migrate and rollback actions use.
 * Every error it throws has the database URL and its password scrubbed.
 */
export class MigrationDatabase {
  constructor(
    readonly driver: Driver,
    private readonly scrub: (text: string) => string,
  ) {}

  get kind(): "postgres" | "sqlite" {
    return this.driver.kind;
  }

  /** Where it is, without credentials: `postgres host:port/db` or `sqlite file.db`. */
  get displayName(): string {
    return this.driver.displayName;
  }

  /** Applied migrations oldest first, with the classification recorded when each was applied. */
  readApplied(): Promise<AppliedMigration[]> {
    return this.guard(() => this.driver.readApplied());
  }

  /** What apply would do (pending, linted); changes nothing. Throws ConfigError on drift, gaps, missing files. */
  planApply(set: MigrationSet, toVersion?: bigint): Promise<ApplyPlan> {
    return this.guard(async () => planApply(set, await this.driver.readApplied(), toVersion, this.driver.kind, this.driver.trackingTable));
  }

  /** Applies pending migrations under the lock; see applyMigrations. */
  apply(set: MigrationSet, options: ApplyOptions): Promise<ApplyResult> {
    return this.guard(() => applyMigrations(this.driver, set, options));
  }

  /** What down to `toVersion` would revert, newest first, and which down files are missing; changes nothing. */
  planDown(set: MigrationSet, toVersion: bigint): Promise<DownPlan> {
    return this.guard(async () => planDown(set, await this.driver.readApplied(), toVersion, this.driver.trackingTable));
  }

  /** Reverts to `toVersion` under the lock; refuses before touching anything if a down file is missing. */
  down(set: MigrationSet, toVersion: bigint, options: RevertOptions): Promise<RevertResult> {
    return this.guard(() => revertMigrations(this.driver, set, toVersion, options));
  }

  /** Writes a backup (pg_dump custom format, or a SQLite copy) into `dir`; resolves to its path. */
  backup(dir: string, signal?: AbortSignal): Promise<string> {
    return this.guard(() => this.driver.backup(dir, { signal }));
  }

  /** Takes the migration lock (PostgreSQL advisory lock; nothing to hold on SQLite); resolves to its release. */
  lock(options: { timeoutMs: number; signal?: AbortSignal; onWait?: (holder: string) => void }): Promise<() => Promise<void>> {
    return this.guard(() => this.driver.lock(options));
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private async guard<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (error instanceof Error) {
        error.message = this.scrub(error.message);
        if (error.stack) error.stack = this.scrub(error.stack);
      }
      throw error;
    }
  }
}

/** A Redactor that knows a database URL: the whole URL, its password (raw and decoded) and its redacted form's source. */
export function databaseUrlRedactor(url: string, base = new Redactor()): Redactor {
  base.add(url);
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      base.add(parsed.password);
      base.add(decodeURIComponent(parsed.password));
    }
  } catch {
    // Not a URL: the whole value is already covered.
  }
  return base;
}

/** Opens a database from its URL (`postgres://…`, `postgresql://…`, `sqlite:<path>`). Bad URLs fail before connecting. */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<MigrationDatabase> {
  const target = parseDatabaseUrl(url);
  const trackingTable = options.trackingTable ?? DEFAULT_TRACKING_TABLE;
  quoteTrackingTable(trackingTable);
  const redactor = databaseUrlRedactor(url, options.redactor);
  const scrub = (text: string) => redactor.redact(text).replace(/postgres(?:ql)?:\/\/[^\s'"]+/g, (found) => redactUrl(found));
  if (target.kind === "sqlite") {
    const driver = new SqliteDriver(target.path, {
      trackingTable,
      lockTimeoutMs: options.lockTimeoutMs ?? 60_000,
      create: options.create ?? true,
    });
    return new MigrationDatabase(driver, scrub);
  }
  try {
    const driver = await PostgresDriver.connect(target.url, {
      trackingTable,
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
      statementTimeoutMs: options.statementTimeoutMs,
      scrub,
    });
    return new MigrationDatabase(driver, scrub);
  } catch (error) {
    if (error instanceof Error) error.message = scrub(error.message);
    throw error;
  }
}
