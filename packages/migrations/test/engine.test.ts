import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ConfigError, GateFailedError } from "@cutover/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../../../test/services/migrate-postgres.js";
import { loadMigrations, MigrationFailedError, openDatabase } from "../src/index.js";
import { BASIC, migrationDir, writeMigrations } from "./migration-dir.js";

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

interface Target {
  url: string;
  /** Table → its column names, user tables only, sorted. */
  schema(): Promise<Record<string, string[]>>;
}

const targets: Record<string, () => Promise<Target>> = {
  postgres: async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    return {
      url,
      schema: async () => {
        const rows = await server.query<{ table_name: string; column_name: string }>(
          database,
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
        );
        const out: Record<string, string[]> = {};
        for (const row of rows) out[row.table_name] = [...(out[row.table_name] ?? []), row.column_name];
        return out;
      },
    };
  },
  sqlite: async () => {
    const file = join(migrationDir({}), "app.db");
    return {
      url: `sqlite:${file}`,
      schema: async () => {
        const db = new DatabaseSync(file);
        try {
          const out: Record<string, string[]> = {};
          const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
          for (const { name } of tables) {
            out[name] = (db.prepare(`SELECT name FROM pragma_table_info('${name}') ORDER BY name`).all() as { name: string }[]).map(
              (c) => c.name,
            );
          }
          return out;
        } finally {
          db.close();
        }
      },
    };
  },
};

const options = { lockTimeoutMs: 5_000, appliedBy: "test" };

describe.each(Object.keys(targets))("%s", (kind) => {
  const fresh = () => (targets[kind] as () => Promise<Target>)();

  it("applies everything, records it, and a re-run is a no-op", async () => {
    const target = await fresh();
    const set = await loadMigrations(migrationDir(BASIC));
    const db = await openDatabase(target.url);
    try {
      const result = await db.apply(set, options);
      expect(result.from).toBe(0n);
      expect(result.to).toBe(3n);
      expect(result.applied.map((a) => [a.file, a.compatibility])).toEqual([
        ["0001_create_users.up.sql", "expand"],
        ["0002_add_email.up.sql", "expand"],
        ["0003_create_orders.up.sql", "expand"],
      ]);
      const schema = await target.schema();
      expect(schema.users).toEqual(["email", "id", "name"]);
      expect(schema.orders).toEqual(["id", "user_id"]);
      const applied = await db.readApplied();
      expect(applied.map((a) => [a.version, a.name, a.appliedBy, a.compatibility])).toEqual([
        [1n, "create_users", "test", "expand"],
        [2n, "add_email", "test", "expand"],
        [3n, "create_orders", "test", "expand"],
      ]);
      expect(applied[0]?.checksum).toBe(set.migrations[0]?.checksum);
      expect(Number.isNaN(Date.parse(applied[0]?.appliedAt ?? ""))).toBe(false);

      const again = await db.apply(set, options);
      expect(again.applied).toEqual([]);
      expect(again.compatibility).toBe("none");
      expect(await db.readApplied()).toEqual(applied);
    } finally {
      await db.close();
    }
  });

  it("plan changes nothing, not even the tracking table", async () => {
    const target = await fresh();
    const set = await loadMigrations(migrationDir(BASIC));
    const db = await openDatabase(target.url);
    try {
      const before = await target.schema();
      const plan = await db.planApply(set);
      expect(plan.migrations.map((m) => m.migration.upFile)).toHaveLength(3);
      expect(plan.compatibility).toBe("expand");
      expect(await target.schema()).toEqual(before);
      expect(await db.readApplied()).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("stops at a failing migration with the schema at the last good version and nothing of it applied", async () => {
    const target = await fresh();
    const dir = migrationDir({
      ...BASIC,
      "0003_create_orders.up.sql":
        "CREATE TABLE orders (id bigint PRIMARY KEY);\nALTER TABLE users ADD COLUMN half text;\nINSERT INTO no_such_table VALUES (1);",
      "0004_never.up.sql": "CREATE TABLE never (id int);",
    });
    const db = await openDatabase(target.url);
    try {
      const error = await db.apply(await loadMigrations(dir), options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationFailedError);
      expect((error as Error).message).toMatch(/0003_create_orders.up.sql.*failed: .*no_such_table.*rolled back, nothing of it is applied/);
      if (kind === "postgres") expect((error as Error).message).toMatch(/\(line 3\)/);
      const schema = await target.schema();
      expect(schema.orders).toBeUndefined();
      expect(schema.never).toBeUndefined();
      expect(schema.users).toEqual(["email", "id", "name"]);
      expect((await db.readApplied()).map((a) => a.version)).toEqual([1n, 2n]);
      if (kind === "postgres") expect(await advisoryLocks()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("detects drift, gaps and missing files, naming each file, before changing anything", async () => {
    const target = await fresh();
    const dir = migrationDir(BASIC);
    const db = await openDatabase(target.url);
    try {
      await db.apply(await loadMigrations(dir), options);
      writeMigrations(dir, {
        "0002_add_email.up.sql": "ALTER TABLE users ADD COLUMN email text; -- edited",
        "0000_late.up.sql": "SELECT 1;",
      });
      rmSync(join(dir, "0003_create_orders.up.sql"));
      rmSync(join(dir, "0003_create_orders.down.sql"));
      writeMigrations(dir, { "0004_next.up.sql": "CREATE TABLE next (id int);" });
      const error = (await db.apply(await loadMigrations(dir), options).catch((e: unknown) => e)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues.map((i) => i.path).sort()).toEqual(["0000_late.up.sql", "0002_add_email.up.sql", "3_create_orders.up.sql"]);
      expect(error.message).toMatch(/0002_add_email.up.sql: got checksum .* changed since it was applied/);
      expect(error.message).toMatch(/3_create_orders.up.sql: got version 3 applied at .* but its file is missing/);
      expect((await target.schema()).next).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it("refuses a contract migration before anything is applied, then accepts it with allow-contract or the marker", async () => {
    const target = await fresh();
    const dir = migrationDir(BASIC);
    const db = await openDatabase(target.url);
    try {
      await db.apply(await loadMigrations(dir), { ...options, toVersion: 2n });
      writeMigrations(dir, { "0004_drop_name.up.sql": "ALTER TABLE users DROP COLUMN name;" });
      const refused = await db.apply(await loadMigrations(dir), options).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GateFailedError);
      expect((refused as Error).message).toMatch(/would break the live color; nothing was applied/);
      expect((refused as Error).message).toMatch(
        /0004_drop_name.up.sql line 1: ALTER TABLE users DROP COLUMN name: measured contract \(drops a column/,
      );
      expect((await target.schema()).orders).toBeUndefined();

      const allowed = await db.apply(await loadMigrations(dir), { ...options, allowContract: true, toVersion: 3n });
      expect(allowed.applied.map((a) => a.version)).toEqual([3n]);

      writeMigrations(dir, {
        "0004_drop_name.up.sql": "-- cutover:contract-ok name moved to profiles in v12\nALTER TABLE users DROP COLUMN name;",
      });
      const marked = await db.apply(await loadMigrations(dir), options);
      expect(marked.compatibility).toBe("contract");
      expect(marked.applied[0]?.accepted[0]?.acceptedBecause).toBe("name moved to profiles in v12");
      expect((await target.schema()).users).toEqual(["email", "id"]);
      const row = (await db.readApplied()).at(-1);
      expect([row?.compatibility, row?.contractOk]).toEqual(["contract", "name moved to profiles in v12"]);
    } finally {
      await db.close();
    }
  });

  it("goes down to a version newest first, and refuses up front when a down file is missing", async () => {
    const target = await fresh();
    const dir = migrationDir(BASIC);
    const set = await loadMigrations(dir);
    const db = await openDatabase(target.url);
    try {
      await db.apply(set, options);
      const plan = await db.planDown(set, 1n);
      expect(plan.steps.map((s) => s.downFile)).toEqual(["0003_create_orders.down.sql", "0002_add_email.down.sql"]);
      expect(plan.missing).toEqual([]);
      const result = await db.down(set, 1n, options);
      expect(result.reverted.map((r) => r.version)).toEqual([3n, 2n]);
      expect([result.from, result.to]).toEqual([3n, 1n]);
      expect(await target.schema()).toMatchObject({ users: ["id", "name"] });
      expect((await target.schema()).orders).toBeUndefined();
      expect((await db.readApplied()).map((a) => a.version)).toEqual([1n]);

      await db.apply(set, options);
      rmSync(join(dir, "0002_add_email.down.sql"));
      const without = await loadMigrations(dir);
      expect((await db.planDown(without, 0n)).missing.map((s) => s.version)).toEqual([2n]);
      const error = await db.down(without, 0n, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/2_add_email.down.sql: got no down file for applied version 2/);
      expect((await db.readApplied()).map((a) => a.version)).toEqual([1n, 2n, 3n]);
    } finally {
      await db.close();
    }
  });
});

async function advisoryLocks(): Promise<number> {
  const rows = await server.query<{ n: string }>("postgres", "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'");
  return Number(rows[0]?.n);
}

describe("postgres only", () => {
  it("lets two runs started together apply each migration exactly once; the second waits for the lock", async () => {
    const url = await server.createDatabase();
    const files: Record<string, string> = { "1_slow.up.sql": "CREATE TABLE t (id int); SELECT pg_sleep(0.3);" };
    for (let i = 2; i <= 5; i++) files[`${i}_m${i}.up.sql`] = `INSERT INTO t VALUES (${i});`;
    const set = await loadMigrations(migrationDir(files));
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    try {
      const waits: string[] = [];
      const results = await Promise.all([
        a.apply(set, { ...options, onEvent: (e) => e.type === "lock-wait" && waits.push(e.holder) }),
        b.apply(set, { ...options, onEvent: (e) => e.type === "lock-wait" && waits.push(e.holder) }),
      ]);
      expect(results.flatMap((r) => r.applied.map((x) => x.version)).sort()).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect(waits.length).toBe(1);
      expect(waits[0]).toMatch(/backend pid \d+ \(cutover-migrate/);
      const database = new URL(url).pathname.slice(1);
      expect((await server.query(database, "SELECT id FROM t ORDER BY id")).map((r) => r.id)).toEqual([2, 3, 4, 5]);
      expect(await advisoryLocks()).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("gives up waiting for the lock after lock-timeout, naming the holder", async () => {
    const url = await server.createDatabase();
    const set = await loadMigrations(migrationDir(BASIC));
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    const release = await a.lock({ timeoutMs: 1_000 });
    try {
      await expect(b.apply(set, { ...options, lockTimeoutMs: 300 })).rejects.toThrow(
        /timed out after 300ms waiting for the migration lock held by backend pid/,
      );
    } finally {
      await release();
      await Promise.all([a.close(), b.close()]);
    }
    expect(await advisoryLocks()).toBe(0);
  });

  it("on abort during a long migration cancels the query, rolls back and frees the lock", async () => {
    const url = await server.createDatabase();
    const set = await loadMigrations(migrationDir({ ...BASIC, "0004_slow.up.sql": "CREATE TABLE slow (id int);\nSELECT pg_sleep(5);" }));
    const db = await openDatabase(url);
    const controller = new AbortController();
    try {
      const started = performance.now();
      const run = db.apply(set, {
        ...options,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === "start" && e.version === 4n) setTimeout(() => controller.abort(), 200);
        },
      });
      await expect(run).rejects.toThrow(/cancelled during 0004_slow.up.sql; its transaction was rolled back/);
      expect(performance.now() - started).toBeLessThan(4_000);
      expect((await db.readApplied()).map((a) => a.version)).toEqual([1n, 2n, 3n]);
      const database = new URL(url).pathname.slice(1);
      expect(await server.query(database, "SELECT to_regclass('slow') AS t")).toEqual([{ t: null }]);
      expect(await advisoryLocks()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("enforces statement-timeout", async () => {
    const url = await server.createDatabase();
    const set = await loadMigrations(migrationDir({ "1_slow.up.sql": "SELECT pg_sleep(2);" }));
    const db = await openDatabase(url, { statementTimeoutMs: 200 });
    try {
      await expect(db.apply(set, options)).rejects.toThrow(
        /1_slow.up.sql failed: canceling statement due to statement timeout \(SQLSTATE 57014\)/,
      );
    } finally {
      await db.close();
    }
  });

  it("runs a no-transaction file statement by statement (CREATE INDEX CONCURRENTLY)", async () => {
    const url = await server.createDatabase();
    const set = await loadMigrations(
      migrationDir({
        ...BASIC,
        "0004_index.up.sql":
          "-- cutover:no-transaction\nCREATE INDEX CONCURRENTLY users_name ON users (name);\nCREATE INDEX CONCURRENTLY orders_user ON orders (user_id);",
      }),
    );
    const db = await openDatabase(url);
    try {
      const result = await db.apply(set, options);
      expect(result.applied.at(-1)?.transactional).toBe(false);
      const database = new URL(url).pathname.slice(1);
      expect(
        (await server.query(database, "SELECT indexname FROM pg_indexes WHERE indexname IN ('users_name','orders_user') ORDER BY 1"))
          .length,
      ).toBe(2);
      expect((await db.readApplied()).at(-1)?.transactional).toBe(false);
    } finally {
      await db.close();
    }
  });

  it("backup: auto names both versions when pg_dump is older than the server, and a clear error without pg_dump", async () => {
    const url = await server.createDatabase();
    const db = await openDatabase(url);
    const dir = migrationDir({});
    try {
      await expect(db.backup(join(dir, "b"))).rejects.toThrow(/pg_dump/);
      const error = (await db.backup(join(dir, "b")).catch((e: unknown) => e)) as Error;
      if (/is version (\d+) and the server is PostgreSQL 18/.test(error.message)) {
        expect(error).toBeInstanceOf(ConfigError);
        expect(error.message).toMatch(/expected pg_dump 18 or newer on PATH \(install postgresql-client-18\), or backup: none/);
      } else {
        expect(error.message).toMatch(/pg_dump is not on PATH/);
      }
      const noPath = process.env.PATH;
      process.env.PATH = dir;
      try {
        await expect(db.backup(join(dir, "b"))).rejects.toThrow(
          /input 'backup': got auto, but pg_dump is not on PATH; expected pg_dump 18 or newer/,
        );
      } finally {
        process.env.PATH = noPath;
      }
      expect(error.message).not.toContain(server.password);
    } finally {
      await db.close();
    }
  });
});

describe("sqlite only", () => {
  it("backs up with VACUUM INTO before applying, and the copy is a consistent database", async () => {
    const dir = migrationDir(BASIC);
    const file = join(dir, "app.db");
    const db = await openDatabase(`sqlite:${file}`);
    try {
      await db.apply(await loadMigrations(dir), { ...options, toVersion: 1n });
      const result = await db.apply(await loadMigrations(dir), { ...options, backupDir: join(dir, "backups") });
      expect(result.backupPath).toMatch(/backups\/app-.*\.sqlite$/);
      const copy = new DatabaseSync(result.backupPath as string);
      const versions = copy.prepare("SELECT version FROM cutover_migrations").all();
      copy.close();
      expect(versions).toEqual([{ version: 1 }]);
    } finally {
      await db.close();
    }
  });

  it("two connections on one file apply each migration once", async () => {
    const dir = migrationDir(BASIC);
    const url = `sqlite:${join(dir, "app.db")}`;
    const set = await loadMigrations(dir);
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    try {
      const first = await a.apply(set, options);
      const second = await b.apply(set, options);
      expect(first.applied).toHaveLength(3);
      expect(second.applied).toHaveLength(0);
      writeFileSync(join(dir, "ignored.txt"), "");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
