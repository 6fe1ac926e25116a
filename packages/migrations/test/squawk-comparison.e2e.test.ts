import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintMigration } from "../src/lint.js";
import { corpusFile, POSTGRES_CORPUS } from "./lint-corpus.js";
import { squawk } from "./squawk-cli.js";

// squawk rules about style or robustness, not about what a migration does to a running app.
const SQUAWK_STYLE_RULES = new Set([
  "require-statement-timeout",
  "prefer-bigint-over-int",
  "prefer-bigint-over-smallint",
  "prefer-identity",
  "prefer-robust-stmts",
  "prefer-text-field",
  "prefer-timestamptz",
  "ban-char-field",
  "require-enum-value-ordering",
]);

/** The corpus ids listed in the docs section that explains every disagreement with squawk. */
function documentedDisagreements(): Set<string> {
  const docs = readFileSync(new URL("../../../docs/expand-contract.md", import.meta.url), "utf8");
  const start = docs.indexOf("## Compared with squawk");
  const end = docs.indexOf("\n## ", start + 1);
  const section = docs.slice(start, end === -1 ? undefined : end);
  const table = section.slice(section.indexOf("| corpus entries")).split("\n").slice(2);
  // The first cell of each row lists the corpus entries it explains.
  const firstCells = table.filter((row) => row.startsWith("|")).map((row) => row.split("|")[1] ?? "");
  return new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1] as string)));
}

describe("the corpus through squawk (npm squawk-cli)", () => {
  it("every statement where squawk and cutover disagree is explained in docs/expand-contract.md", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cutover-squawk-"));
    for (const entry of POSTGRES_CORPUS) writeFileSync(join(dir, `${entry.id}.sql`), corpusFile(entry));
    const names = (noTransaction: boolean) =>
      POSTGRES_CORPUS.filter((e) => Boolean(e.noTransaction) === noTransaction).map((e) => `${e.id}.sql`);
    // cutover runs a migration in one transaction unless it says -- cutover:no-transaction; tell squawk the same.
    const violations = [...(await squawk(names(false), { inTransaction: true, cwd: dir })), ...(await squawk(names(true), { cwd: dir }))];
    const flaggedBySquawk = new Set(
      violations.filter((v) => !SQUAWK_STYLE_RULES.has(v.rule_name)).map((v) => v.file.replace(/\.sql$/, "")),
    );
    expect(flaggedBySquawk.size).toBeGreaterThan(30);

    const disagreements: string[] = [];
    for (const entry of POSTGRES_CORPUS) {
      const ours = await lintMigration(corpusFile(entry), { transactional: !entry.noTransaction });
      if (ours.findings.length > 0 !== flaggedBySquawk.has(entry.id)) disagreements.push(entry.id);
    }
    expect(new Set(disagreements)).toEqual(documentedDisagreements());
  });
});
