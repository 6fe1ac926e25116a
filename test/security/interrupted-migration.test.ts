import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { loadMigrations, openDatabase } from "@cutover/migrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationDir } from "../../packages/migrations/test/migration-dir.js";
import { runAction, startAction } from "../harness/run-action.js";
import { startPostgres, type TestPostgres } from "../services/migrate-postgres.js";

// Issue 12 item 10: a `-- cutover:no-transaction` migration killed half way used to make every
// later run fail with "relation already exists". Now the row is marked dirty before its first
// statement and cleared after its last; the next run refuses, naming it and how to resolve it.

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const dbName = (url: string) => new URL(url).pathname.slice(1);

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

const CREATE_USERS = "CREATE TABLE users (id bigint PRIMARY KEY, name text);";

describe("a no-transaction migration killed half way", () => {
  it("PostgreSQL: the next run refuses, naming the migration and the SQL that resolves it; resolved, it runs on", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({
      "0001_users.up.sql": CREATE_USERS,
      // The first statement commits on its own; the test kills the action during the second.
      "0002_audit.up.sql": "-- cutover:no-transaction\nCREATE TABLE audit (id bigint);\nSELECT pg_sleep(60);",
    });
    const running = startAction("migrate", { "database-url": url, "migrations-dir": dir });
    await until(
      async () => (await server.query<{ t: string | null }>(dbName(url), "SELECT to_regclass('audit')::text AS t"))[0]?.t === "audit",
      "table audit",
    );
    running.kill("SIGKILL");
    expect((await running.done).signal).toBe("SIGKILL");

    const next = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(next.exitCode).toBe(1);
    const error = next.annotations.find((a) => a.level === "error");
    expect(error?.properties.title).toBe("migrate: invalid input");
    expect(error?.message).toMatch(
      /input 'migrations-dir' at 0002_audit\.up\.sql: got an interrupted migration: it started at \S+ without a transaction \(-- cutover:no-transaction\) and never finished/,
    );
    expect(error?.message).toContain('UPDATE "cutover_migrations" SET dirty = false WHERE version = 2;');
    expect(error?.message).toContain('DELETE FROM "cutover_migrations" WHERE version = 2;');
    expect(error?.message).not.toContain("already exists");

    // The documented way out: the rest of 0002 was only the sleep, so complete it by clearing the flag.
    await server.query(dbName(url), 'UPDATE "cutover_migrations" SET dirty = false WHERE version = 2');
    const resolved = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(resolved.exitCode, resolved.stdout).toBe(0);
    expect(resolved.outputs["applied-versions"]).toBe("[]");
    expect(resolved.outputs["schema-after"]).toBe("2");
  });

  it("SQLite: the same refusal; undoing the statement and deleting the row runs it again", async () => {
    const dir = migrationDir({ "0001_users.up.sql": CREATE_USERS });
    const file = join(dir, "app.db");
    writeFileSync(
      join(dir, "0002_audit.up.sql"),
      "-- cutover:no-transaction\nCREATE TABLE audit (id INTEGER);\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) SELECT count(*) FROM c;",
    );
    const running = startAction("migrate", { "database-url": `sqlite:${file}`, "migrations-dir": dir });
    const hasAudit = () => {
      if (!existsSync(file)) return false;
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined;
      } catch {
        return false;
      } finally {
        db.close();
      }
    };
    await until(hasAudit, "table audit");
    running.kill("SIGKILL");
    expect((await running.done).signal).toBe("SIGKILL");

    const next = await runAction("migrate", { "database-url": `sqlite:${file}`, "migrations-dir": dir });
    expect(next.exitCode).toBe(1);
    expect(next.annotations.find((a) => a.level === "error")?.message).toMatch(
      /input 'migrations-dir' at 0002_audit\.up\.sql: got an interrupted migration: .* \(its row in cutover_migrations is marked dirty\); expected the schema fixed by hand/,
    );

    const db = new DatabaseSync(file);
    db.exec('DROP TABLE audit; DELETE FROM "cutover_migrations" WHERE version = 2;');
    db.close();
    writeFileSync(join(dir, "0002_audit.up.sql"), "-- cutover:no-transaction\nCREATE TABLE audit (id INTEGER);");
    const resolved = await runAction("migrate", { "database-url": `sqlite:${file}`, "migrations-dir": dir });
    expect(resolved.exitCode, resolved.stdout).toBe(0);
    expect(resolved.outputs["schema-after"]).toBe("2");
  });
});

describe("the tracking table's dirty flag", () => {
  it.each(["postgres", "sqlite"])("%s: a table from before the flag reads as clean and gets the column on the next apply", async (kind) => {
    const dir = migrationDir({ "0001_users.up.sql": CREATE_USERS });
    const url = kind === "postgres" ? await server.createDatabase() : `sqlite:${join(dir, "app.db")}`;
    const db = await openDatabase(url);
    try {
      await db.apply(await loadMigrations(dir), { lockTimeoutMs: 5_000, appliedBy: "test" });
      // As an older cutover left it: no dirty column.
      if (kind === "postgres") await server.query(dbName(url), "ALTER TABLE cutover_migrations DROP COLUMN dirty");
      else {
        const raw = new DatabaseSync(join(dir, "app.db"));
        raw.exec("ALTER TABLE cutover_migrations DROP COLUMN dirty");
        raw.close();
      }
      expect((await db.readApplied()).map((row) => [row.version, row.dirty])).toEqual([[1n, false]]);
      writeFileSync(join(dir, "0002_audit.up.sql"), "-- cutover:no-transaction\nCREATE TABLE audit (id bigint);");
      const result = await db.apply(await loadMigrations(dir), { lockTimeoutMs: 5_000, appliedBy: "test" });
      expect(result.applied.map((step) => step.version)).toEqual([2n]);
      expect((await db.readApplied()).map((row) => [row.version, row.dirty])).toEqual([
        [1n, false],
        [2n, false],
      ]);
    } finally {
      await db.close();
    }
  });

  it("a no-transaction migration that fails half way stays dirty, and the next run says so instead of repeating it", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({
      "0001_users.up.sql": CREATE_USERS,
      "0002_half.up.sql": "-- cutover:no-transaction\nCREATE TABLE half (id bigint);\nSELECT 1 / 0;",
    });
    const db = await openDatabase(url);
    try {
      const set = await loadMigrations(dir);
      await expect(db.apply(set, { lockTimeoutMs: 5_000, appliedBy: "test" })).rejects.toThrow(
        /0002_half\.up\.sql \(line 3\) failed: division by zero .*statements before the failing one stay applied and it is marked dirty/,
      );
      await expect(db.apply(set, { lockTimeoutMs: 5_000, appliedBy: "test" })).rejects.toThrow(
        /input 'migrations-dir' at 0002_half\.up\.sql: got an interrupted migration/,
      );
      await expect(db.planApply(set)).rejects.toThrow(/interrupted migration/);
    } finally {
      await db.close();
    }
  });
});
