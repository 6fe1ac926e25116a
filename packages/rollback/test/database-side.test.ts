import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DatabaseSide } from "../src/database-side.js";
import type { MigrationInTheWay } from "../src/index.js";

let dir: string;
let side: DatabaseSide;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-db-side-"));
  const files: Record<string, string> = {
    "0001_create.up.sql": "CREATE TABLE t (id INTEGER);",
    "0001_create.down.sql": "DROP TABLE t;",
    "0002_add_a.up.sql": "ALTER TABLE t ADD COLUMN a INTEGER;",
    "0002_add_a.down.sql": "ALTER TABLE t DROP COLUMN a;",
    "0003_add_b.up.sql": "ALTER TABLE t ADD COLUMN b INTEGER;",
    "0004_add_c.up.sql": "ALTER TABLE t ADD COLUMN c INTEGER;",
    "0004_add_c.down.sql": "ALTER TABLE t DROP COLUMN c;",
  };
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  side = new DatabaseSide({ dir, databaseUrl: `sqlite://${join(dir, "app.db")}` }, { signal: new AbortController().signal, log: () => {} });
});
afterEach(async () => {
  await side.close();
  rmSync(dir, { recursive: true, force: true });
});

const listed = (version: string): MigrationInTheWay => ({
  migration: { version, classification: "contract" },
  deploymentId: 2,
  version: "2",
});
const span = (above: string, through: string): MigrationInTheWay => ({
  migration: { version: `${above}..${through}`, classification: "contract" },
  range: { above, through },
  deploymentId: 2,
  version: "2",
});

describe("the database side of a rollback", () => {
  it("finds down files by migration number, for listed migrations and for spans of unlisted ones", async () => {
    const available = await side.availableDownFiles([
      listed("0004"),
      listed("0003"),
      listed("2"),
      span("0000", "0002"),
      span("0001", "0004"),
      span("0004", "0009"),
    ]);
    // 0003 has no down file, so a span over it does not count; an empty span (nothing on disk in it) does not either.
    expect(available).toEqual(["0004", "2", "0000..0002"]);
  });
});
