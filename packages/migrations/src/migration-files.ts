import { hash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError, type ConfigIssue } from "@cutover/core";

/** One migration on disk: its up file and, when present, its down file. */
export interface MigrationFile {
  /** Numeric version; ordering and identity use its value, so `001` and `1` are the same version. */
  version: bigint;
  name: string;
  /** File name of the up migration, e.g. `0003_add_email.up.sql`. */
  upFile: string;
  upPath: string;
  upSql: string;
  downFile?: string;
  downPath?: string;
  downSql?: string;
  /** sha256 of the up file with line endings normalised, so a Windows checkout is not drift. */
  checksum: string;
  /** The file starts with `-- cutover:no-transaction` (e.g. CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
}

/** The migrations of one directory, ordered by version. */
export interface MigrationSet {
  dir: string;
  migrations: MigrationFile[];
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9][\w.-]*?)\.(up|down)\.sql$/;
const MAX_VERSION = 9_223_372_036_854_775_807n;
export const NO_TRANSACTION_MARKER = "-- cutover:no-transaction";

export function checksumOf(sql: string): string {
  // One-shot hash: a run checksums every file, and a Hash object per file costs twice the time.
  return hash("sha256", sql.includes("\r") ? sql.replace(/\r\n/g, "\n") : sql, "hex");
}

/** True when the first line of a file asks to run outside a transaction. */
export function wantsNoTransaction(sql: string): boolean {
  const first =
    sql
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/, 1)[0]
      ?.trim() ?? "";
  return first === NO_TRANSACTION_MARKER || first.startsWith(`${NO_TRANSACTION_MARKER} `);
}

/**
 * Reads `<version>_<name>.up.sql` / `.down.sql` files from `dir`. Every problem (missing dir,
 * a .sql file with a malformed name, duplicate versions, a down file without its up file) is
 * reported at once as a ConfigError on input `input`, before any database is touched.
 */
export async function loadMigrations(dir: string, input = "migrations-dir"): Promise<MigrationSet> {
  const absolute = resolve(dir);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw ConfigError.single({
      input,
      path: "",
      given: JSON.stringify(dir),
      expected: info ? "a directory of migration files, not a file" : "an existing directory of migration files",
    });
  }
  const names = (await readdir(absolute)).sort();
  const issues: ConfigIssue[] = [];
  const byVersion = new Map<bigint, { name: string; up?: string; down?: string }>();
  for (const file of names) {
    if (!file.toLowerCase().endsWith(".sql")) continue;
    const match = FILE_NAME.exec(file);
    if (!match) {
      issues.push({ input, path: file, given: "a malformed file name", expected: "<version>_<name>.up.sql or <version>_<name>.down.sql" });
      continue;
    }
    const [, digits, name, direction] = match as unknown as [string, string, string, "up" | "down"];
    const version = BigInt(digits);
    if (version > MAX_VERSION) {
      issues.push({ input, path: file, given: `version ${digits}`, expected: "a version that fits a 64-bit integer" });
      continue;
    }
    const entry = byVersion.get(version) ?? { name };
    byVersion.set(version, entry);
    const clash = entry[direction] ?? (entry.name !== name ? (entry.up ?? entry.down) : undefined);
    if (clash) {
      issues.push({ input, path: file, given: `version ${version} again`, expected: `one migration per version; ${clash} already has it` });
      continue;
    }
    entry[direction] = file;
  }
  for (const [version, entry] of byVersion) {
    if (!entry.up && entry.down)
      issues.push({
        input,
        path: entry.down,
        given: "a down file without its up file",
        expected: `${version}_${entry.name}.up.sql beside it`,
      });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const ordered = [...byVersion.entries()].filter(([, e]) => e.up).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Read synchronously: migration files are small and many, and a step has nothing else to do
  // meanwhile; a promise and a thread-pool hop per file cost more than the read.
  const migrations = ordered.map(([version, entry]): MigrationFile => {
    const upPath = join(absolute, entry.up as string);
    const upSql = readFileSync(upPath, "utf8");
    const migration: MigrationFile = {
      version,
      name: entry.name,
      upFile: entry.up as string,
      upPath,
      upSql,
      checksum: checksumOf(upSql),
      transactional: !wantsNoTransaction(upSql),
    };
    if (entry.down) {
      migration.downFile = entry.down;
      migration.downPath = join(absolute, entry.down);
      migration.downSql = readFileSync(migration.downPath, "utf8");
    }
    return migration;
  });
  return { dir: absolute, migrations };
}
