import { ConfigError, processEnvironment } from "@cutover/core";
import { type CommandResult, type CommandRunner, shellCommandRunner } from "./command-runner.js";
import { CommandFailedError } from "./errors.js";

export interface CommandModeOptions {
  mode: "apply" | "plan" | "down";
  /** Applies migrations with the team's own tool (Prisma, Alembic, Flyway, Knex…). */
  command?: string;
  /** Prints the schema version; run before and after. */
  versionCommand?: string;
  /** Reverts; rollback calls it. `CUTOVER_TO_VERSION` holds the target version when one is given. */
  downCommand?: string;
  toVersion?: string;
  /** Environment for the commands (DATABASE_URL is added by the caller when it has one). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Held around the command so two runs never migrate at once (the PostgreSQL advisory lock). */
  lock?: () => Promise<() => Promise<void>>;
  runner?: CommandRunner;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

export interface CommandModeResult {
  fromVersion?: string;
  toVersion?: string;
  /** The migration command that ran (apply or down), with how it went. */
  ran?: { input: "command" | "down-command"; exitCode: number; durationMs: number };
}

function tail(result: CommandResult): string {
  return `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/).slice(-20).join("\n");
}

/**
 * Runs an external migration tool: version-command before, the command (apply) or down-command
 * (down) under the lock, version-command after. Plan mode only reads the version.
 */
export async function runCommandMode(options: CommandModeOptions): Promise<CommandModeResult> {
  const runner = options.runner ?? shellCommandRunner;
  const main = options.mode === "apply" ? options.command : options.mode === "down" ? options.downCommand : undefined;
  const mainInput = options.mode === "down" ? "down-command" : "command";
  if (options.mode !== "plan" && !main) {
    throw ConfigError.single({ input: mainInput, path: "", expected: `a command to run in mode ${options.mode}` });
  }
  const env = { ...processEnvironment(), ...options.env, ...(options.toVersion ? { CUTOVER_TO_VERSION: options.toVersion } : {}) };
  const run = (command: string, onLine = options.onLine) => runner(command, { env, cwd: options.cwd, signal: options.signal, onLine });
  const readVersion = async (): Promise<string | undefined> => {
    if (!options.versionCommand) return undefined;
    const result = await run(options.versionCommand, undefined);
    if (result.exitCode !== 0) throw new CommandFailedError("version-command", result.exitCode, tail(result));
    return result.stdout.trim().split(/\r?\n/).filter(Boolean).at(-1)?.trim();
  };
  const result: CommandModeResult = {};
  const release = options.mode === "plan" ? undefined : await options.lock?.();
  try {
    result.fromVersion = await readVersion();
    if (main) {
      const ran = await run(main);
      if (ran.exitCode !== 0) throw new CommandFailedError(mainInput, ran.exitCode, tail(ran));
      result.ran = { input: mainInput, exitCode: 0, durationMs: ran.durationMs };
      result.toVersion = await readVersion();
    } else {
      result.toVersion = result.fromVersion;
    }
    return result;
  } finally {
    await release?.();
  }
}
