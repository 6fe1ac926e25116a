import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findExecutable } from "@cutover/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASIC, migrationDir, writeMigrations } from "../../../packages/migrations/test/migration-dir.js";
import { runAction, visibleText } from "../../../test/harness/run-action.js";
import { startPostgres, type TestPostgres } from "../../../test/services/migrate-postgres.js";

// Debian's postgresql-client (scripts/install-e2e-deps.sh) ships pg_dump 15, which refuses newer
// servers, so this runs against a PostgreSQL 15 server. The refusal on PostgreSQL 18 is covered
// in migrate.test.ts.
const PG_DUMP = findExecutable("pg_dump");
const PSQL = findExecutable("psql");
const PG_RESTORE = findExecutable("pg_restore");

let server: TestPostgres;
beforeAll(async () => {
  if (!PG_DUMP || !PSQL || !PG_RESTORE) {
    throw new Error("pg_dump/pg_restore/psql are not installed: run `bash scripts/install-e2e-deps.sh` first");
  }
  server = await startPostgres({ major: 15 });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const dbName = (url: string) => new URL(url).pathname.slice(1);

/** Runs a PostgreSQL client tool with the password in the environment, never on its command line. */
function client(tool: string, args: string[], input?: string): string {
  return execFileSync(tool, args, {
    encoding: "utf8",
    input,
    timeout: 30_000,
    env: {
      PATH: process.env.PATH ?? "",
      PGHOST: "127.0.0.1",
      PGPORT: String(server.port),
      PGUSER: "postgres",
      PGPASSWORD: server.password,
    },
  });
}

/** The schema and data of a database, as comparable rows. */
async function snapshot(database: string) {
  const columns = await server.query<{ c: string }>(
    database,
    "SELECT table_name || '.' || column_name || ':' || data_type AS c FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1",
  );
  const indexes = await server.query<{ i: string }>(
    database,
    "SELECT indexname AS i FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
  );
  const users = await server.query(database, "SELECT id::text, name, email FROM users ORDER BY id");
  const versions = await server.query<{ v: string }>(database, "SELECT version::text AS v FROM cutover_migrations ORDER BY version");
  return {
    columns: columns.map((r) => r.c),
    indexes: indexes.map((r) => r.i),
    users,
    versions: versions.map((r) => Number(r.v)),
  };
}

/**
 * A `pg_dump` first on PATH that records the arguments and whether PGPASSWORD is set (never its
 * value), then execs Debian's pg_dump with exactly those arguments: what a process list would show.
 */
function recordingPgDump(): { binDir: string; logFile: string } {
  const binDir = mkdtempSync(join(tmpdir(), "cutover-pgdump-bin-"));
  const logFile = join(binDir, "calls.log");
  const script = join(binDir, "pg_dump");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      `printf 'argv: %s\\n' "$0 $*" >> '${logFile}'`,
      `if [ -n "$PGPASSWORD" ]; then echo 'PGPASSWORD set' >> '${logFile}'; fi`,
      `exec '${PG_DUMP}' "$@"`,
      "",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  return { binDir, logFile };
}

describe("migrate backup: auto with pg_dump on PostgreSQL 15", () => {
  it("dumps the pre-migration state before applying, reports the path, leaks no password, and the dump restores", async () => {
    expect(server.major).toBe(15);
    const url = await server.createDatabase();
    const database = dbName(url);
    const dir = migrationDir({
      "0001_create_users.up.sql": BASIC["0001_create_users.up.sql"] as string,
      "0002_add_email.up.sql": BASIC["0002_add_email.up.sql"] as string,
    });
    const first = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(first.exitCode).toBe(0);
    await server.query(
      database,
      "INSERT INTO users (id, name, email) VALUES (1, 'ada', 'ada@example.test'), (2, 'grace', NULL), (3, 'quote''s', 'q@example.test')",
    );
    const before = await snapshot(database);
    expect(before.versions).toEqual([1, 2]);

    // The new deployment brings a table and a column.
    writeMigrations(dir, {
      "0003_create_orders.up.sql": BASIC["0003_create_orders.up.sql"] as string,
      "0004_add_phone.up.sql": "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN phone text;",
    });
    const backupDir = join(dir, "backups");
    const { binDir, logFile } = recordingPgDump();
    const run = await runAction(
      "migrate",
      { "database-url": url, dir, backup: "auto", "backup-dir": backupDir },
      { env: { PATH: `${binDir}:${process.env.PATH ?? ""}` } },
    );
    expect(run.annotations).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ "schema-before": "2", "schema-after": "4", "applied-versions": '["3","4"]' });

    // backup-path: the one file inside backup-dir, also in the report and the summary.
    const backup = run.outputs["backup-path"] as string;
    expect(dirname(backup)).toBe(backupDir);
    expect(readdirSync(backupDir)).toEqual([backup.slice(backupDir.length + 1)]);
    expect(backup).toMatch(new RegExp(`/${database}-.*\\.dump$`));
    expect(JSON.parse(run.outputs.report as string)["backup-path"]).toBe(backup);
    expect(run.summary).toContain(`Backup: \`${backup}\``);

    // pg_dump got the credentials from the environment; its command line holds no secret.
    const calls = readFileSync(logFile, "utf8");
    expect(calls).toMatch(/argv: .*pg_dump --version/);
    expect(calls).toMatch(/argv: .*pg_dump --format=custom --no-password --file=/);
    expect(calls).toContain("PGPASSWORD set");
    for (const secret of [server.password, encodeURIComponent(server.password), url]) {
      expect(visibleText(run)).not.toContain(secret);
      expect(calls).not.toContain(secret);
    }

    // The dump holds the schema and data as they were before migrating: no orders, no phone.
    const sql = client(PG_RESTORE as string, ["--no-owner", "--file=-", backup]);
    expect(sql).toMatch(/CREATE TABLE public\.users \(\s*id bigint NOT NULL,\s*name text,\s*email text\s*\);/);
    expect(sql).toContain("CREATE INDEX users_email ON public.users USING btree (email);");
    expect(sql).toContain("1\tada\tada@example.test");
    expect(sql).toContain("3\tquote's\tq@example.test");
    expect(sql).toContain("CREATE TABLE public.cutover_migrations");
    expect(sql).not.toContain("orders");
    expect(sql).not.toContain("phone");
    expect(sql).not.toContain("0003_create_orders");
    expect(readFileSync(backup).includes(server.password)).toBe(false);

    // The migration really happened after the dump.
    const after = await snapshot(database);
    expect(after.columns).toContain("users.phone:text");
    expect(after.columns).toContain("orders.id:bigint");
    expect(after.versions).toEqual([1, 2, 3, 4]);

    // Restored with psql into a fresh database, the dump reproduces the pre-migration state.
    const restored = dbName(await server.createDatabase());
    client(PSQL as string, ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", `--dbname=${restored}`], sql);
    expect(await snapshot(restored)).toEqual(before);
  });

  it("takes no backup when nothing is pending", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({ "0001_create_users.up.sql": BASIC["0001_create_users.up.sql"] as string });
    expect((await runAction("migrate", { "database-url": url, "migrations-dir": dir })).exitCode).toBe(0);
    const backupDir = join(dir, "backups");
    const run = await runAction("migrate", { "database-url": url, "migrations-dir": dir, backup: "auto", "backup-dir": backupDir });
    expect(run.exitCode).toBe(0);
    expect(run.outputs["applied-versions"]).toBe("[]");
    expect(run.outputs["backup-path"] ?? "").toBe("");
    expect(existsSync(backupDir)).toBe(false);
  });
});
