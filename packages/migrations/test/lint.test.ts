import { describe, expect, it } from "vitest";
import { lintMigration } from "../src/lint.js";
import { splitStatements } from "../src/sql-splitter.js";

describe("splitStatements", () => {
  it("splits on top-level semicolons only, keeping quotes, dollar bodies and comments whole", () => {
    const sql = [
      "-- leading comment",
      "CREATE TABLE a (x text DEFAULT 'a;b', \"we;ird\" int);",
      "/* block ; /* nested ; */ still */ INSERT INTO a VALUES (E'it\\'s;', 1);",
      "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;",
      "DO $$ BEGIN PERFORM 1; END $$;",
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 'y' END; DELETE FROM a; END;",
      "SELECT 1",
    ].join("\n");
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(statements[0]?.comments).toEqual(["leading comment"]);
    expect(statements[0]?.text).toBe("CREATE TABLE a (x text DEFAULT 'a;b', \"we;ird\" int)");
    expect(statements[1]?.text).toBe("INSERT INTO a VALUES (E'it\\'s;', 1)");
    expect(statements[2]?.text).toContain("RETURN 1; END; $body$ LANGUAGE plpgsql");
    expect(statements[4]?.text).toMatch(/DELETE FROM a; END$/);
    expect(statements[5]?.text).toBe("SELECT 1");
  });

  it("does not take a parameter like $1 for a dollar quote", () => {
    expect(splitStatements("SELECT $1; SELECT 2;").map((s) => s.text)).toEqual(["SELECT $1", "SELECT 2"]);
  });
});

describe("lintMigration", () => {
  const expand = [
    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)",
    "CREATE INDEX CONCURRENTLY users_email ON users (email)",
    "ALTER TABLE orders ADD COLUMN note text",
    "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'",
    "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL",
    "ALTER TABLE orders ALTER COLUMN note SET DEFAULT ''",
    "ALTER TYPE mood ADD VALUE 'meh'",
    "ALTER TABLE orders ADD COLUMN id2 bigint GENERATED ALWAYS AS IDENTITY NOT NULL",
    "UPDATE orders SET note = 'x' WHERE note IS NULL",
    "ALTER TABLE orders RENAME CONSTRAINT a TO b",
    "DROP INDEX orders_note",
  ];
  it.each(expand)("classifies as expand: %s", (sql) => {
    const result = lintMigration(sql);
    expect(result.compatibility).toBe("expand");
    expect(result.findings).toEqual([]);
  });

  const contract: [string, RegExp][] = [
    ["DROP TABLE legacy", /drops a table/],
    ["DROP VIEW v", /drops an object/],
    ["ALTER TABLE users DROP COLUMN email", /drops a column/],
    ["ALTER TABLE users DROP email", /drops a column/],
    ["ALTER TABLE users RENAME COLUMN email TO mail", /renames/],
    ["ALTER TABLE users RENAME TO people", /renames/],
    ["ALTER TABLE users ALTER COLUMN id TYPE bigint", /type/],
    ["ALTER TABLE users ALTER COLUMN id SET DATA TYPE bigint", /type/],
    ["ALTER TABLE users ALTER COLUMN email SET NOT NULL", /NOT NULL/],
    ["ALTER TABLE users ADD COLUMN age int NOT NULL", /NOT NULL column without a default/],
    ["ALTER TABLE users ALTER COLUMN email DROP DEFAULT", /drops a default/],
    ["ALTER TABLE users DROP CONSTRAINT users_email_key", /drops a constraint/],
    ["ALTER TABLE users ADD CONSTRAINT positive CHECK (age > 0)", /adds a constraint/],
    ["CREATE UNIQUE INDEX users_email ON users (email)", /unique index/],
    ["TRUNCATE users", /deletes every row/],
    ["ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'", /changes a type/],
  ];
  it.each(contract)("classifies as contract: %s", (sql, reason) => {
    const result = lintMigration(sql);
    expect(result.compatibility).toBe("contract");
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]?.reason).toMatch(reason);
    expect(result.refused[0]?.fix.length).toBeGreaterThan(10);
    expect(result.refused[0]?.statement).toBe(sql);
  });

  it("names the line of the offending statement", () => {
    const result = lintMigration("CREATE TABLE a (id int);\n\nALTER TABLE b\n  DROP COLUMN c;\n");
    expect(result.refused.map((f) => [f.line, f.statement])).toEqual([[3, "ALTER TABLE b DROP COLUMN c"]]);
  });

  it("accepts a contract statement after a contract-ok marker with a reason, and only that one", () => {
    const sql = "-- cutover:contract-ok legacy table unused since v41\nDROP TABLE legacy;\nDROP TABLE other;";
    const result = lintMigration(sql);
    expect(result.compatibility).toBe("contract");
    expect(result.findings).toHaveLength(2);
    expect(result.findings[0]?.acceptedBecause).toBe("legacy table unused since v41");
    expect(result.refused.map((f) => f.statement)).toEqual(["DROP TABLE other"]);
  });

  it("does not accept a marker without a reason, and says so", () => {
    const result = lintMigration("-- cutover:contract-ok\nDROP TABLE legacy;");
    expect(result.refused).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/needs a reason/);
  });

  it("lets anything touch a table created earlier in the same batch", () => {
    const tables = new Set<string>();
    expect(lintMigration('CREATE TABLE "Fresh" (id int);', tables).compatibility).toBe("expand");
    const later = lintMigration(
      'ALTER TABLE "Fresh" ADD COLUMN n int NOT NULL; ALTER TABLE public."Fresh" RENAME COLUMN n TO m; ALTER TABLE old DROP COLUMN x;',
      tables,
    );
    expect(later.refused.map((f) => f.statement)).toEqual(["ALTER TABLE old DROP COLUMN x"]);
  });

  it("ignores keywords inside strings and comments", () => {
    expect(
      lintMigration("INSERT INTO log VALUES ('DROP TABLE users'); -- DROP TABLE users\n/* ALTER TABLE a DROP COLUMN b */").compatibility,
    ).toBe("expand");
  });
});
