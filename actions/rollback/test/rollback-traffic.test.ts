import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { FileLedger } from "@cutover/ledger";
import { loadMigrations, openDatabase } from "@cutover/migrations";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ActionRun, runAction, shown, startAction } from "../../../test/harness/run-action.js";
import { closedPort, startTestServer, type TestServer } from "../../../test/harness/test-server.js";

// The traffic and migrate-down halves of rollback, through the bundle: a command router whose
// routing state is a file, a public URL that answers as whichever color that file names, a file
// ledger, and a real SQLite database migrated by @cutover/migrations.

const SHA1 = "1111111111111111111111111111111111111111";
const SHA2 = "2222222222222222222222222222222222222222";
const VERSIONS: Record<string, string> = { blue: "1.0.0", green: "2.0.0" };

let dir: string;
let state: string;
let ledgerPath: string;
let servers: TestServer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-rollback-traffic-"));
  state = join(dir, "active");
  writeFileSync(state, "green");
  ledgerPath = join(dir, "ledger.json");
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

const commandRouter = (status = `cat ${state}`) =>
  JSON.stringify({
    provider: "command",
    "switch-command": `printf %s "$CUTOVER_COLOR" > ${state}`,
    "status-command": status,
    "command-timeout": "5s",
  });

/** The public URL: answers as the color the state file names, with that color's version (or `override`). */
async function publicUrl(override?: (color: string) => string): Promise<string> {
  const server = await startTestServer((_req, res) => {
    const color = readFileSync(state, "utf8");
    const version = override ? override(color) : (VERSIONS[color] ?? "?");
    res.setHeader("content-type", "application/json");
    res.setHeader("x-color", color);
    res.end(JSON.stringify({ color, version }));
  });
  servers.push(server);
  return server.url;
}

const ledger = () => new FileLedger(ledgerPath);

/** 1.0.0 went to blue with schema 0001, then 2.0.0 to green with 0002 (expand) and 0003 (contract or expand). */
async function seed(contract = true) {
  const l = ledger();
  const v1 = await l.open({
    environment: "production",
    payload: {
      version: "1.0.0",
      ref: "v1.0.0",
      sha: SHA1,
      color: "blue",
      replacedColor: "green",
      schema: { before: "0000", after: "0001" },
    },
  });
  await l.update(v1.id, { state: "success" });
  const v2 = await l.open({
    environment: "production",
    payload: {
      version: "2.0.0",
      ref: "v2.0.0",
      sha: SHA2,
      color: "green",
      replacedColor: "blue",
      schema: {
        before: "0001",
        after: "0003",
        compatibility: contract ? "contract" : "expand",
        migrations: [
          { version: "0002", name: "add_total", classification: "expand" },
          { version: "0003", name: "drop_legacy_price", classification: contract ? "contract" : "expand" },
        ],
      },
    },
  });
  await l.update(v2.id, { state: "success" });
  return { v1, v2 };
}

/** A SQLite database at schema 0003, made by the migrations engine from real files. */
async function migratedDatabase() {
  const migrations = join(dir, "migrations");
  mkdirSync(migrations);
  const files: Record<string, string> = {
    "0001_create_orders.up.sql": "CREATE TABLE orders (id INTEGER PRIMARY KEY, price INTEGER, legacy_price INTEGER);",
    "0001_create_orders.down.sql": "DROP TABLE orders;",
    "0002_add_total.up.sql": "ALTER TABLE orders ADD COLUMN total INTEGER;",
    "0002_add_total.down.sql": "ALTER TABLE orders DROP COLUMN total;",
    "0003_drop_legacy_price.up.sql":
      "-- cutover:contract-ok the app stopped reading it in 2.0.0\nALTER TABLE orders DROP COLUMN legacy_price;",
    "0003_drop_legacy_price.down.sql": "ALTER TABLE orders ADD COLUMN legacy_price INTEGER;",
  };
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(migrations, name), sql);
  const file = join(dir, "app.db");
  const db = await openDatabase(`sqlite:${file}`);
  try {
    await db.apply(await loadMigrations(migrations), { lockTimeoutMs: 5_000, appliedBy: "test", allowContract: true });
  } finally {
    await db.close();
  }
  return { migrations, url: `sqlite:${file}`, file };
}

function schemaOf(file: string) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const applied = (db.prepare("SELECT version FROM cutover_migrations ORDER BY version").all() as { version: number | bigint }[]).map(
      (r) => String(r.version),
    );
    const columns = (db.prepare("PRAGMA table_info(orders)").all() as { name: string }[]).map((c) => c.name);
    return { applied, columns };
  } finally {
    db.close();
  }
}

function failureOf(run: ActionRun): string {
  expect(run.exitCode, run.stdout).toBe(1);
  const errors = run.annotations.filter((a) => a.level === "error");
  expect(errors).toHaveLength(1);
  return shown(errors[0]);
}

const rollback = (inputs: Record<string, string>) =>
  runAction("rollback", { environment: "production", ledger: `file:${ledgerPath}`, ...inputs }, { env: {} });

describe("rollback strategy traffic (command router, file ledger)", () => {
  it("switches back to the color still running the target, verifies its version and records the rollback", async () => {
    const { v1, v2 } = await seed(false);
    const url = await publicUrl();
    const run = await rollback({
      router: commandRouter(),
      "verify-url": url,
      "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "{version}" }',
      reason: "error rate 12%",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(state, "utf8")).toBe("blue");
    expect(run.outputs).toMatchObject({ strategy: "traffic", "target-version": "1.0.0", "target-sha": SHA1, "active-color": "blue" });
    const id = Number(run.outputs["deployment-id"]);
    const l = ledger();
    expect(await l.get(id)).toMatchObject({
      state: "success",
      payload: {
        version: "1.0.0",
        color: "blue",
        replacedColor: "green",
        rollback: { reason: "error rate 12%", fromId: v2.id, strategy: "traffic" },
      },
    });
    expect((await l.get(v2.id)).state).toBe("failure");
    expect((await l.current("production"))?.id).toBe(id);
    const report = JSON.parse(run.outputs.report as string);
    expect(report).toMatchObject({
      strategy: { used: "traffic", color: "blue" },
      router: { "active-before": "green" },
      switch: { previous: "green", changed: true, verification: { ok: true, attempts: 3 } },
      schema: { decision: "expand-only" },
      target: { id: v1.id },
    });
    expect(report.timings["switch-ms"]).toBeGreaterThan(0);
    expect(run.summary).toContain("back on 1.0.0 (traffic switched to blue)");
    expect(run.summary).toContain("green → blue");
  });

  it("rolls back gradually with traffic-steps: each share set and held, then all traffic on the target", async () => {
    await seed(false);
    const url = await publicUrl();
    const calls = join(dir, "calls");
    const run = await rollback({
      router: JSON.stringify({
        provider: "command",
        "switch-command": `echo "$(date +%s%3N) $CUTOVER_WEIGHTS" >> ${calls}; printf %s "$CUTOVER_COLOR" > ${state}`,
        "status-command": `cat ${state}`,
      }),
      "verify-url": url,
      "traffic-steps": "25, 100",
      "step-duration": "300ms",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const switches = readFileSync(calls, "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(" "));
    expect(switches.map(([, weights]) => weights)).toEqual(["blue=25,green=75", "blue=100,green=0"]);
    // The first share was held for the step's duration before the second was set.
    expect(Number(switches[1]?.[0]) - Number(switches[0]?.[0])).toBeGreaterThanOrEqual(300);
    expect(readFileSync(state, "utf8")).toBe("blue");
    expect(run.stdout).toContain("held for 300ms");
  });

  it("refuses traffic-steps with strategy redeploy before anything changes", async () => {
    await seed(false);
    const message = failureOf(await rollback({ strategy: "redeploy", router: commandRouter(), "traffic-steps": "50, 100" }));
    expect(message).toContain("input 'traffic-steps'");
    expect(message).toContain("a redeploy moves no traffic here");
    expect(readFileSync(state, "utf8")).toBe("green");
  });

  it("undoes the switch when the target fails verification, and records nothing", async () => {
    await seed(false);
    const url = await publicUrl((color) => (color === "blue" ? "1.0.0-broken" : "2.0.0"));
    const before = readFileSync(ledgerPath, "utf8");
    const run = await rollback({
      router: commandRouter(),
      "verify-url": url,
      "verify-expect": 'json: { $.version: "{version}" }',
      "verify-deadline": "1s",
    });
    const message = failureOf(run);
    expect(message).toContain("blue (1.0.0) failed verification");
    expect(message).toContain("traffic was reverted to green; the ledger was not written");
    expect(message).toMatch(/json \$\.version "1\.0\.0-broken" \(expected 1\.0\.0\)/);
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(readFileSync(ledgerPath, "utf8")).toBe(before);
  });

  it("SIGTERM during verification finishes the rollback: traffic stays on the target and the ledger records it", async () => {
    await seed(false);
    // Blue never proves itself, so the run is still verifying when it is cancelled.
    const url = await publicUrl(() => "0");
    const running = startAction(
      "rollback",
      {
        environment: "production",
        ledger: `file:${ledgerPath}`,
        router: commandRouter(),
        "verify-url": url,
        "verify-expect": 'json: { $.version: "{version}" }',
        "verify-deadline": "20s",
      },
      { env: {} },
    );
    await running.waitForLog("attempt 1:");
    expect(readFileSync(state, "utf8")).toBe("blue");
    running.kill("SIGTERM");
    const run = await running.done;
    const message = failureOf(run);
    expect(message).toMatch(
      /cancelled by SIGTERM while verifying blue: traffic stays on blue, verification was cut short; the rollback to 1\.0\.0 is recorded as #3/,
    );
    expect(readFileSync(state, "utf8")).toBe("blue");
    const record = await ledger().get(3);
    expect(record.state).toBe("success");
    expect(record.statuses[0]?.description).toContain("run cancelled, verification incomplete");
    expect(run.outputs).toMatchObject({ strategy: "traffic", "active-color": "blue", "deployment-id": "3" });
  });

  it("SIGTERM before the switch changes nothing", async () => {
    await seed(false);
    // The status command is slow, so the cancel lands while the router is being read.
    const running = startAction(
      "rollback",
      { environment: "production", ledger: `file:${ledgerPath}`, router: commandRouter(`sleep 2; cat ${state}`) },
      { env: {} },
    );
    await running.waitForLog("Schema:");
    const before = readFileSync(ledgerPath, "utf8");
    running.kill("SIGTERM");
    const run = await running.done;
    expect(failureOf(run)).toMatch(/cancel/i);
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(readFileSync(ledgerPath, "utf8")).toBe(before);
  });

  it("strategy traffic refuses when a later deployment went to the target's color", async () => {
    await seed(false);
    const l = ledger();
    const v3 = await l.open({ environment: "production", payload: { version: "3.0.0", ref: "v3", sha: "3".repeat(40), color: "blue" } });
    await l.update(v3.id, { state: "failure" });
    const run = await rollback({ router: commandRouter(), strategy: "traffic" });
    expect(failureOf(run)).toContain("traffic rollback to 1.0.0 is not possible: #3 (3.0.0, failure) was deployed to blue since");
    expect(readFileSync(state, "utf8")).toBe("green");
  });
});

describe("rollback probes the target color through the nginx router block (no nginx needed: nothing is switched)", () => {
  const nginxRouter = (blue: string) =>
    JSON.stringify({ provider: "nginx", "upstream-file": join(dir, "upstream.conf"), colors: { blue: [blue], green: ["127.0.0.1:9"] } });

  it("auto falls back to redeploy when the idle color reports another version", async () => {
    await seed(false);
    const blue = await startTestServer((req, res) => {
      res.setHeader("x-version", req.headers.host === "shop.example.test" ? "1.5.0" : "wrong-host");
      res.end("ok");
    });
    servers.push(blue);
    const run = await rollback({ router: nginxRouter(`127.0.0.1:${blue.port}`), "verify-url": "https://shop.example.test/health?deep=1" });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ strategy: "redeploy", "target-version": "1.0.0" });
    expect(run.log).toContain("redeploy because the blue color reports version 1.5.0, not 1.0.0");
    expect(blue.requests.map((r) => r.url)).toEqual(["/health?deep=1"]);
    expect(JSON.parse(run.outputs.report as string).probe).toEqual({ color: "blue", reachable: true, version: "1.5.0" });
  });

  it("strategy traffic refuses a color that does not answer, before anything changes", async () => {
    await seed(false);
    const before = readFileSync(ledgerPath, "utf8");
    const run = await rollback({
      router: nginxRouter(`127.0.0.1:${await closedPort()}`),
      "verify-url": "http://shop.example.test/",
      strategy: "traffic",
    });
    expect(failureOf(run)).toContain("traffic rollback to 1.0.0 is not possible: the blue color did not answer its verify URL");
    expect(readFileSync(ledgerPath, "utf8")).toBe(before);
  });

  it("rejects a malformed router block with the path inside it", async () => {
    await seed(false);
    const run = await rollback({
      router: JSON.stringify({ provider: "nginx", "upstream-file": "relative.conf", colors: { blue: ["a:1"] } }),
    });
    const message = failureOf(run);
    expect(message).toContain("input 'router'");
    expect(message).toContain("upstream-file");
    expect(message).toContain("colors.green");
  });
});

describe("rollback with contract migrations (SQLite through @cutover/migrations)", () => {
  it("blocks without migrate-down, naming the contract migration; the database is untouched", async () => {
    await seed(true);
    const db = await migratedDatabase();
    const run = await rollback({ router: commandRouter(), "migrations-dir": db.migrations, "database-url": db.url });
    const message = failureOf(run);
    expect(message).toContain("1 contract migration(s) since 1.0.0 stand in the way: 0003 drop_legacy_price");
    expect(schemaOf(db.file).applied).toEqual(["1", "2", "3"]);
    expect(readFileSync(state, "utf8")).toBe("green");
  });

  it("refuses when a down file is missing, naming it, before anything changes", async () => {
    await seed(true);
    const db = await migratedDatabase();
    unlinkSync(join(db.migrations, "0002_add_total.down.sql"));
    const run = await rollback({
      router: commandRouter(),
      "migrate-down": "true",
      "migrations-dir": db.migrations,
      "database-url": db.url,
    });
    expect(failureOf(run)).toContain("cannot migrate down to 0001: no down file for 0002 add_total");
    expect(schemaOf(db.file).applied).toEqual(["1", "2", "3"]);
    expect(readFileSync(state, "utf8")).toBe("green");
  });

  it("changes neither database nor traffic when the router cannot be read", async () => {
    await seed(true);
    const db = await migratedDatabase();
    const before = readFileSync(ledgerPath, "utf8");
    const run = await rollback({
      router: commandRouter("echo no route >&2; exit 3"),
      "migrate-down": "true",
      "migrations-dir": db.migrations,
      "database-url": db.url,
    });
    expect(failureOf(run)).toContain("no route");
    expect(schemaOf(db.file).applied).toEqual(["1", "2", "3"]);
    expect(readFileSync(ledgerPath, "utf8")).toBe(before);
  });

  it("with migrate-down, reverts 0003 and 0002, then switches traffic and records schema 0001", async () => {
    await seed(true);
    const db = await migratedDatabase();
    const url = await publicUrl();
    const run = await rollback({
      router: commandRouter(),
      "migrate-down": "true",
      "migrations-dir": db.migrations,
      "database-url": db.url,
      "verify-url": url,
      "verify-expect": 'json: { $.version: "{version}" }',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(schemaOf(db.file)).toEqual({ applied: ["1"], columns: ["id", "price", "legacy_price"] });
    expect(readFileSync(state, "utf8")).toBe("blue");
    const report = JSON.parse(run.outputs.report as string);
    expect(report.schema.decision).toBe("migrate-down");
    expect(report["migrate-down"]).toMatchObject({ from: "3", to: "1", reverted: [{ version: "3" }, { version: "2" }] });
    // Migrating down comes before the switch: the old version never meets the new schema.
    expect(run.log.indexOf("reverted 0002_add_total.down.sql")).toBeLessThan(run.log.indexOf("Switching"));
    const record = await ledger().get(Number(run.outputs["deployment-id"]));
    expect(record.payload.schema).toMatchObject({ before: "0003", after: "0001" });
    expect(run.summary).toContain("Migrated down:");
  });
});
