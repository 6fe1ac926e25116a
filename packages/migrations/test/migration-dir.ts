import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp directory holding the given migration files (name → SQL). */
export function migrationDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cutover-migrations-"));
  writeMigrations(dir, files);
  return dir;
}

export function writeMigrations(dir: string, files: Record<string, string>): void {
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
}

/** Three ordinary expand migrations with down files. */
export const BASIC: Record<string, string> = {
  "0001_create_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name text);",
  "0001_create_users.down.sql": "DROP TABLE users;",
  "0002_add_email.up.sql": "ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email ON users (email);",
  "0002_add_email.down.sql": "DROP INDEX users_email;\nALTER TABLE users DROP COLUMN email;",
  "0003_create_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));",
  "0003_create_orders.down.sql": "DROP TABLE orders;",
};
