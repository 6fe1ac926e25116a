// Issue 12 #11: a blank mode never falls back to the default (which moves traffic); rollback record
// mode validates what it writes into the ledger; the ledger's parse error quotes nothing from the file.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction, visibleText } from "../harness/run-action.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-sec-input-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("input refusals (bundles)", () => {
  it("blue-green-swap: a whitespace mode is refused, not read as the default switch", async () => {
    const state = join(dir, "active");
    writeFileSync(state, "blue");
    const router = JSON.stringify({
      provider: "command",
      "switch-command": `printf %s "$CUTOVER_COLOR" > ${state}`,
      "status-command": `cat ${state}`,
    });
    const run = await runAction("blue-green-swap", { mode: " \t ", router });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain(
      "input 'mode': got only whitespace; expected a value, or leave the input out for its default",
    );
    expect(readFileSync(state, "utf8")).toBe("blue");
  });

  it.each([
    [{ sha: "HEAD; rm -rf /" }, `input 'sha': got "HEAD; rm -rf /"; expected a commit SHA`],
    [{ sha: "abc" }, `input 'sha': got "abc"; expected a commit SHA`],
    [{ "schema-before": "3 OR 1=1" }, `input 'schema-before': got "3 OR 1=1"; expected a schema version`],
    [{ "schema-after": "x".repeat(101) }, "input 'schema-after': got"],
    [{ "schema-after": "<script>" }, `input 'schema-after': got "<script>"; expected a schema version`],
  ])("rollback record refuses %o before writing the ledger", async (bad, message) => {
    const ledger = join(dir, "ledger.json");
    const run = await runAction(
      "rollback",
      { mode: "record", environment: "production", version: "1.2.0", ref: "main", ledger: `file:${ledger}`, sha: SHA, ...bad },
      { env: {} },
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain(message);
    expect(existsSync(ledger)).toBe(false);
  });

  it("rollback record accepts a digit version and an alembic revision id", async () => {
    const ledger = join(dir, "ledger.json");
    const run = await runAction(
      "rollback",
      {
        mode: "record",
        environment: "production",
        version: "1.2.0",
        ref: "main",
        ledger: `file:${ledger}`,
        sha: SHA,
        "schema-before": "20260101120000",
        "schema-after": "ae1027a6acf",
      },
      { env: {} },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(ledger, "utf8")).toContain("ae1027a6acf");
  });

  it("a ledger path that holds something else: the error names the file, never its bytes", async () => {
    const ledger = join(dir, ".env");
    writeFileSync(ledger, "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n");
    const run = await runAction(
      "rollback",
      { mode: "record", environment: "production", version: "1.2.0", ref: "main", ledger: `file:${ledger}`, sha: SHA },
      { env: {} },
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain(`${ledger} is not valid JSON; fix or remove it`);
    expect(visibleText(run)).not.toMatch(/AWS_SECRET|wJalr/);
    expect(readFileSync(ledger, "utf8")).toContain("wJalrXUtnFEMI");
  });
});
