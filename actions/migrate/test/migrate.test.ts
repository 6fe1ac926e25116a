import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASIC, migrationDir } from "../../../packages/migrations/test/migration-dir.js";
import { runAction, shown, startAction, visibleText } from "../../../test/harness/run-action.js";
import { closedPort } from "../../../test/harness/test-server.js";
import { startPostgres, type TestPostgres } from "../../../test/services/migrate-postgres.js";

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const dbName = (url: string) => new URL(url).pathname.slice(1);
const advisoryLocks = async () =>
  Number((await server.query<{ n: string }>("postgres", "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"))[0]?.n);
const versions = async (url: string) =>
  (await server.query<{ version: string }>(dbName(url), "SELECT version::text FROM cutover_migrations ORDER BY version")).map((r) =>
    Number(r.version),
  );
const tables = async (url: string) =>
  (
    await server.query<{ t: string }>(
      dbName(url),
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
  ).map((r) => r.t);

function expectNoSecret(run: Parameters<typeof visibleText>[0], url: string): void {
  const text = visibleText(run);
  expect(text).not.toContain(server.password);
  expect(text).not.toContain(encodeURIComponent(server.password));
  expect(text).not.toContain(url);
}

describe("migrate on PostgreSQL", () => {
  it("applies pending migrations with outputs, a summary table and no secret anywhere", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir(BASIC);
    const run = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(run.annotations).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      "schema-before": "0",
      "schema-after": "3",
      "applied-versions": '["1","2","3"]',
      pending: "0",
      compatibility: "expand",
    });
    const report = JSON.parse(run.outputs.report as string);
    expect(report.migrations.map((m: { file: string; status: string }) => `${m.file}:${m.status}`)).toEqual([
      "0001_create_users.up.sql:applied",
      "0002_add_email.up.sql:applied",
      "0003_create_orders.up.sql:applied",
    ]);
    expect(JSON.parse(run.outputs.migrations as string)).toEqual([
      { version: "1", name: "create_users", classification: "expand" },
      { version: "2", name: "add_email", classification: "expand" },
      { version: "3", name: "create_orders", classification: "expand" },
    ]);
    expect(report.database).toMatch(/^postgres 127.0.0.1:\d+\/db_/);
    expect(run.summary).toMatch(/### migrate: ✅ applied 3 migration\(s\)/);
    expect(run.summary).toMatch(/\| 2 \| `0002_add_email.up.sql` \| ✅ applied \| expand \| yes \| \d+ms \|/);
    expect(run.masks).toContain(server.password);
    expectNoSecret(run, url);
    expect(await versions(url)).toEqual([1, 2, 3]);

    const again = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(again.outputs).toMatchObject({ "schema-before": "3", "schema-after": "3", "applied-versions": "[]", compatibility: "none" });
    expect(again.summary).toMatch(/Nothing to do/);
  });

  it("two runs started together apply each migration exactly once; the second waits, then finds nothing to do", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({
      ...BASIC,
      "0001_create_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name text);\nSELECT pg_sleep(1);",
    });
    const [a, b] = [
      startAction("migrate", { "database-url": url, "migrations-dir": dir }),
      startAction("migrate", { "database-url": url, "migrations-dir": dir }),
    ];
    const runs = await Promise.all([a.done, b.done]);
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
    const applied = runs.map((r) => JSON.parse(r.outputs["applied-versions"] as string) as string[]);
    expect(applied.flat().sort()).toEqual(["1", "2", "3"]);
    expect(applied.some((list) => list.length === 0)).toBe(true);
    expect(runs.some((r) => r.log.includes("Waiting for the migration lock held by backend pid"))).toBe(true);
    expect(await versions(url)).toEqual([1, 2, 3]);
    expect(await advisoryLocks()).toBe(0);
  });

  it("a failing migration in the middle leaves the last good version, nothing half-applied, the lock free", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({
      ...BASIC,
      // A runtime error: a syntax error never gets this far, the lint refuses it before anything runs.
      "0002_add_email.up.sql":
        "ALTER TABLE users ADD COLUMN email text;\nCREATE TABLE half (id int);\nINSERT INTO no_such_table VALUES (1);",
    });
    const run = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message).join("\n")).toMatch(
      /0002_add_email.up.sql \(line 3\) failed: relation "no_such_table" does not exist.*rolled back/,
    );
    expect(run.outputs).toMatchObject({ "schema-before": "0", "schema-after": "1", "applied-versions": '["1"]' });
    expect(run.summary).toMatch(/\| 2 \| `0002_add_email.up.sql` \| ❌ failed/);
    expect(await versions(url)).toEqual([1]);
    expect(await tables(url)).toEqual(["cutover_migrations", "users"]);
    expect(await advisoryLocks()).toBe(0);
    expectNoSecret(run, url);
  });

  it("SIGTERM during a long migration rolls it back, releases the lock and exits cancelled", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({ ...BASIC, "0004_slow.up.sql": "CREATE TABLE slow (id int);\nSELECT pg_sleep(600);" });
    const running = startAction("migrate", { "database-url": url, "migrations-dir": dir });
    await running.waitForLog("applying 0004_slow.up.sql");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await advisoryLocks()).toBe(1);
    running.kill("SIGTERM");
    const run = await running.done;
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.properties.title).toBe("migrate: cancelled");
    expect(run.annotations[0]?.message).toMatch(/^cancelled during 0004_slow.up.sql; its transaction was rolled back/);
    // The statement sleeps 600 s: finishing at all within the test's timeout proves it was cancelled, not waited for
    // (a tight wall-clock bound failed on a busy machine: issue 12 #12).
    expect(run.durationMs).toBeLessThan(600_000);
    expect(run.outputs).toMatchObject({ "schema-after": "3", "applied-versions": '["1","2","3"]' });
    expect(run.summary).toMatch(/0004_slow.up.sql` \| ⛔ cancelled/);
    expect(await versions(url)).toEqual([1, 2, 3]);
    expect(await tables(url)).not.toContain("slow");
    expect(await advisoryLocks()).toBe(0);
  });

  it("plan changes nothing and shows the SQL; a contract migration fails the plan, then passes with allow-contract", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir({ ...BASIC, "0004_drop_name.up.sql": "ALTER TABLE users DROP COLUMN name;" });
    await runAction("migrate", { "database-url": url, "migrations-dir": dir, "target-schema": "1" });
    const before = await tables(url);
    const plan = await runAction("migrate", { "database-url": url, "migrations-dir": dir, mode: "plan" });
    expect(plan.exitCode).toBe(1);
    expect(shown(plan.annotations.find((a) => a.level === "error"))).toMatch(
      /would break the live color; nothing was applied[\s\S]*0004_drop_name.up.sql line 1: ALTER TABLE users DROP COLUMN name: measured contract \(drops a column/,
    );
    expect(plan.outputs).toMatchObject({
      "schema-before": "1",
      "schema-after": "4",
      "applied-versions": '["2","3","4"]',
      pending: "3",
      compatibility: "contract",
    });
    expect(
      JSON.parse(plan.outputs.migrations as string).map(
        (m: { version: string; classification: string }) => `${m.version}:${m.classification}`,
      ),
    ).toEqual(["2:expand", "3:expand", "4:contract"]);
    expect(plan.summary).toMatch(/❌ plan: 3 pending migration\(s\) on `postgres .*`, contract: refused/);
    expect(plan.summary).toMatch(/🛑 contract/);
    expect(plan.summary).toMatch(/how to split: release code that no longer uses the column first/);
    expect(plan.summary).toContain("CREATE TABLE orders");
    expect(await tables(url)).toEqual(before);
    expect(await versions(url)).toEqual([1]);

    const refused = await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    expect(refused.exitCode).toBe(1);
    expect(await versions(url)).toEqual([1]);
    const allowed = await runAction("migrate", { "database-url": url, "migrations-dir": dir, "allow-contract": "true" });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs.compatibility).toBe("contract");
    expect(await versions(url)).toEqual([1, 2, 3, 4]);
  });

  it("down reverts to a version newest first", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir(BASIC);
    await runAction("migrate", { "database-url": url, "migrations-dir": dir });
    const run = await runAction("migrate", { "database-url": url, "migrations-dir": dir, mode: "down", "target-schema": "1" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ "schema-before": "3", "schema-after": "1", "reverted-versions": '["3","2"]' });
    expect(run.summary).toMatch(/↩ reverted 2 migration/);
    expect(await versions(url)).toEqual([1]);
    expect(await tables(url)).toEqual(["cutover_migrations", "users"]);
  });

  it("backup auto with pg_dump fails before migrating when pg_dump is missing or older than the server", async () => {
    const url = await server.createDatabase();
    const dir = migrationDir(BASIC);
    const run = await runAction("migrate", {
      "database-url": url,
      "migrations-dir": dir,
      backup: "auto",
      "backup-dir": join(dir, "backups"),
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/input 'backup': got auto, but .*pg_dump.*expected pg_dump 18 or newer on PATH/);
    expect(await versions(url)).toEqual([]);
    expectNoSecret(run, url);
  });

  it("command mode runs the team's tool under the lock, with versions before and after, and never prints the URL", async () => {
    const url = await server.createDatabase();
    const work = migrationDir({});
    writeFileSync(join(work, "version.txt"), "41\n");
    const run = await runAction(
      "migrate",
      {
        "database-url": url,
        "migrations-command": `echo "migrating $DATABASE_URL"; echo 42 > "${work}/version.txt"`,
        "migrations-version-command": `echo "checking"; cat "${work}/version.txt"`,
      },
      { cwd: work },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ "schema-before": "41", "schema-after": "42" });
    expect(run.log).toMatch(/migrating \*\*\*/);
    expect(run.summary).toMatch(/\| migrations-command \| 0 \|/);
    expectNoSecret(run, url);
    expect(await advisoryLocks()).toBe(0);

    const failed = await runAction("migrate", { "database-url": url, "migrations-command": "echo boom >&2; exit 3" });
    expect(failed.exitCode).toBe(1);
    expect(failed.annotations[0]?.message).toMatch(/command exited with 3; last output:\s+boom/);
  });
});

describe("migrate: bad inputs fail before connecting", () => {
  it.each([
    [{ "database-url": "mysql://root:pw@127.0.0.1/x" }, /input 'database-url': got a URL with scheme 'mysql:'/],
    [{ "migrations-dir": "/nonexistent/dir" }, /input 'migrations-dir': got "\/nonexistent\/dir"; expected an existing directory/],
    [{ files: { "create.sql": "SELECT 1;" } }, /input 'migrations-dir' at create.sql: got a malformed file name/],
    [{ files: { "1_a.up.sql": "SELECT 1;", "01_b.up.sql": "SELECT 1;" } }, /input 'migrations-dir' at 1_a.up.sql: got version 1 again/],
    [{ mode: "down" }, /input 'target-schema': nothing was given; expected the version to go down to/],
    [{ "target-schema": "v3" }, /input 'target-schema': got "v3"; expected a migration version/],
    [{ mode: "sideways" }, /input 'mode': got "sideways"; expected one of "apply", "plan", "down"/],
  ] as [Record<string, unknown>, RegExp][])("%o", async (spec, message) => {
    // A closed port: had the action connected first, the error would be a connection error instead.
    const url = `postgres://app:Pa55word@127.0.0.1:${await closedPort()}/app`;
    const { files, ...inputs } = spec as { files?: Record<string, string> } & Record<string, string>;
    const dir = migrationDir(files ?? BASIC);
    const run = await runAction("migrate", { "database-url": url, "migrations-dir": dir, ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(message);
    expect(run.annotations[0]?.message).toMatch(/nothing was changed/);
    expect(visibleText(run)).not.toContain("Pa55word");
  });
});

describe("migrate on SQLite", () => {
  it("applies with a VACUUM INTO backup and reports its path", async () => {
    const dir = migrationDir(BASIC);
    const file = join(dir, "app.db");
    await runAction("migrate", { "database-url": `sqlite:${file}`, "migrations-dir": dir, "target-schema": "1" });
    const run = await runAction("migrate", {
      "database-url": `sqlite:${file}`,
      "migrations-dir": dir,
      backup: "auto",
      "backup-dir": join(dir, "backups"),
    });
    expect(run.exitCode).toBe(0);
    const backup = run.outputs["backup-path"] as string;
    expect(existsSync(backup)).toBe(true);
    const copy = new DatabaseSync(backup);
    expect(copy.prepare("SELECT version FROM cutover_migrations").all()).toEqual([{ version: 1 }]);
    copy.close();
    expect(run.summary).toContain(`Backup: \`${backup}\``);
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });

  it("two processes on one file apply each migration exactly once", async () => {
    const dir = migrationDir(BASIC);
    const url = `sqlite:${join(dir, "app.db")}`;
    const runs = await Promise.all([
      startAction("migrate", { "database-url": url, "migrations-dir": dir }).done,
      startAction("migrate", { "database-url": url, "migrations-dir": dir }).done,
    ]);
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(runs.flatMap((r) => JSON.parse(r.outputs["applied-versions"] as string)).sort()).toEqual(["1", "2", "3"]);
    const db = new DatabaseSync(join(dir, "app.db"));
    expect(db.prepare("SELECT count(*) AS n FROM cutover_migrations").get()).toEqual({ n: 3 });
    db.close();
  });
});
