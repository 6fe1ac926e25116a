import { runCommandMode, runRestoreCommand } from "@cutover/migrations";
import type { MigrateDownResult, Prepared } from "./rollback-result.js";

/** The team's migration tool, as deploy.yml ran it in command mode. */
export interface CommandTarget {
  downCommand?: string;
  versionCommand?: string;
  restoreCommand?: string;
  /** Passed to the commands as DATABASE_URL, as the migrate action does. */
  databaseUrl?: string;
}

/**
 * The database half of a rollback in command mode: the team's down command to the recorded
 * revision (an opaque id: alembic `ae1027a6acf`, `0002` as it is), or their restore command with
 * the recorded backup when there is no down path. The tool itself knows which revisions lie between.
 */
export class CommandSide {
  constructor(
    private readonly target: CommandTarget,
    private readonly context: { signal: AbortSignal; log: (line: string) => void },
  ) {}

  get canMigrateDown(): boolean {
    return Boolean(this.target.downCommand);
  }

  get canRestore(): boolean {
    return Boolean(this.target.restoreCommand);
  }

  /** Reads the live version (when there is a version command), so the summary says from where; changes nothing. */
  async prepare(toSchema: string, restoreFrom?: string): Promise<Prepared> {
    const live = await this.liveVersion();
    const how = restoreFrom ? `restore-command with backup ${restoreFrom}` : "migrations-down-command";
    return {
      database: `command mode (${how})`,
      downSteps: live === toSchema ? [] : [`${live ?? "live schema"} → ${toSchema}`],
    };
  }

  /** Runs the down command with CUTOVER_TO_VERSION set to the target revision, as recorded. */
  async migrateDown(toSchema: string): Promise<MigrateDownResult> {
    const result = await runCommandMode({
      mode: "down",
      downCommand: this.target.downCommand,
      versionCommand: this.target.versionCommand,
      toVersion: toSchema,
      env: this.env(),
      signal: this.context.signal,
      onLine: (line) => this.context.log(`  ${line}`),
    });
    const from = result.fromVersion ?? "unknown";
    const to = result.toVersion ?? toSchema;
    return {
      from,
      to,
      how: "migrations-down-command",
      reverted: [{ version: `${from}..${to}`, name: "", file: "migrations-down-command", durationMs: result.ran?.durationMs ?? 0 }],
    };
  }

  /** Restores the backup taken before the migrations in the way (CUTOVER_BACKUP), for stores without a down path. */
  async restore(backup: string, toSchema: string): Promise<MigrateDownResult> {
    const from = (await this.liveVersion()) ?? "unknown";
    const result = await runRestoreCommand({
      restoreCommand: this.target.restoreCommand as string,
      backup,
      toVersion: toSchema,
      versionCommand: this.target.versionCommand,
      env: this.env(),
      signal: this.context.signal,
      onLine: (line) => this.context.log(`  ${line}`),
    });
    return {
      from,
      to: result.toVersion ?? toSchema,
      how: `restore-command with backup ${backup}`,
      reverted: [{ version: `${from}..${toSchema}`, name: "", file: `backup ${backup}`, durationMs: result.durationMs }],
    };
  }

  private async liveVersion(): Promise<string | undefined> {
    if (!this.target.versionCommand) return undefined;
    const result = await runCommandMode({
      mode: "plan",
      versionCommand: this.target.versionCommand,
      env: this.env(),
      signal: this.context.signal,
    });
    return result.fromVersion;
  }

  private env(): NodeJS.ProcessEnv {
    return this.target.databaseUrl ? { DATABASE_URL: this.target.databaseUrl } : {};
  }
}
