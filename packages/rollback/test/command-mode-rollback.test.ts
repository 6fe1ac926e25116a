// A rollback across migrations a team's own tool applied (alembic, a JSON-file store): revision
// ids are opaque strings, the way down is the down command to the recorded revision, or the
// recorded backup restored when there is no down path. URLs and checks the caller leaves empty come
// from the settings the deployments recorded; commands only ever from the caller (the ledger is
// data, never code). Real commands under bash, a real file ledger.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLedger } from "@cutover/ledger";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_SETTING_CHARS,
  RollbackBlockedError,
  type RollbackRequest,
  recordDeployment,
  recordedSettings,
  rollBack,
} from "../src/index.js";

let dir: string;
let ledger: FileLedger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-cmd-rollback-"));
  ledger = new FileLedger(join(dir, "ledger.json"));
  writeFileSync(join(dir, "revision"), "ae1027a6acf\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = () => ({ signal: new AbortController().signal, log: () => {}, warn: () => {} });
const versionCommand = () => `echo "$(cat ${dir}/revision) (head)"`;

/** v1 at revision 0002 (a leading zero that must survive), then v2 took alembic to ae1027a6acf, with a backup first. */
async function seed() {
  const deploy = async (version: string, schema: object, settings: Record<string, string>) => {
    const { record } = await recordDeployment(ledger, {
      environment: "staging",
      status: "success",
      deployment: { version, ref: "main", sha: version.padEnd(40, "a"), schema, settings: recordedSettings(settings, () => {}) },
    });
    return record;
  };
  await deploy(
    "v1",
    { before: "base", after: "0002", compatibility: "contract" },
    { "idle-url": "http://{color}.v1.internal", checks: "- path: /v1", "public-url": "https://shop.example" },
  );
  await deploy(
    "v2",
    { before: "0002", after: "ae1027a6acf", compatibility: "contract", backup: `${dir}/backup-before-v2.json` },
    { "idle-url": "http://{color}.v2.internal" },
  );
}

const request = (extra: Partial<RollbackRequest> = {}): RollbackRequest => ({ environment: "staging", strategy: "redeploy", ...extra });

describe("rollback in command mode", () => {
  it("refuses without migrate-down: cutover cannot lint a tool's migrations, so a changed revision may break older code", async () => {
    await seed();
    const refused = rollBack(ledger, request(), context());
    await expect(refused).rejects.toThrow(RollbackBlockedError);
    await expect(refused).rejects.toThrow(/contract migration\(s\) since v1 stand in the way: 0002..ae1027a6acf/);
  });

  it("runs the caller's down command to the target's recorded revision, as the string it is", async () => {
    await seed();
    const outcome = await rollBack(
      ledger,
      request({
        migrateDown: {
          downCommand: `printf '%s' "$CUTOVER_TO_VERSION" > ${dir}/down-to; echo "$CUTOVER_TO_VERSION" > ${dir}/revision`,
          versionCommand: versionCommand(),
        },
      }),
      context(),
    );
    expect(readFileSync(join(dir, "down-to"), "utf8")).toBe("0002");
    expect(outcome.migrateDown).toMatchObject({ from: "ae1027a6acf", to: "0002", how: "migrations-down-command" });
    expect(outcome.record.payload.schema).toMatchObject({ before: "ae1027a6acf", after: "0002" });
    // Checks and URLs of the release going back.
    expect(outcome.settings).toEqual({
      "idle-url": "http://{color}.v1.internal",
      "health-url": "http://{color}.v1.internal",
      checks: "- path: /v1",
      "public-url": "https://shop.example",
    });
    // The rollback's own record carries them on: a rollback of it needs no more inputs.
    expect(outcome.record.payload.settings?.["idle-url"]).toBe("http://{color}.v1.internal");
  });

  it("given settings win over the recorded ones", async () => {
    await seed();
    const outcome = await rollBack(
      ledger,
      request({
        migrateDown: { downCommand: `echo given > ${dir}/given; echo 0002 > ${dir}/revision` },
        settings: { checks: "- path: /now" },
      }),
      context(),
    );
    expect(readFileSync(join(dir, "given"), "utf8").trim()).toBe("given");
    expect(outcome.settings.checks).toBe("- path: /now");
  });

  it("with no down path, restores with the caller's restore-command the backup the undone deployment took, in CUTOVER_BACKUP", async () => {
    await seed();
    const restoreCommand = `printf '%s %s' "$CUTOVER_BACKUP" "$CUTOVER_TO_VERSION" > ${dir}/restored; echo 0002 > ${dir}/revision`;
    const outcome = await rollBack(ledger, request({ migrateDown: { restoreCommand, versionCommand: versionCommand() } }), context());
    expect(readFileSync(join(dir, "restored"), "utf8")).toBe(`${dir}/backup-before-v2.json 0002`);
    expect(outcome.migrateDown).toMatchObject({
      from: "ae1027a6acf",
      to: "0002",
      how: `restore-command with backup ${dir}/backup-before-v2.json`,
    });
  });

  it("with neither a down command nor a restore-command given, refuses before anything runs, naming the input to pass", async () => {
    await seed();
    const refused = rollBack(ledger, request({ migrateDown: {} }), context());
    await expect(refused).rejects.toThrow(
      /input 'migrations-down-command'.*or restore-command.*the deployment ran command-mode migrations/,
    );
    expect(readFileSync(join(dir, "revision"), "utf8").trim()).toBe("ae1027a6acf");
  });
});

describe("the ledger is data, never code", () => {
  /** A record as an older cutover wrote it, or as anyone who may write deployments could: commands in its settings. */
  async function seedWithRecordedCommands() {
    const planted = `${dir}/planted`;
    const settings = {
      "idle-url": "http://{color}.v2.internal",
      "migrations-version-command": `touch ${planted}-version; echo ae1027a6acf`,
      "migrations-down-command": `touch ${planted}-down; echo 0002 > ${dir}/revision`,
      "restore-command": `touch ${planted}-restore; echo 0002 > ${dir}/revision`,
    };
    await seed();
    // Written straight to the ledger: recordedSettings would have left the commands out.
    const { record } = await recordDeployment(ledger, {
      environment: "staging",
      status: "success",
      deployment: {
        version: "v3",
        ref: "main",
        sha: "v3".padEnd(40, "a"),
        schema: { before: "ae1027a6acf", after: "ae1027a6acf", compatibility: "none", backup: `${dir}/backup-before-v3.json` },
        settings,
      },
    });
    return { planted, record };
  }

  it("does not record the migration commands (nor the deploy command), only data", () => {
    const recorded = recordedSettings(
      {
        "idle-url": "http://{color}.internal",
        "migrations-dir": "db/migrations",
        "migrations-command": "alembic upgrade head",
        "migrations-version-command": "alembic current",
        "migrations-down-command": 'alembic downgrade "$CUTOVER_TO_VERSION"',
        "restore-command": "./restore.sh",
        "backup-command": "./backup.sh",
        "deploy-command": "./deploy.sh",
      },
      () => {},
    );
    expect(recorded).toEqual({ "idle-url": "http://{color}.internal", "migrations-dir": "db/migrations" });
  });

  it("reads a record carrying commands without failing, runs none of them, and refuses without quoting them", async () => {
    const { planted } = await seedWithRecordedCommands();
    const refused = rollBack(ledger, request({ toVersion: "v1", migrateDown: {} }), context());
    await expect(refused).rejects.toThrow(/input 'migrations-down-command'/);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).not.toContain("planted");
    expect(message).not.toContain("touch");
    for (const what of ["version", "down", "restore"]) expect(existsSync(`${planted}-${what}`), what).toBe(false);
    expect(readFileSync(join(dir, "revision"), "utf8").trim()).toBe("ae1027a6acf");
  });

  it("runs the caller's down command, never the recorded one, and carries no command on in its settings", async () => {
    const { planted } = await seedWithRecordedCommands();
    const outcome = await rollBack(
      ledger,
      request({ toVersion: "v1", migrateDown: { downCommand: `echo "$CUTOVER_TO_VERSION" > ${dir}/revision` } }),
      context(),
    );
    expect(readFileSync(join(dir, "revision"), "utf8").trim()).toBe("0002");
    for (const what of ["version", "down", "restore"]) expect(existsSync(`${planted}-${what}`), what).toBe(false);
    expect(Object.keys(outcome.settings).filter((name) => name.includes("command"))).toEqual([]);
    expect(Object.keys(outcome.record.payload.settings ?? {}).filter((name) => name.includes("command"))).toEqual([]);
  });
});

describe("recorded settings", () => {
  it("keeps only the redeploy settings, never other inputs, within the size limits", () => {
    const warnings: string[] = [];
    const recorded = recordedSettings(
      {
        "idle-url": "http://{color}.internal",
        "deploy-command": "./deploy.sh",
        "database-url": "postgres://u:p@h/db",
        checks: "x".repeat(MAX_SETTING_CHARS + 1),
        "health-deadline": "",
        "migrate-down": false,
      },
      (line) => warnings.push(line),
    );
    expect(recorded).toEqual({ "idle-url": "http://{color}.internal" });
    expect(warnings.join("\n")).toMatch(/not recorded, too long .*checks \(4097 characters\)/);
  });
});
