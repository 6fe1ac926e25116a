import { describe, expect, it } from "vitest";
import { type LintFinding, lintMigration } from "../src/lint.js";
import { splitStatements } from "../src/sql-splitter.js";
import { corpusFile, POSTGRES_CORPUS } from "./lint-corpus.js";

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

/** A statement's class from its findings: cannot-judge, then contract, then lock-hazard, else expand. */
function classOf(findings: readonly LintFinding[]): string {
  for (const cls of ["cannot-judge", "contract", "lock-hazard"] as const) if (findings.some((f) => f.class === cls)) return cls;
  return "expand";
}

describe("PostgreSQL corpus", () => {
  it("has at least 120 statements, each with a unique id", () => {
    expect(POSTGRES_CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(new Set(POSTGRES_CORPUS.map((e) => e.id)).size).toBe(POSTGRES_CORPUS.length);
  });

  it.each(POSTGRES_CORPUS.map((e) => [e.id, e] as const))("%s", async (_id, entry) => {
    const result = await lintMigration(corpusFile(entry), { transactional: !entry.noTransaction });
    expect(result.findings.map((f) => f.rule)).toEqual(entry.rules);
    expect(classOf(result.findings)).toBe(entry.class);
    // Every finding names the statement (on its own line) with a reason and a safe way.
    const lastLine = corpusFile(entry).trimEnd().split("\n").length;
    for (const f of result.findings) {
      expect(f.line).toBe(lastLine);
      expect(f.statement).toBe(entry.sql.replace(/\s+/g, " ").slice(0, 200));
      expect(f.fix.length).toBeGreaterThan(20);
    }
  });
});

describe("lintMigration", () => {
  it("issue 15: a comment inside ALTER TABLE does not hide DROP COLUMN", async () => {
    const result = await lintMigration("ALTER /* note */ TABLE orders DROP COLUMN note;");
    expect(result.compatibility).toBe("contract");
    expect(result.refused.map((f) => f.rule)).toEqual(["drop-column"]);
  });

  it("issue 15: a DO block with EXECUTE is refused as cannot-judge, not waved through as expand", async () => {
    const result = await lintMigration("SET lock_timeout = '1s';\nDO $$ BEGIN EXECUTE 'ALTER TABLE orders DROP COLUMN note'; END $$;");
    expect(result.compatibility).toBe("contract");
    expect(result.refused.map((f) => [f.line, f.rule, f.class])).toEqual([[2, "dynamic-sql", "cannot-judge"]]);
  });

  it("issue 15: CREATE INDEX without CONCURRENTLY on an existing table is a lock hazard with the safe way", async () => {
    const result = await lintMigration("SET lock_timeout = '1s';\nCREATE INDEX orders_at ON orders (created_at);");
    expect(result.compatibility).toBe("expand");
    expect(result.findings.map((f) => [f.rule, f.class])).toEqual([["index-not-concurrent", "lock-hazard"]]);
    expect(result.findings[0]?.fix).toMatch(/CONCURRENTLY.*cutover:no-transaction/);
    // Reported, not refused: the gate refuses lock hazards only when asked to (lock-hazards: refuse).
    expect(result.refused).toEqual([]);
  });

  it("names the line of the offending statement, counting multi-byte characters right", async () => {
    const sql = "SET lock_timeout = '1s';\nCOMMENT ON TABLE a IS 'ünïcødé — 🚀';\n\nALTER TABLE b\n  DROP COLUMN c;\n";
    const result = await lintMigration(sql);
    expect(result.refused.map((f) => [f.line, f.statement])).toEqual([[4, "ALTER TABLE b DROP COLUMN c"]]);
  });

  it("reports a syntax error with its line, refused, and no marker can accept it", async () => {
    const result = await lintMigration("CREATE TABLE a (id int);\n-- cutover:contract-ok it is fine\nSELEC broken;");
    expect(result.refused.map((f) => [f.line, f.rule])).toEqual([[3, "syntax-error"]]);
    expect(result.refused[0]?.statement).toMatch(/syntax error at or near "SELEC"/);
  });

  it("accepts a contract statement after a contract-ok marker with a reason, and only that one", async () => {
    const sql = "SET lock_timeout = '1s';\n-- cutover:contract-ok legacy table unused since v41\nDROP TABLE legacy;\nDROP TABLE other;";
    const result = await lintMigration(sql);
    expect(result.compatibility).toBe("contract");
    expect(result.findings).toHaveLength(2);
    expect(result.findings[0]?.acceptedBecause).toBe("legacy table unused since v41");
    expect(result.refused.map((f) => f.statement)).toEqual(["DROP TABLE other"]);
  });

  it("does not accept a marker without a reason, and says so", async () => {
    const result = await lintMigration("SET lock_timeout = '1s';\n-- cutover:contract-ok\nDROP TABLE legacy;");
    expect(result.refused).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/needs a reason/);
  });

  it("expand-ok declares a cannot-judge statement expand; contract-ok declares it contract", async () => {
    const asExpand = await lintMigration("-- cutover:expand-ok only inserts seed rows\nDO $$ BEGIN INSERT INTO t VALUES (1); END $$;");
    expect(asExpand.refused).toEqual([]);
    expect(asExpand.compatibility).toBe("expand");
    expect(asExpand.findings[0]?.acceptedAs).toBe("expand");
    const asContract = await lintMigration("-- cutover:contract-ok drops old partitions\nCALL drop_old_partitions();");
    expect(asContract.refused).toEqual([]);
    expect(asContract.compatibility).toBe("contract");
  });

  it("expand-ok cannot accept a contract statement, and warns", async () => {
    const result = await lintMigration("SET lock_timeout = '1s';\n-- cutover:expand-ok trust me\nALTER TABLE users DROP COLUMN email;");
    expect(result.refused.map((f) => f.rule)).toEqual(["drop-column"]);
    expect(result.warnings[0]).toMatch(/line 3: cutover:expand-ok precedes a statement it has nothing to accept/);
  });

  it("lock-ok accepts the lock hazards of its statement only; contract-ok does not accept lock hazards", async () => {
    const sql = [
      "-- cutover:lock-ok orders has 200 rows",
      "CREATE INDEX orders_at ON orders (at);",
      "-- cutover:contract-ok v12 writes age",
      "ALTER TABLE users ALTER COLUMN age SET NOT NULL;",
    ].join("\n");
    const result = await lintMigration(sql);
    expect(result.findings.map((f) => [f.rule, f.acceptedAs ?? null])).toEqual([
      ["index-not-concurrent", "lock-ok"],
      ["missing-lock-timeout", "lock-ok"],
      ["set-not-null", "contract"],
      ["set-not-null-scans-table", null],
      ["missing-lock-timeout", null],
    ]);
    expect(result.refused).toEqual([]);
  });

  it("CONCURRENTLY in a transactional file is refused whatever the marker says", async () => {
    const result = await lintMigration("-- cutover:lock-ok small table\nCREATE INDEX CONCURRENTLY i ON t (a);");
    expect(result.refused.map((f) => f.rule)).toEqual(["concurrently-in-transaction"]);
    const outside = await lintMigration("-- cutover:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);", { transactional: false });
    expect(outside.findings).toEqual([]);
  });

  it("lets anything touch a table created earlier in the same batch, across files", async () => {
    const tables = new Set<string>();
    expect((await lintMigration('CREATE TABLE "Fresh" (id int);', { newTables: tables })).compatibility).toBe("expand");
    const later = await lintMigration(
      'SET lock_timeout = 1000; ALTER TABLE "Fresh" ADD COLUMN n int NOT NULL; ALTER TABLE public."Fresh" RENAME COLUMN n TO m; ALTER TABLE old DROP COLUMN x; ALTER TABLE fresh DROP COLUMN y;',
      { newTables: tables },
    );
    // "Fresh" quoted is not fresh unquoted: PostgreSQL folds only unquoted names.
    expect(later.refused.map((f) => f.statement)).toEqual(["ALTER TABLE old DROP COLUMN x", "ALTER TABLE fresh DROP COLUMN y"]);
  });

  it("ignores keywords inside strings and comments", async () => {
    const result = await lintMigration(
      "INSERT INTO log VALUES ('DROP TABLE users'); -- DROP TABLE users\n/* ALTER TABLE a DROP COLUMN b */",
    );
    expect(result.compatibility).toBe("expand");
    expect(result.findings).toEqual([]);
  });
});

describe("SQLite rules", () => {
  const sqlite = (sql: string) => lintMigration(sql, { dialect: "sqlite" });
  const cases: [string, string[]][] = [
    ["CREATE TABLE t (id INTEGER PRIMARY KEY)", []],
    ["ALTER TABLE users ADD COLUMN note TEXT", []],
    ["ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'new'", []],
    ["CREATE INDEX users_name ON users (name)", []],
    ["ALTER TABLE users DROP COLUMN email", ["drop-column"]],
    ["ALTER TABLE users RENAME COLUMN email TO mail", ["rename-column"]],
    ["ALTER TABLE users RENAME TO people", ["rename-table"]],
    ["DROP TABLE legacy", ["drop-table"]],
    ["DROP VIEW v", ["drop-object"]],
    ["CREATE UNIQUE INDEX users_email ON users (email)", ["add-unique-index"]],
    ["ALTER TABLE users ADD COLUMN age INTEGER NOT NULL", ["sqlite-add-column-limits"]],
    ["ALTER TABLE users ADD COLUMN code TEXT UNIQUE", ["sqlite-add-column-limits"]],
    ["ALTER TABLE users ADD COLUMN seen TEXT DEFAULT CURRENT_TIMESTAMP", ["sqlite-add-column-limits"]],
    ["ALTER TABLE users ALTER COLUMN email SET NOT NULL", ["sqlite-alter-unsupported"]],
    ["ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0)", ["sqlite-alter-unsupported"]],
  ];
  it.each(cases)("%s", async (sql, rules) => {
    expect((await sqlite(sql)).findings.map((f) => f.rule)).toEqual(rules);
  });

  it("classifies the copy/drop/rename table rebuild as contract, and exempts the new copy", async () => {
    const sql = [
      "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
      "INSERT INTO users_new SELECT id, email FROM users;",
      "DROP TABLE users;",
      "ALTER TABLE users_new RENAME TO users;",
    ].join("\n");
    const result = await sqlite(sql);
    expect(result.compatibility).toBe("contract");
    expect(result.findings.map((f) => [f.line, f.rule])).toEqual([
      [3, "drop-table"],
      [4, "sqlite-table-rebuild"],
    ]);
  });

  it("refuses statements SQLite would reject, whatever the marker says", async () => {
    const result = await sqlite("-- cutover:contract-ok fine\nALTER TABLE users ALTER COLUMN email TYPE TEXT;");
    expect(result.refused.map((f) => f.rule)).toEqual(["sqlite-alter-unsupported"]);
  });
});
