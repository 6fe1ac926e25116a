import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { FileLedger } from "@cutover/ledger";
import { runWorkflow, type WorkflowResult } from "@cutover/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PipelineRig, startPipelineRig, step } from "./pipeline-rig.js";

// A FastAPI-with-alembic team's pipeline: deploy.yml runs REAL alembic (Debian's `alembic`) in
// command mode against SQLite, with a backup command, and records alembic's revision ids in the
// ledger as they are (`0001` stays `0001`); rollback.yml, given only environment, router, deploy
// command, ledger and migrate-down, runs `alembic downgrade <recorded revision>` and switches
// traffic back. The sample fleet and the demo's router (nginx when installed) serve the releases.

const root = new URL("../../", import.meta.url).pathname;

const ENV_PY = `
import os
from alembic import context
from sqlalchemy import create_engine

url = os.environ["DATABASE_URL"]
# cutover's sqlite:<path> is SQLAlchemy's sqlite:///<path>.
if url.startswith("sqlite:") and not url.startswith("sqlite://"):
    url = "sqlite:///" + url[len("sqlite:"):]
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
`;

const revision = (id: string, down: string | null, upgrade: string, downgrade: string) => `
from alembic import op
import sqlalchemy as sa

revision = "${id}"
down_revision = ${down === null ? "None" : `"${down}"`}

def upgrade():
    ${upgrade}

def downgrade():
    ${downgrade}
`;

/** As docs/recipes/alembic.md has them. */
const ALEMBIC = {
  "migrations-command": "alembic upgrade head",
  "migrations-version-command": "set -o pipefail; alembic current | awk 'NF { rev = $1 } END { print rev ? rev : \"base\" }'",
  "migrations-down-command": 'alembic downgrade "$CUTOVER_TO_VERSION"',
  backup: "auto",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion, not a template
  "backup-command": 'f="$CUTOVER_BACKUP_DIR/app-$(date +%s%N).db"; cp "${DATABASE_URL#sqlite:}" "$f"; echo "$f"',
};

let rig: PipelineRig;
let first: WorkflowResult;
let second: WorkflowResult;
let rollback: WorkflowResult;
const lines: string[] = [];
let database: string;

const tables = () => {
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
};
const alembicVersion = () => {
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    return (db.prepare("SELECT version_num FROM alembic_version").all() as { version_num: string }[]).map((r) => r.version_num);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  rig = await startPipelineRig({ prometheus: false, print: (line) => lines.push(line) });
  const ws = rig.workspace;
  database = join(ws, "app.db");
  writeFileSync(join(ws, "alembic.ini"), "[alembic]\nscript_location = alembic\n");
  mkdirSync(join(ws, "alembic", "versions"), { recursive: true });
  writeFileSync(join(ws, "alembic", "env.py"), ENV_PY);
  writeFileSync(
    join(ws, "alembic", "versions", "0001_orders.py"),
    revision("0001", null, 'op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True))', 'op.drop_table("orders")'),
  );
  const command = { ...ALEMBIC, "migrations-dir": "" };
  first = (await rig.deploy("2.0.0", command)).result;
  // The next release's checkout brings a revision with a hex id, as `alembic revision` makes them.
  writeFileSync(
    join(ws, "alembic", "versions", "ae1027a6acf_refunds.py"),
    revision(
      "ae1027a6acf",
      "0001",
      'op.create_table("refunds", sa.Column("id", sa.Integer, primary_key=True))',
      'op.drop_table("refunds")',
    ),
  );
  second = (await rig.deploy("3.0.0", command)).result;
  rollback = await runWorkflow({
    workflow: join(root, ".github", "workflows", "rollback.yml"),
    inputs: {
      environment: rig.environment,
      router: rig.router.routerBlock,
      ledger: `file:${rig.ledgerFile}`,
      "deploy-command": `printf '{"version":"%s"}' "$CUTOVER_VERSION" > "releases/$CUTOVER_COLOR.json"`,
      // Commands come from this workflow file, never from the ledger.
      "migrations-version-command": ALEMBIC["migrations-version-command"],
      "migrations-down-command": ALEMBIC["migrations-down-command"],
      "migrate-down": "true",
      reason: "3.0.0 double-refunds",
    },
    secrets: { "database-url": `sqlite:${database}`, ...(rig.router.routerEnv ? { "router-env": rig.router.routerEnv } : {}) },
    repoRoot: root,
    workspace: ws,
    github: { repository: "example/shop", actor: "e2e", ref: "refs/heads/main" },
    print: (line) => lines.push(line),
  });
}, 600_000);

afterAll(async () => {
  await rig?.close();
});

it("real alembic is what runs", () => {
  expect(execFileSync("alembic", ["--version"], { encoding: "utf8" })).toMatch(/^alembic \d+\.\d+/);
});

it("deploy.yml runs alembic upgrade in command mode, backs up first and records the revision ids as they are", async () => {
  expect(first.conclusion, lines.join("\n")).toBe("success");
  expect(second.conclusion, lines.join("\n")).toBe("success");
  const migrate = step(second, "migrate");
  expect(migrate.outputs).toMatchObject({ "schema-before": "0001", "schema-after": "ae1027a6acf", compatibility: "contract" });
  const backup = migrate.outputs["backup-path"] ?? "";
  expect(backup).toMatch(/cutover-backups\/app-\d+\.db$/);
  // The copy holds the schema from before the upgrade.
  const copy = new DatabaseSync(backup, { readOnly: true });
  expect(copy.prepare("SELECT version_num FROM alembic_version").get()).toEqual({ version_num: "0001" });
  copy.close();

  const ledger = new FileLedger(rig.ledgerFile);
  const one = await ledger.get(Number(first.outputs["deployment-id"]));
  const two = await ledger.get(Number(second.outputs["deployment-id"]));
  expect(one.payload.schema).toMatchObject({ before: "base", after: "0001" });
  expect(two.payload.schema).toMatchObject({ before: "0001", after: "ae1027a6acf", compatibility: "contract", backup });
  expect(two.payload.settings).toMatchObject({ "public-url": rig.router.publicUrl });
  // The ledger is data, never code: no command is recorded for a rollback to run.
  expect(Object.keys(two.payload.settings ?? {}).filter((name) => name.includes("command"))).toEqual([]);
});

it("rollback.yml with environment, router, its own deploy and down commands and migrate-down runs alembic downgrade to the recorded revision and moves traffic back", async () => {
  expect(rollback.conclusion, lines.join("\n")).toBe("success");
  expect(rollback.outputs).toMatchObject({ "target-version": "2.0.0", outcome: "success" });
  expect(alembicVersion()).toEqual(["0001"]);
  expect(tables()).not.toContain("refunds");
  expect(tables()).toContain("orders");
  const report = JSON.parse(step(rollback, "rollback").outputs.report ?? "{}");
  expect(report["migrate-down"]).toMatchObject({ from: "ae1027a6acf", to: "0001", how: "migrations-down-command" });
  const ledger = new FileLedger(rig.ledgerFile);
  const record = await ledger.get(Number(rollback.outputs["deployment-id"]));
  expect(record.payload.schema).toMatchObject({ before: "ae1027a6acf", after: "0001" });
  const answer = (await (await fetch(rig.router.publicUrl, { signal: AbortSignal.timeout(5_000) })).json()) as { version: string };
  expect(answer.version).toBe("2.0.0");
  expect(readFileSync(join(rig.workspace, "releases", "green.json"), "utf8")).toContain("2.0.0");
});
