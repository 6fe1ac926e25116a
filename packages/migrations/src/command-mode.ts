import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError, processEnvironment } from "@cutover/core";
import { type CommandResult, type CommandRunner, shellCommandRunner } from "./command-runner.js";
import { CommandFailedError } from "./errors.js";

export interface CommandModeOptions {
  mode: "apply" | "plan" | "down";
  /** Applies migrations with the team's own tool (Prisma, Alembic, Flyway, Knex…). */
  command?: string;
  /** Prints the schema version (the first word of its last line); run before and after. */
  versionCommand?: string;
  /** Reverts; rollback calls it. `CUTOVER_TO_VERSION` holds the target version when one is given. */
  downCommand?: string;
  /** Your tool's own version word, passed as it is (alembic `ae1027a6acf`, `-1`, `head`; `0002` stays `0002`). */
  toVersion?: string;
  /** mode apply: backs the data store up before the command runs; the last line it prints is the backup's path or id. */
  backupCommand?: string;
  /** A directory backup-command may write into (created; `CUTOVER_BACKUP_DIR`). */
  backupDir?: string;
  /** Environment for the commands (DATABASE_URL is added by the caller when it has one). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Held around the command so two runs never migrate at once (the PostgreSQL advisory lock). */
  lock?: () => Promise<() => Promise<void>>;
  runner?: CommandRunner;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  /** Told each version as it is read (also after a failed command), so a failure still reports where the schema is. */
  onVersion?: (when: "before" | "after", version: string | undefined) => void;
}

export interface CommandModeResult {
  fromVersion?: string;
  toVersion?: string;
  /**
   * Command mode cannot lint your tool's migrations, so a changed version counts as `contract`
   * (older code may break): a rollback across it migrates down or is refused. `none`: unchanged.
   */
  compatibility?: "none" | "contract";
  /** What backup-command printed last: the backup's path or id. */
  backup?: string;
  /** The migration command that ran (apply or down), with how it went. */
  ran?: { input: "migrations-command" | "migrations-down-command"; exitCode: number; durationMs: number };
}

function tail(result: CommandResult): string {
  return `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/).slice(-20).join("\n");
}

/** The last line a command printed on stdout, trimmed; undefined when it printed nothing. */
function lastLine(stdout: string): string | undefined {
  return stdout.trim().split(/\r?\n/).filter(Boolean).at(-1)?.trim() || undefined;
}

/** The schema version in what migrations-version-command printed: the first word of its last line (alembic: `ae1027a6acf (head)`). */
export function versionFromOutput(stdout: string): string | undefined {
  return lastLine(stdout)?.split(/\s+/)[0];
}

/**
 * Runs an external migration tool: migrations-version-command before, backup-command (apply, when given),
 * the command (apply) or migrations-down-command (down) under the lock, migrations-version-command after. Plan mode
 * only reads the version.
 */
export async function runCommandMode(options: CommandModeOptions): Promise<CommandModeResult> {
  const runner = options.runner ?? shellCommandRunner;
  const main = options.mode === "apply" ? options.command : options.mode === "down" ? options.downCommand : undefined;
  const mainInput = options.mode === "down" ? "migrations-down-command" : "migrations-command";
  if (options.mode !== "plan" && !main) {
    throw ConfigError.single({ input: mainInput, path: "", expected: `a command to run in mode ${options.mode}` });
  }
  const backupDir = options.backupDir ? resolve(options.cwd ?? ".", options.backupDir) : undefined;
  const env = {
    ...processEnvironment(),
    ...options.env,
    ...(options.toVersion ? { CUTOVER_TO_VERSION: options.toVersion } : {}),
    ...(backupDir ? { CUTOVER_BACKUP_DIR: backupDir } : {}),
  };
  const run = (command: string, onLine = options.onLine) => runner(command, { env, cwd: options.cwd, signal: options.signal, onLine });
  const readVersion = async (when: "before" | "after"): Promise<string | undefined> => {
    if (!options.versionCommand) return undefined;
    const result = await run(options.versionCommand, undefined);
    if (result.exitCode !== 0) throw new CommandFailedError("migrations-version-command", result.exitCode, tail(result));
    const version = versionFromOutput(result.stdout);
    options.onVersion?.(when, version);
    return version;
  };
  const result: CommandModeResult = {};
  const release = options.mode === "plan" ? undefined : await options.lock?.();
  try {
    result.fromVersion = await readVersion("before");
    if (!main) {
      result.toVersion = result.fromVersion;
      result.compatibility = "none";
      return result;
    }
    if (options.mode === "apply" && options.backupCommand) {
      if (backupDir) await mkdir(backupDir, { recursive: true });
      const backup = await run(options.backupCommand);
      if (backup.exitCode !== 0) throw new CommandFailedError("backup-command", backup.exitCode, tail(backup));
      result.backup = lastLine(backup.stdout);
      if (!result.backup) {
        throw ConfigError.single({
          input: "backup-command",
          path: "",
          given: "a command that printed nothing",
          expected: "a command whose last line is the backup's path or id (CUTOVER_BACKUP of a later restore-command)",
        });
      }
    }
    const ran = await run(main);
    if (ran.exitCode !== 0) {
      // Where the failed command left the schema, if the tool can still say (best effort: the failure is what counts).
      await readVersion("after").catch(() => undefined);
      throw new CommandFailedError(mainInput, ran.exitCode, tail(ran));
    }
    result.ran = { input: mainInput, exitCode: 0, durationMs: ran.durationMs };
    result.toVersion = await readVersion("after");
    result.compatibility = options.versionCommand && result.toVersion === result.fromVersion ? "none" : "contract";
    return result;
  } finally {
    await release?.();
  }
}

/** How a backup is restored: the team's restore-command with the backup's path or id in `CUTOVER_BACKUP`. */
export interface RestoreOptions {
  restoreCommand: string;
  backup: string;
  /** The schema version the backup holds (`CUTOVER_TO_VERSION`). */
  toVersion?: string;
  versionCommand?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  runner?: CommandRunner;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/** Restores a data store from a backup (for stores without a down path); returns the version after, when migrations-version-command says. */
export async function runRestoreCommand(options: RestoreOptions): Promise<{ toVersion?: string; durationMs: number }> {
  const runner = options.runner ?? shellCommandRunner;
  const env = {
    ...processEnvironment(),
    ...options.env,
    CUTOVER_BACKUP: options.backup,
    ...(options.toVersion ? { CUTOVER_TO_VERSION: options.toVersion } : {}),
  };
  const run = (command: string, onLine = options.onLine) => runner(command, { env, cwd: options.cwd, signal: options.signal, onLine });
  const restored = await run(options.restoreCommand);
  if (restored.exitCode !== 0) throw new CommandFailedError("restore-command", restored.exitCode, tail(restored));
  if (!options.versionCommand) return { durationMs: restored.durationMs };
  const version = await run(options.versionCommand, undefined);
  if (version.exitCode !== 0) throw new CommandFailedError("migrations-version-command", version.exitCode, tail(version));
  const toVersion = versionFromOutput(version.stdout);
  return { ...(toVersion ? { toVersion } : {}), durationMs: restored.durationMs };
}
