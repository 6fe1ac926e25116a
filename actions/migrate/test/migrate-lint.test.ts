import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASIC, writeMigrations } from "../../../packages/migrations/test/migration-dir.js";
import { runAction, shown } from "../../../test/harness/run-action.js";

/** A repository checkout with migrations in db/migrations, as a pull request's workflow sees it. */
function checkout(files: Record<string, string>): string {
  const repo = mkdtempSync(join(tmpdir(), "cutover-lint-repo-"));
  mkdirSync(join(repo, "db", "migrations"), { recursive: true });
  writeMigrations(join(repo, "db", "migrations"), files);
  return repo;
}

// The three statements issue 15 found misclassified, each in a migration of its own.
const ISSUE_15 = {
  "0001_create_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text, created_at timestamptz);",
  "0002_drop_note.up.sql": "SET lock_timeout = '5s';\nALTER /* note */ TABLE orders DROP COLUMN note;",
  "0003_dynamic.up.sql": "SET lock_timeout = '5s';\n\nDO $$ BEGIN EXECUTE 'ALTER TABLE orders DROP COLUMN note'; END $$;",
  "0004_index.up.sql": "SET lock_timeout = '5s';\nCREATE INDEX orders_created ON orders (created_at);",
};

describe("migrate mode: lint (the bundle, no database)", () => {
  it("annotates each finding on its file and line, refuses contract and cannot-judge, warns on lock hazards", async () => {
    const repo = checkout(ISSUE_15);
    const run = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations", "base-schema": "1" }, { cwd: repo });
    expect(run.exitCode).toBe(1);
    const located = run.annotations
      .filter((a) => a.properties.file)
      .map((a) => [a.level, a.properties.file, a.properties.line, a.properties.title]);
    expect(located).toEqual([
      ["error", "db/migrations/0002_drop_note.up.sql", "2", "migrate: contract (drop-column)"],
      ["error", "db/migrations/0003_dynamic.up.sql", "3", "migrate: cannot-judge (dynamic-sql)"],
      ["warning", "db/migrations/0004_index.up.sql", "2", "migrate: lock-hazard (index-not-concurrent)"],
    ]);
    const failure = run.annotations.find((a) => !a.properties.file);
    expect(shown(failure)).toMatch(/2 statement\(s\) would break the live color; nothing was applied/);
    expect(shown(failure)).toMatch(/0003_dynamic.up.sql line 3: DO \$\$ BEGIN EXECUTE .*measured cannot-judge/);
    expect(run.outputs.compatibility).toBe("contract");
    const report = JSON.parse(run.outputs.report as string);
    expect(report.mode).toBe("lint");
    expect(report.migrations.map((m: { file: string; compatibility: string }) => `${m.file}:${m.compatibility}`)).toEqual([
      "0002_drop_note.up.sql:contract",
      "0003_dynamic.up.sql:contract",
      "0004_index.up.sql:expand",
    ]);
    expect(run.summary).toMatch(/❌ lint: 3 migration\(s\), contract: refused/);
    expect(run.summary).toMatch(
      /`0004_index.up.sql` line 2: `CREATE INDEX orders_created ON orders \(created_at\)` — 🔒 lock hazard \(index-not-concurrent\)/,
    );
  });

  it("passes a clean pull request; without base-schema each file is linted on its own", async () => {
    const repo = checkout(BASIC);
    const batch = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations", "base-schema": "0" }, { cwd: repo });
    expect(batch.exitCode).toBe(0);
    expect(batch.annotations).toEqual([]);
    expect(batch.outputs.compatibility).toBe("expand");

    // On its own, 0002 changes a table the live color has: an index build and no lock_timeout.
    const alone = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations" }, { cwd: repo });
    expect(alone.exitCode).toBe(0);
    expect(alone.annotations.map((a) => [a.level, a.properties.line, a.properties.title])).toEqual([
      ["warning", "1", "migrate: lock-hazard (missing-lock-timeout)"],
      ["warning", "2", "migrate: lock-hazard (index-not-concurrent)"],
      ["warning", "2", "migrate: lock-hazard (missing-lock-timeout)"],
    ]);
  });

  it("lock-hazards: refuse fails on a lock hazard unless a lock-ok marker accepts it", async () => {
    const repo = checkout({
      "0001_index.up.sql": "SET lock_timeout = '5s';\nCREATE INDEX orders_created ON orders (created_at);",
      "0002_index.up.sql": "SET lock_timeout = '5s';\n-- cutover:lock-ok orders holds 40 rows\nCREATE INDEX orders_note ON orders (note);",
    });
    const run = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations", "lock-hazards": "refuse" }, { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.properties.file).map((a) => [a.level, a.properties.file])).toEqual([
      ["error", "db/migrations/0001_index.up.sql"],
    ]);
    expect(run.log).toMatch(/lock-hazard accepted by marker \(orders holds 40 rows\)/);
  });

  it("refuses a syntax error before anything runs, with its line", async () => {
    const repo = checkout({ "0001_broken.up.sql": "CREATE TABLE a (id int);\nSELEC broken;" });
    const run = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations" }, { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]).toMatchObject({ level: "error", properties: { line: "2", title: "migrate: cannot-judge (syntax-error)" } });
    expect(run.annotations[0]?.message).toMatch(/syntax error at or near "SELEC"/);
  });

  it("lints SQLite with its own rules when dialect says so", async () => {
    const repo = checkout({ "0001_alter.up.sql": "ALTER TABLE users ALTER COLUMN email SET NOT NULL;" });
    const run = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations", dialect: "sqlite" }, { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.properties.title).toBe("migrate: cannot-judge (sqlite-alter-unsupported)");
  });

  it.each([
    [{ dialect: "mysql" }, /input 'dialect'.*mysql.*postgres.*sqlite/s],
    [{ "base-schema": "7" }, /input 'base-schema': got 7; expected the version of a migration file in db\/migrations/],
    [{ "base-schema": "x1" }, /input 'base-schema'.*digits only/s],
    [{ "lock-hazards": "ignore" }, /input 'lock-hazards'.*ignore.*warn.*refuse/s],
    [{ dialect: "postgres", "database-url": "sqlite:app.db" }, /input 'dialect': got postgres; expected sqlite/],
    [{ "migrations-command": "alembic upgrade head" }, /input 'migrations-command'.*no command with mode: lint/s],
  ])("refuses %o, naming the input", async (inputs, message) => {
    const repo = checkout(BASIC);
    const run = await runAction("migrate", { mode: "lint", "migrations-dir": "db/migrations", ...inputs }, { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(message);
  });
});
