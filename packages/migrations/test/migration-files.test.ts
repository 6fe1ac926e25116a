import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/index.js";
import { loadMigrations } from "../src/migration-files.js";
import { BASIC, migrationDir } from "./migration-dir.js";

describe("loadMigrations", () => {
  it("orders versions numerically, pairs down files, and reads the no-transaction marker", async () => {
    const dir = migrationDir({
      "10_ten.up.sql": "-- cutover:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);",
      "9_nine.up.sql": "SELECT 1;",
      "9_nine.down.sql": "SELECT 2;",
      "README.md": "not a migration",
    });
    const set = await loadMigrations(dir);
    expect(set.migrations.map((m) => [m.version, m.name, m.transactional, m.downFile])).toEqual([
      [9n, "nine", true, "9_nine.down.sql"],
      [10n, "ten", false, undefined],
    ]);
  });

  it("gives the same checksum with CRLF line endings", async () => {
    const a = await loadMigrations(migrationDir({ "1_a.up.sql": "SELECT 1;\nSELECT 2;\n" }));
    const b = await loadMigrations(migrationDir({ "1_a.up.sql": "SELECT 1;\r\nSELECT 2;\r\n" }));
    expect(a.migrations[0]?.checksum).toBe(b.migrations[0]?.checksum);
    // The sha256 of the file's text, as rows recorded by every earlier version hold it (a change would read as drift).
    expect(a.migrations[0]?.checksum).toBe("82efb67f3010c6eb7ead02e4f6d9550633dbc1407f99aa487468e7b2567aebbc"); // sha256sum of the LF file
  });

  it("rejects a missing directory", async () => {
    await expect(loadMigrations("/nonexistent/migrations")).rejects.toThrow(
      /input 'migrations-dir': got "\/nonexistent\/migrations"; expected an existing directory/,
    );
  });

  it("reports every malformed name, duplicate version and orphan down file at once", async () => {
    const dir = migrationDir({
      "0001_a.up.sql": "SELECT 1;",
      "1_b.up.sql": "SELECT 1;",
      "create_users.sql": "SELECT 1;",
      "0002_x.UP.sql": "SELECT 1;",
      "0003_c.down.sql": "SELECT 1;",
    });
    const error = (await loadMigrations(dir).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    const paths = error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(["0002_x.UP.sql", "0003_c.down.sql", "1_b.up.sql", "create_users.sql"]);
    expect(error.message).toMatch(/1_b.up.sql: got version 1 again; expected one migration per version; 0001_a.up.sql already has it/);
    expect(error.message).toMatch(/create_users.sql: got a malformed file name; expected <version>_<name>.up.sql/);
  });
});

describe("openDatabase", () => {
  it("rejects an unknown scheme without connecting and without echoing the URL", async () => {
    const error = (await openDatabase("mysql://root:hunter2@db.internal/app").catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      "input 'database-url': got a URL with scheme 'mysql:'; expected postgres://…, postgresql://… or sqlite:<path>",
    );
    expect(error.message).not.toContain("hunter2");
  });

  it("rejects a bad tracking table name before connecting", async () => {
    await expect(openDatabase("postgres://u:p@127.0.0.1:1/x", { trackingTable: "x; DROP TABLE y" })).rejects.toThrow(/tracking-table/);
  });

  it("scrubs the password from a connection failure", async () => {
    const error = (await openDatabase("postgres://app:Sup3r-s3cret@127.0.0.1:1/app", { connectTimeoutMs: 2_000 }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/could not connect to PostgreSQL/);
    expect(error.message).not.toContain("Sup3r-s3cret");
  });

  it("writes nothing when a plan opens a SQLite file that does not exist", async () => {
    const dir = migrationDir(BASIC);
    const file = join(dir, "absent.db");
    const db = await openDatabase(`sqlite:${file}`, { create: false });
    const plan = await db.planApply(await loadMigrations(dir));
    await db.close();
    expect(plan.migrations).toHaveLength(3);
    expect(() => writeFileSync(join(file), "", { flag: "wx" })).not.toThrow();
  });
});
