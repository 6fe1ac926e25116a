// Command mode as deploy.yml runs it for alembic, Flyway, Prisma or a JSON-file store: versions
// are the tool's own words (never numbers), and backup: auto means backup-command or a refusal.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "../../../test/harness/run-action.js";

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "cutover-migrate-cmd-"));
  writeFileSync(join(work, "version.txt"), "1975ea83b712\n");
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A tool that prints its revision as alembic current does (`<rev> (head)`), and upgrades to ae1027a6acf. */
const tool = {
  "migrations-command": `echo ae1027a6acf > version.txt; echo upgraded`,
  "migrations-version-command": `echo "INFO  [alembic.runtime.migration] Context impl SQLiteImpl." >&2; echo "$(cat version.txt) (head)"`,
};

describe("migrate in command mode", () => {
  it.each(["0002", "ae1027a6acf", "-1", "head", "base", "heads@2"])(
    "passes target-schema %s to the down command as it is",
    async (version) => {
      const run = await runAction(
        "migrate",
        { mode: "down", "migrations-down-command": `printf '%s' "$CUTOVER_TO_VERSION" > target.txt`, "target-schema": version },
        { cwd: work },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(readFileSync(join(work, "target.txt"), "utf8")).toBe(version);
    },
  );

  it("reads the revision as the first word of the last line and records it as printed", async () => {
    const run = await runAction("migrate", tool, { cwd: work });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ "schema-before": "1975ea83b712", "schema-after": "ae1027a6acf", compatibility: "contract" });
  });

  it("backup auto without backup-command is refused before anything runs", async () => {
    const run = await runAction("migrate", { ...tool, backup: "auto" }, { cwd: work });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(
      /input 'backup-command': nothing was given; expected the command that backs up your data store/,
    );
    expect(run.annotations[0]?.message).toMatch(/nothing was changed/);
    expect(readFileSync(join(work, "version.txt"), "utf8").trim()).toBe("1975ea83b712");
  });

  it("backup-command without backup auto is refused, not ignored", async () => {
    const run = await runAction("migrate", { ...tool, "backup-command": "echo x" }, { cwd: work });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/input 'backup': got none; expected auto, to run backup-command/);
    expect(readFileSync(join(work, "version.txt"), "utf8").trim()).toBe("1975ea83b712");
  });

  it("runs backup-command before the migrations, in CUTOVER_BACKUP_DIR, and reports what it printed last", async () => {
    const run = await runAction(
      "migrate",
      {
        ...tool,
        backup: "auto",
        "backup-dir": "backups",
        // The copy must hold the version from before the upgrade.
        "backup-command": `cp version.txt "$CUTOVER_BACKUP_DIR/store-$(cat version.txt).json"; echo "saving"; echo "$CUTOVER_BACKUP_DIR/store-$(cat version.txt).json"`,
      },
      { cwd: work },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const backup = join(work, "backups", "store-1975ea83b712.json");
    expect(run.outputs["backup-path"]).toBe(backup);
    expect(readFileSync(backup, "utf8").trim()).toBe("1975ea83b712");
    expect(run.summary).toContain(`Backup: \`${backup}\``);
  });

  it("a backup-command that prints no path fails before the migrations run", async () => {
    const run = await runAction("migrate", { ...tool, backup: "auto", "backup-command": "true" }, { cwd: work });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(
      /input 'backup-command': got a command that printed nothing; expected a command whose last line is the backup's path or id/,
    );
    expect(readFileSync(join(work, "version.txt"), "utf8").trim()).toBe("1975ea83b712");
  });

  it("a failed command still reports the version it left", async () => {
    const run = await runAction(
      "migrate",
      { ...tool, "migrations-command": "echo 4f2e1c0d9b8a > version.txt; echo boom >&2; exit 2" },
      { cwd: work },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ "schema-before": "1975ea83b712", "schema-after": "4f2e1c0d9b8a" });
  });

  it("the built-in engine keeps numeric versions and names the input", async () => {
    const run = await runAction("migrate", {
      "database-url": `sqlite:${join(work, "app.db")}`,
      "migrations-dir": work,
      "target-schema": "ae1027a6acf",
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(
      /input 'target-schema': got "ae1027a6acf"; expected a migration version: digits only.*your tool's own ids, -1 or head need command mode/,
    );
    expect(existsSync(join(work, "app.db"))).toBe(false);
  });
});
