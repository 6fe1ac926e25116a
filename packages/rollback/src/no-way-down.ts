import { ConfigError } from "@cutover/core";
import type { MigrateDownRequest } from "./rollback-request.js";
import type { MigrationInTheWay } from "./schema-decision.js";

/**
 * Why migrate-down has no way down, refused before anything changes. Migrations recorded as a
 * span of revisions, not listed one by one, were applied in command mode (the team's tool), and
 * the command that undoes them must come from the rollback's own caller: a command recorded in
 * the ledger is never run (anyone who may write deployments may write a record), nor quoted here.
 */
export function noWayDown(down: MigrateDownRequest | undefined, migrations: readonly MigrationInTheWay[] = []): ConfigError {
  const commandMode = !down?.dir && migrations.some((m) => m.range !== undefined);
  if (!commandMode) {
    return ConfigError.single({
      input: "migrate-down",
      path: "",
      given: "true, without a way down",
      expected: `migrations-dir with the database-url secret (down files${down?.dir ? ` in ${down.dir}` : ""}), migrations-down-command, or restore-command`,
    });
  }
  return ConfigError.single({
    input: "migrations-down-command",
    path: "",
    given: "nothing, and migrate-down: true",
    expected:
      'your tool\'s down command (e.g. alembic downgrade "$CUTOVER_TO_VERSION"), or restore-command to restore the backup recorded before the migrations: the deployment ran command-mode migrations (no migrations-dir is given or recorded), and a rollback runs only the commands its own workflow passes it (migrations-down-command / restore-command of rollback.yml or the rollback action), never one recorded in the ledger',
  });
}
