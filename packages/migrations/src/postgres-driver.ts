import { createHash } from "node:crypto";
import { abortReason, CancelledError, sleep } from "@cutover/core";
import type pg from "pg";
import type { AppliedMigration, Driver, MigrationStep, StepOptions, StepOutcome } from "./driver.js";
import { MigrationFailedError } from "./errors.js";
import { runPgDump } from "./pg-dump.js";
import { splitStatements } from "./sql-splitter.js";
import { quoteTrackingTable } from "./tracking-table.js";

export interface PostgresDriverOptions {
  trackingTable: string;
  connectTimeoutMs: number;
  statementTimeoutMs?: number;
  /** Removes credentials from any text that leaves the driver. */
  scrub: (text: string) => string;
}

const APPLICATION_NAME = "cutover-migrate";
const UNDEFINED_TABLE = "42P01";
const INVALID_SCHEMA_NAME = "3F000";
const INVALID_TEXT_REPRESENTATION = "22P02";

/**
 * A plain statement that fails when `condition` holds on the version's row count `n`: the text it
 * casts to an integer is built from that count, so it is evaluated only then (a PL/pgSQL block
 * would be compiled anew for every migration, ~0.5 ms each). The error carries `marker`.
 */
function failWhen(table: string, version: bigint, condition: "n > 0" | "n = 0", marker: string): string {
  return `SELECT ('${marker} ' || n)::integer FROM (SELECT count(*) AS n FROM ${table} WHERE version = ${version}) AS row_count WHERE ${condition}`;
}

/** What a step does to the tracking table, apply or revert. */
interface StepWork {
  /** True when the step is done once its version is recorded (apply), false once it is gone (revert). */
  doneWhenRecorded: boolean;
  /** In the step's transaction, before the file: fails with this marker when another run did the step first. */
  doneMarker: string;
  /** In the step's transaction, after the file: records it; `durationMs` is an SQL expression of the file's time. */
  record: (durationMs: string) => string;
  /** Without a transaction: committed before the first statement, so a crash leaves the row dirty. */
  markDirty: () => Promise<void>;
  /** Without a transaction: records the step after its last statement. */
  finish: (durationMs: number) => Promise<void>;
}

/** The advisory lock key: stable per tracking table, so two projects in one database do not block each other. */
export function advisoryLockKey(trackingTable: string): bigint {
  return createHash("sha256").update(`cutover:migrations:${trackingTable}`).digest().readBigInt64BE(0);
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(position - 1, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** PostgreSQL through `pg`: one connection runs migrations, a second one holds the advisory lock. */
export class PostgresDriver implements Driver {
  readonly kind = "postgres";
  private lockClient: pg.Client | undefined;
  private workPid = 0;
  private readonly table: string;
  private readonly lockKey: bigint;
  readonly trackingTable: string;

  private constructor(
    private readonly work: pg.Client,
    private readonly url: string,
    private readonly options: PostgresDriverOptions,
    readonly displayName: string,
  ) {
    this.table = quoteTrackingTable(options.trackingTable);
    this.trackingTable = options.trackingTable;
    this.lockKey = advisoryLockKey(options.trackingTable);
  }

  static async connect(url: string, options: PostgresDriverOptions): Promise<PostgresDriver> {
    const parsed = new URL(url);
    const displayName = `postgres ${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
    const work = await PostgresDriver.client(url, options);
    const driver = new PostgresDriver(work, url, options, displayName);
    // The backend's pid came with the connection (BackendKeyData): no query needed to learn it.
    driver.workPid = (work as unknown as { processID: number }).processID;
    if (options.statementTimeoutMs) await work.query(`SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
    return driver;
  }

  private static async client(url: string, options: PostgresDriverOptions): Promise<pg.Client> {
    // Loaded on first connection: a SQLite run, a plan without a database and a bad input never pay for it.
    const { default: driver } = await import("pg");
    const client = new driver.Client({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: APPLICATION_NAME,
    });
    // A dropped connection surfaces as the failure of the query in flight; without a listener it would crash the process.
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw new Error(`could not connect to PostgreSQL: ${options.scrub((error as Error).message)}`);
    }
    return client;
  }

  async readApplied(): Promise<AppliedMigration[]> {
    // One round trip: "no such table" or "no such schema" is nothing applied yet. `t.*`: a table
    // from before the dirty column still reads (the column is added on the next apply).
    let rows: pg.QueryResult;
    try {
      rows = await this.work.query(`SELECT t.*, t.version::text AS version_text FROM ${this.table} t ORDER BY t.version`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === UNDEFINED_TABLE || code === INVALID_SCHEMA_NAME) return [];
      throw error;
    }
    return rows.rows.map((row) => ({
      version: BigInt(row.version_text),
      name: row.name,
      checksum: row.checksum,
      appliedAt: new Date(row.applied_at).toISOString(),
      durationMs: Number(row.duration_ms),
      appliedBy: row.applied_by,
      compatibility: row.compatibility,
      contractOk: row.contract_ok,
      transactional: row.transactional,
      dirty: row.dirty === true,
    }));
  }

  async ensureTrackingTable(): Promise<void> {
    await this.work.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        version bigint PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL,
        applied_by text NOT NULL,
        compatibility text NOT NULL,
        contract_ok text,
        transactional boolean NOT NULL DEFAULT true,
        dirty boolean NOT NULL DEFAULT false
      )`,
    );
    await this.work.query(`ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS dirty boolean NOT NULL DEFAULT false`);
  }

  async lock(options: { timeoutMs: number; signal?: AbortSignal; onWait?: (holder: string) => void }): Promise<() => Promise<void>> {
    const client = await PostgresDriver.client(this.url, this.options);
    const deadline = performance.now() + options.timeoutMs;
    let announced = false;
    try {
      for (let attempt = 0; ; attempt++) {
        const got = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [this.lockKey.toString()]);
        if (got.rows[0]?.ok) break;
        if (!announced) {
          announced = true;
          options.onWait?.(await this.lockHolder(client));
        }
        const left = deadline - performance.now();
        if (left <= 0) {
          throw new Error(
            `timed out after ${Math.round(options.timeoutMs)}ms waiting for the migration lock held by ${await this.lockHolder(client)}`,
          );
        }
        await sleep(Math.min(left, Math.min(50 * 2 ** attempt, 500)), options.signal);
      }
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.lockClient = client;
    return async () => {
      this.lockClient = undefined;
      try {
        await client.query("SELECT pg_advisory_unlock($1::bigint)", [this.lockKey.toString()]);
      } finally {
        // Ending the session releases the lock even if the unlock above failed.
        await client.end().catch(() => {});
      }
    };
  }

  /** Who holds the migration lock, for the waiting message. */
  private async lockHolder(client: pg.Client): Promise<string> {
    const key = BigInt.asUintN(64, this.lockKey);
    const rows = await client
      .query<{ pid: number; application_name: string; since: string }>(
        `SELECT a.pid, a.application_name, a.backend_start::text AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1`,
        [(key >> 32n).toString(), (key & 0xffffffffn).toString()],
      )
      .catch(() => ({ rows: [] }));
    const row = rows.rows[0];
    return row ? `backend pid ${row.pid} (${row.application_name || "no application name"}, connected ${row.since})` : "another session";
  }

  /** Makes an abort interrupt the query in flight: pg_cancel_backend from another connection. */
  private cancelOnAbort(signal: AbortSignal | undefined): () => void {
    if (!signal) return () => {};
    const onAbort = () => {
      const cancel = async () => {
        const client = this.lockClient ?? (await PostgresDriver.client(this.url, this.options));
        try {
          await client.query("SELECT pg_cancel_backend($1)", [this.workPid]);
        } finally {
          if (client !== this.lockClient) await client.end().catch(() => {});
        }
      };
      cancel().catch(() => {});
    };
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }

  /**
   * Runs one migration file. In a transaction it is one round trip (dbmate needs four): the check
   * that no other run did it first, the file, its record in the tracking table and COMMIT go as
   * one simple query, so the file and its record commit together or not at all. Without a
   * transaction, statement by statement.
   */
  private async runStep<Done extends string>(
    step: MigrationStep,
    options: StepOptions,
    done: Done,
    work: StepWork,
  ): Promise<StepOutcome<Done>> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const started = performance.now();
    const release = this.cancelOnAbort(options.signal);
    let statementLine = 1;
    const doneCheck = failWhen(this.table, step.version, work.doneWhenRecorded ? "n > 0" : "n = 0", work.doneMarker);
    const prefix = `BEGIN;\n${doneCheck};\n`;
    try {
      if (step.transactional) {
        try {
          await this.work.query(
            `${prefix}${step.sql}\n;\n${work.record(`(EXTRACT(EPOCH FROM clock_timestamp() - now()) * 1000)::integer`)};\nCOMMIT`,
          );
        } catch (error) {
          await this.work.query("ROLLBACK").catch(() => {});
          const { code, message } = error as { code?: string; message?: string };
          if (code === INVALID_TEXT_REPRESENTATION && message?.includes(work.doneMarker)) return { outcome: "skipped", durationMs: 0 };
          throw error;
        }
      } else {
        if (await this.isDone(step.version, work.doneWhenRecorded)) return { outcome: "skipped", durationMs: 0 };
        // Killed between here and record(), the row stays dirty and the next run refuses (see history.ts).
        await work.markDirty();
        for (const statement of splitStatements(step.sql)) {
          if (options.signal?.aborted) throw abortReason(options.signal);
          statementLine = statement.line;
          await this.work.query(statement.text);
        }
        await work.finish(Math.round(performance.now() - started));
      }
      return { outcome: done, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      if (options.signal?.aborted) {
        throw new CancelledError(
          `cancelled during ${step.file}; ${step.transactional ? "its transaction was rolled back" : "it ran without a transaction, so statements before the interrupted one stay applied"}`,
        );
      }
      if (error instanceof CancelledError) throw error;
      const pgError = error as { message: string; code?: string; position?: string };
      // In a transaction the position counts from the start of the whole query: the file starts after the prefix.
      const position = Number(pgError.position) - (step.transactional ? prefix.length : 0);
      const inFile = Number.isFinite(position) && position > 0 && position <= step.sql.length;
      const line = step.transactional ? (inFile ? lineAt(step.sql, position) : undefined) : statementLine;
      const detail = `${this.options.scrub(pgError.message)}${pgError.code ? ` (SQLSTATE ${pgError.code})` : ""}`;
      throw new MigrationFailedError(step.file, detail, step.transactional, line);
    } finally {
      release();
    }
  }

  /** Whether the tracking table has (or, for a revert, no longer has) the version's row. */
  private async isDone(version: bigint, doneWhenRecorded: boolean): Promise<boolean> {
    const recorded = ((await this.work.query(`SELECT 1 FROM ${this.table} WHERE version = $1`, [version.toString()])).rowCount ?? 0) > 0;
    return recorded === doneWhenRecorded;
  }

  applyStep(
    step: MigrationStep,
    row: Omit<AppliedMigration, "appliedAt" | "durationMs" | "dirty">,
    options: StepOptions,
  ): Promise<StepOutcome<"applied">> {
    const literal = (value: string | null) => (value === null ? "NULL" : this.work.escapeLiteral(value));
    const insert = (durationMs: string, dirty: boolean) =>
      `INSERT INTO ${this.table} (version, name, checksum, duration_ms, applied_by, compatibility, contract_ok, transactional, dirty) VALUES (${row.version}, ${literal(row.name)}, ${literal(row.checksum)}, ${durationMs}, ${literal(row.appliedBy)}, ${literal(row.compatibility)}, ${literal(row.contractOk)}, ${row.transactional}, ${dirty})`;
    return this.runStep(step, options, "applied", {
      doneWhenRecorded: true,
      doneMarker: "cutover: another run applied this version first",
      record: (durationMs) => insert(durationMs, false),
      markDirty: async () => {
        await this.work.query(insert("0", true));
      },
      finish: async (durationMs) => {
        await this.work.query(`UPDATE ${this.table} SET dirty = false, duration_ms = $2, applied_at = now() WHERE version = $1`, [
          row.version.toString(),
          durationMs,
        ]);
      },
    });
  }

  revertStep(step: MigrationStep, options: StepOptions): Promise<StepOutcome<"reverted">> {
    const remove = `DELETE FROM ${this.table} WHERE version = ${step.version}`;
    return this.runStep(step, options, "reverted", {
      doneWhenRecorded: false,
      doneMarker: "cutover: another run reverted this version first",
      record: () => remove,
      markDirty: async () => {
        await this.work.query(`UPDATE ${this.table} SET dirty = true WHERE version = $1`, [step.version.toString()]);
      },
      finish: async () => {
        await this.work.query(remove);
      },
    });
  }

  async backup(dir: string, options: StepOptions): Promise<string> {
    const serverVersion = Number((await this.work.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]?.v);
    return runPgDump(this.url, dir, { serverVersionNum: serverVersion, scrub: this.options.scrub, signal: options.signal });
  }

  async close(): Promise<void> {
    await this.work.end().catch(() => {});
  }
}
