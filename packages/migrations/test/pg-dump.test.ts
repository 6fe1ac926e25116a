import { execFileSync } from "node:child_process";
import { findExecutable } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { libpqEnvironment, pgDumpMajor } from "../src/pg-dump.js";

describe("pg_dump plumbing", () => {
  it("passes the connection as libpq variables, decoded, so the password is never on a command line", () => {
    expect(libpqEnvironment("postgres://app%40x:p%40ss%2Fw@db.internal:6543/my%20db?sslmode=require")).toEqual({
      PGHOST: "db.internal",
      PGPORT: "6543",
      PGUSER: "app@x",
      PGPASSWORD: "p@ss/w",
      PGDATABASE: "my db",
      PGSSLMODE: "require",
      PGCONNECT_TIMEOUT: "10",
    });
    expect(libpqEnvironment("postgres://app@db/app?connect_timeout=3").PGCONNECT_TIMEOUT).toBe("3");
  });

  it("reads the major version of pg_dump --version", () => {
    expect(pgDumpMajor("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)")).toBe(15);
    expect(pgDumpMajor("pg_dump (PostgreSQL) 18.1")).toBe(18);
    const installed = findExecutable("pg_dump");
    if (installed) expect(pgDumpMajor(execFileSync(installed, ["--version"], { encoding: "utf8" }))).toBeGreaterThan(9);
  });
});
