import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { lintMigration } from "../src/lint.js";
import { lintPending } from "../src/plan.js";
import { PARSER_CHILD_ENV, useParserProcess } from "../src/postgres-parser-process.js";
import { corpusFile, POSTGRES_CORPUS } from "./lint-corpus.js";

const bundle = new URL("../../../dist/migrate/index.js", import.meta.url).pathname;

afterEach(() => useParserProcess(undefined));

describe("the PostgreSQL parser child", () => {
  it("is the migrate bundle started again with --liftoff-only: it answers parses and syntax errors by id", async () => {
    const child = spawn(process.execPath, ["--liftoff-only", bundle], {
      env: { PATH: process.env.PATH, [PARSER_CHILD_ENV]: "1" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stdin.write(`${JSON.stringify({ id: 7, sql: "ALTER TABLE users ADD COLUMN email text;" })}\n`);
    child.stdin.write(`${JSON.stringify({ id: 8, sql: "SELECT 1;\nALTER TABLE;" })}\n`);
    const first = JSON.parse((await replies.next()).value as string);
    const second = JSON.parse((await replies.next()).value as string);
    child.stdin.end();
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(first.id).toBe(7);
    expect(Object.keys(first.result.stmts[0].stmt)).toEqual(["AlterTableStmt"]);
    expect(second).toEqual({ id: 8, error: { message: expect.stringContaining("syntax error"), cursorPosition: expect.any(Number) } });
    expect(code).toBe(0);
  });

  it("lints the whole corpus exactly as the in-process parser does", async () => {
    const entries = POSTGRES_CORPUS;
    const lint = () => Promise.all(entries.map((entry) => lintMigration(corpusFile(entry), { transactional: !entry.noTransaction })));
    const inProcess = await lint();
    useParserProcess(bundle);
    const inChild = await lint();
    expect(inChild).toEqual(inProcess);
  });

  it("falls back to parsing in-process when the child cannot start", async () => {
    useParserProcess("/nonexistent/cutover-bundle.js");
    const result = await lintMigration("ALTER TABLE users DROP COLUMN email;");
    expect(result.findings.map((f) => f.rule)).toContain("drop-column");
  });

  it("gets a batch's files all at once, not one round trip each", async () => {
    // A stand-in parser that answers nothing until it holds three requests: one file at a time never gets an answer.
    const entry = join(mkdtempSync(join(tmpdir(), "cutover-parser-")), "batch-parser.mjs");
    writeFileSync(
      entry,
      `import { createInterface } from "node:readline";
const held = [];
for await (const line of createInterface({ input: process.stdin })) {
  held.push(JSON.parse(line).id);
  if (held.length === 3) for (const id of held) process.stdout.write(JSON.stringify({ id, result: { stmts: [] } }) + "\\n");
}`,
    );
    useParserProcess(entry);
    const files = [1, 2, 3].map((n) => ({
      version: BigInt(n),
      name: `m${n}`,
      upFile: `${n}_m.up.sql`,
      upSql: "SELECT 1;",
      transactional: true,
    }));
    const waited = new Promise<string>((resolve) => setTimeout(() => resolve("the parser got the files one at a time"), 10_000).unref());
    const planned = await Promise.race([lintPending(files as never, "postgres"), waited]);
    expect(planned).toHaveLength(3);
  });
});
