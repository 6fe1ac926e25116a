import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { abortReason, ConfigError, findExecutable, outputTail, runProcess } from "@cutover/core";

export interface PgDumpOptions {
  /** The server's `server_version_num`, e.g. 180004. */
  serverVersionNum: number;
  scrub: (text: string) => string;
  signal?: AbortSignal;
  /** PATH to search for pg_dump (tests point it elsewhere). */
  path?: string;
}

/** The connection settings of a URL as libpq variables, so the password never shows in a process list. */
export function libpqEnvironment(url: string): Record<string, string> {
  const parsed = new URL(url);
  // pg_dump must not hang on an unreachable server: libpq waits forever without a timeout.
  const env: Record<string, string> = { PGCONNECT_TIMEOUT: "10" };
  if (parsed.hostname) env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ""));
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (database) env.PGDATABASE = database;
  const names: Record<string, string> = {
    sslmode: "PGSSLMODE",
    host: "PGHOST",
    port: "PGPORT",
    user: "PGUSER",
    password: "PGPASSWORD",
    dbname: "PGDATABASE",
    connect_timeout: "PGCONNECT_TIMEOUT",
  };
  for (const [key, value] of parsed.searchParams) {
    const variable = names[key];
    if (variable) env[variable] = value;
  }
  return env;
}

/** The major version of a `pg_dump --version` line such as `pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)`. */
export function pgDumpMajor(versionText: string): number | undefined {
  const match = /\)\s+(\d+)(?:\.(\d+))?/.exec(versionText);
  return match ? Number(match[1]) : undefined;
}

/**
 * Dumps the database with pg_dump (custom format) into `dir`. Fails before dumping, with both
 * versions named, when pg_dump is missing or older than the server (pg_dump refuses that).
 */
export async function runPgDump(url: string, dir: string, options: PgDumpOptions): Promise<string> {
  const pgDump = findExecutable("pg_dump", options.path);
  const serverMajor = Math.floor(options.serverVersionNum / 10_000);
  if (!pgDump) {
    throw ConfigError.single({
      input: "backup",
      path: "",
      given: "auto, but pg_dump is not on PATH",
      expected: `pg_dump ${serverMajor} or newer on PATH (install postgresql-client-${serverMajor}), or backup: none`,
    });
  }
  const version = await runProcess(pgDump, ["--version"], { timeoutMs: 10_000 });
  if (version.exitCode !== 0) throw new Error(`${pgDump} --version failed: ${outputTail(version, 4)}`);
  const dumpMajor = pgDumpMajor(version.stdout);
  if (dumpMajor !== undefined && dumpMajor < serverMajor) {
    throw ConfigError.single({
      input: "backup",
      path: "",
      given: `auto, but ${pgDump} is version ${dumpMajor} and the server is PostgreSQL ${serverMajor}; pg_dump refuses a newer server`,
      expected: `pg_dump ${serverMajor} or newer on PATH (install postgresql-client-${serverMajor}), or backup: none`,
    });
  }
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const env = libpqEnvironment(url);
  const file = join(target, `${env.PGDATABASE ?? "postgres"}-${new Date().toISOString().replace(/[:.]/g, "-")}.dump`);
  await (async () => {
    const result = await runProcess(pgDump, ["--format=custom", "--no-password", `--file=${file}`], {
      env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (result.exitCode !== 0) throw new Error(`pg_dump exited with ${result.exitCode}: ${options.scrub(result.stderr.trim())}`);
  })().catch(async (error) => {
    await rm(file, { force: true });
    throw error;
  });
  return file;
}
