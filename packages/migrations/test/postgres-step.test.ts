import type { QueryResultRow } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../../../test/services/migrate-postgres.js";
import { MigrationFailedError, openDatabase } from "../src/index.js";

// A transactional step is one simple query (check, file, tracking row, COMMIT): these pin what that must keep.
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const record = (version: bigint, extra: Partial<{ appliedBy: string; contractOk: string | null; name: string }> = {}) => ({
  version,
  name: extra.name ?? `m${version}`,
  checksum: "sha256:abc",
  appliedBy: extra.appliedBy ?? "test",
  compatibility: "expand" as const,
  contractOk: extra.contractOk ?? null,
  transactional: true,
});
const step = (version: bigint, sql: string, transactional = true) => ({
  version,
  name: `m${version}`,
  file: `${version}_m.up.sql`,
  sql,
  transactional,
});

async function opened() {
  const url = await server.createDatabase();
  const db = await openDatabase(url);
  await db.driver.ensureTrackingTable();
  const query = <Row extends QueryResultRow>(sql: string) => server.query<Row>(new URL(url).pathname.slice(1), sql);
  return { db, query };
}

describe("a PostgreSQL migration step", () => {
  it("records quotes, backslashes and dollar signs in the row verbatim, and the file's time as its duration", async () => {
    const { db, query } = await opened();
    try {
      const appliedBy = String.raw`o'brien \ via $cutover$ run 1`;
      const contractOk = String.raw`drops 'legacy'; \n is not a newline`;
      const outcome = await db.driver.applyStep(
        step(1n, "CREATE TABLE t (id int);\nSELECT pg_sleep(0.05);"),
        record(1n, { appliedBy, contractOk, name: "it's" }),
        {},
      );
      expect(outcome.outcome).toBe("applied");
      const rows = await query<{ name: string; applied_by: string; contract_ok: string; duration_ms: number; dirty: boolean }>(
        "SELECT name, applied_by, contract_ok, duration_ms, dirty FROM cutover_migrations",
      );
      expect(rows).toEqual([
        { name: "it's", applied_by: appliedBy, contract_ok: contractOk, duration_ms: expect.any(Number), dirty: false },
      ]);
      expect(rows[0]?.duration_ms).toBeGreaterThanOrEqual(50);
    } finally {
      await db.close();
    }
  });

  it("skips without running the file when another run recorded the version first, and reverts likewise", async () => {
    const { db, query } = await opened();
    try {
      await db.driver.applyStep(step(1n, "CREATE TABLE t (id int);"), record(1n), {});
      // The file would fail if it ran: skipped means it did not.
      const again = await db.driver.applyStep(step(1n, "CREATE TABLE t (id int);"), record(1n), {});
      expect(again.outcome).toBe("skipped");
      expect(await query("SELECT count(*)::int AS n FROM cutover_migrations")).toEqual([{ n: 1 }]);
      await db.driver.revertStep(step(1n, "DROP TABLE t;"), {});
      const revertedAgain = await db.driver.revertStep(step(1n, "DROP TABLE t;"), {});
      expect(revertedAgain.outcome).toBe("skipped");
      expect(await query("SELECT count(*)::int AS n FROM cutover_migrations")).toEqual([{ n: 0 }]);
      // The connection is usable after the skip: no transaction was left open.
      expect((await db.driver.applyStep(step(2n, "CREATE TABLE u (id int PRIMARY KEY);"), record(2n), {})).outcome).toBe("applied");
      // A duplicate key in the file itself is the file failing, not another run's record.
      const duplicate = await db.driver
        .applyStep(step(3n, "INSERT INTO u VALUES (1);\nINSERT INTO u VALUES (1);"), record(3n), {})
        .catch((e) => e);
      expect(duplicate).toBeInstanceOf(MigrationFailedError);
      expect(duplicate.message).toMatch(/3_m.up.sql failed: duplicate key value violates unique constraint "u_pkey"/);
    } finally {
      await db.close();
    }
  });

  it("names the file's line of an error, and no line when the error is not in the file", async () => {
    const { db, query } = await opened();
    try {
      const failing = await db.driver
        .applyStep(step(1n, "CREATE TABLE t (id int);\n\nSELECT nope FROM t;"), record(1n), {})
        .catch((e) => e);
      expect(failing).toBeInstanceOf(MigrationFailedError);
      expect(failing.message).toMatch(/\(line 3\)/);
      // A file that ends inside a comment must not swallow the tracking row: the row is there, or nothing is.
      expect((await db.driver.applyStep(step(2n, "CREATE TABLE u (id int); -- the end"), record(2n), {})).outcome).toBe("applied");
      expect(await query("SELECT version::int AS v FROM cutover_migrations")).toEqual([{ v: 2 }]);
      await query("ALTER TABLE cutover_migrations ADD CONSTRAINT short_names CHECK (length(name) < 3)");
      const notInFile = await db.driver.applyStep(step(3n, "CREATE TABLE w (id int);"), record(3n, { name: "long" }), {}).catch((e) => e);
      expect(notInFile).toBeInstanceOf(MigrationFailedError);
      expect(notInFile.message).toMatch(/short_names/);
      expect(notInFile.message).not.toMatch(/\(line/);
      expect(await query("SELECT to_regclass('w')::text AS t")).toEqual([{ t: null }]);
    } finally {
      await db.close();
    }
  });

  it("records a file only after its last statement, even when the file commits part of itself", async () => {
    const { db, query } = await opened();
    try {
      // A COMMIT inside the file ends cutover's transaction early: the record must not go with it.
      const sql = "CREATE TABLE early (id int);\nCOMMIT;\nINSERT INTO no_such_table VALUES (1);";
      await expect(db.driver.applyStep(step(1n, sql), record(1n), {})).rejects.toThrow(MigrationFailedError);
      expect(await query("SELECT count(*)::int AS n FROM cutover_migrations")).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
