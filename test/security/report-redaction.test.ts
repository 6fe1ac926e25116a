// Issue 12 #1: a secret holding `"`, `\` or control characters must not reach the `report`
// output in its JSON-escaped (or URL-encoded, or base64) form. Attacks run against the bundles.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, visibleText } from "../harness/run-action.js";
import { startPostgres, type TestPostgres } from "../services/migrate-postgres.js";

/** Every form a leaked secret could take in what the run wrote. */
function leakedForms(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret).toString("base64").replace(/=+$/, ""),
  ];
}

function expectNoForm(text: string, secret: string): void {
  for (const form of leakedForms(secret)) expect(text).not.toContain(form);
}

describe("report output redaction (bundles)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cutover-sec-report-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("blue-green-swap: a router-env secret with a quote and a backslash echoed by status-command stays out of the report", async () => {
    const secret = 'aws"Secret\\Key/+=42';
    const router = JSON.stringify({
      provider: "command",
      "switch-command": "true",
      "status-command": 'echo "token=$AWS_SECRET_ACCESS_KEY"; echo "b64=$(printf %s "$AWS_SECRET_ACCESS_KEY" | base64)"; exit 2',
    });
    const run = await runAction("blue-green-swap", {
      mode: "status",
      router,
      "router-env": `AWS_SECRET_ACCESS_KEY: '${secret}'`,
    });
    expect(run.exitCode).toBe(1);
    // The attack reached the output: the status command's words are there, the key is not.
    expect(visibleText(run)).toContain("token=***");
    expectNoForm(visibleText(run), secret);
    expectNoForm(run.outputs.report ?? "", secret);
  });

  describe("migrate command mode (real PostgreSQL)", () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    afterAll(async () => server?.stop());

    it("a database password with quote, backslash, space and URL specials stays out of report and outputs", async () => {
      const password = 'Pw:@/#%?x y"\\q';
      const base = new URL(await server.createDatabase());
      await server.query("postgres", `CREATE ROLE app LOGIN PASSWORD '${password.replaceAll("'", "''")}'`);
      await server.query(base.pathname.slice(1), "GRANT ALL ON SCHEMA public TO app");
      const url = `postgres://app:${encodeURIComponent(password)}@127.0.0.1:${base.port}${base.pathname}`;
      const run = await runAction("migrate", {
        "database-url": url,
        // A tool that prints the connection string as its "version": the report records it.
        "migrations-command": `echo "using $DATABASE_URL"`,
        "migrations-version-command": `echo "v-$DATABASE_URL"`,
      });
      expect(run.exitCode, run.stdout).toBe(0);
      const report = JSON.parse(run.outputs.report ?? "{}");
      // The version the tool printed went into the report, redacted.
      expect(report["schema-before"]).toBe("v-***");
      expectNoForm(visibleText(run), password);
      expectNoForm(visibleText(run), url);
      expectNoForm(run.outputs.report ?? "", password);
    }, 60_000);
  });
});
