import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations, openDatabase } from "../src/index.js";
import { BASIC, migrationDir } from "./migration-dir.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sqliteDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "plan-reuse-"));
  dirs.push(dir);
  return openDatabase(`sqlite:${join(dir, "app.db")}`);
}

describe("one lint per file per run", () => {
  it("a plan made moments before is reused while the same migrations are pending", async () => {
    const set = await loadMigrations(migrationDir(BASIC));
    const db = await sqliteDatabase();
    try {
      const first = await db.planApply(set);
      const again = await db.planApply(set);
      expect(again.migrations).not.toBe(first.migrations);
      // Apply gets the caller's plan: the batch it lints under the lock is the same, so the lint stands.
      // A plan whose lint was changed on purpose shows through the result, which proves it was not redone.
      const marked = {
        ...first,
        migrations: first.migrations.map((m) => ({ ...m, lint: { ...m.lint, compatibility: "contract" as const } })),
      };
      const result = await db.apply(set, { lockTimeoutMs: 5_000, appliedBy: "test", allowContract: true, plan: marked });
      expect(result.applied.map((a) => [a.version, a.compatibility])).toEqual([
        [1n, "contract"],
        [2n, "contract"],
        [3n, "contract"],
      ]);
    } finally {
      await db.close();
    }
  });

  it("lints again when what is pending changed before the lock (another run applied some)", async () => {
    const set = await loadMigrations(migrationDir(BASIC));
    const db = await sqliteDatabase();
    try {
      const stale = await db.planApply(set);
      await db.apply(set, { lockTimeoutMs: 5_000, appliedBy: "other run", toVersion: 1n });
      const marked = {
        ...stale,
        migrations: stale.migrations.map((m) => ({ ...m, lint: { ...m.lint, compatibility: "contract" as const } })),
      };
      const result = await db.apply(set, { lockTimeoutMs: 5_000, appliedBy: "test", allowContract: true, plan: marked });
      expect(result.skipped).toEqual([1n]);
      expect(result.applied.map((a) => [a.version, a.compatibility])).toEqual([
        [2n, "expand"],
        [3n, "expand"],
      ]);
    } finally {
      await db.close();
    }
  });
});
