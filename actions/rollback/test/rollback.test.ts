import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLedger, GitHubLedger } from "@cutover/ledger";
import { Octokit } from "@octokit/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHubApi, startFakeGitHubApi } from "../../../test/fakes/github-api.js";
import { type ActionRun, runAction, shown, visibleText } from "../../../test/harness/run-action.js";

const TOKEN = "ghs_rollbackActionSecretToken42";
const SHA1 = "1111111111111111111111111111111111111111";
const SHA2 = "2222222222222222222222222222222222222222";
const SHA3 = "3333333333333333333333333333333333333333";

let github: FakeGitHubApi;
let dir: string;
beforeEach(async () => {
  github = await startFakeGitHubApi({ tokens: { [TOKEN]: "write" }, repositories: ["acme/shop"], refs: { main: SHA3 } });
  dir = mkdtempSync(join(tmpdir(), "rollback-action-"));
});
afterEach(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

const runnerEnv = () => ({
  GITHUB_API_URL: github.url,
  GITHUB_REPOSITORY: "acme/shop",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_RUN_ID: "987",
  GITHUB_SHA: SHA3,
  GITHUB_REF_NAME: "main",
});

const run = (inputs: Record<string, string>) => runAction("rollback", { "github-token": TOKEN, ...inputs }, { env: runnerEnv() });
const apiLedger = () => new GitHubLedger({ client: new Octokit({ auth: TOKEN, baseUrl: github.url }), repository: "acme/shop" });

function expectNoSecret(result: ActionRun): void {
  expect(result.masks).toContain(TOKEN);
  expect(visibleText(result)).not.toContain(TOKEN);
}

function errorOf(result: ActionRun): string {
  expect(result.exitCode, result.stdout).toBe(1);
  const errors = result.annotations.filter((a) => a.level === "error");
  expect(errors).toHaveLength(1);
  return shown(errors[0]);
}

/** v1 on blue (replaced), v2 on green (live): the usual state before a rollback. */
async function seedTwoReleases(schema2: {
  before: string;
  after: string;
  migrations: { version: string; name: string; classification: string }[];
}) {
  const ledger = apiLedger();
  const v1 = await ledger.open({
    environment: "production",
    payload: {
      version: "1.0.0",
      ref: "v1.0.0",
      sha: SHA1,
      color: "blue",
      replacedColor: "green",
      schema: { before: "0001", after: "0002", compatibility: "expand", migrations: [] },
    },
  });
  await ledger.update(v1.id, { state: "success" });
  const v2 = await ledger.open({
    environment: "production",
    payload: {
      version: "2.0.0",
      ref: "v2.0.0",
      sha: SHA2,
      color: "green",
      replacedColor: "blue",
      schema: {
        ...schema2,
        compatibility: schema2.migrations.some((m) => m.classification === "contract") ? "contract" : "expand",
      } as never,
    },
  });
  await ledger.update(v2.id, { state: "success" });
  return { v1, v2 };
}

describe("rollback action, mode record", () => {
  it("opens a record with everything rollback needs, then closes it; the previous success turns inactive", async () => {
    const first = await run({
      mode: "record",
      environment: "production",
      version: "1.0.0",
      ref: "v1.0.0",
      sha: SHA1,
      color: "blue",
      status: "success",
    });
    expect(first.exitCode, first.stdout).toBe(0);
    // The first release of an environment replaces nothing.
    expect(first.outputs["previous-version"]).toBe("");

    const opened = await run({
      mode: "record",
      environment: "production",
      version: "1.1.0",
      color: "green",
      "previous-color": "blue",
      "schema-before": "0003",
      "schema-after": "0005",
      migrations:
        "- { version: '0004', name: add_email, classification: expand }\n- { version: '0005', name: drop_nick, classification: contract }",
      "slack-channel": "C0DEPLOY",
      "slack-ts": "1763800000.000200",
      "environment-url": "https://shop.example.com",
    });
    expect(opened.exitCode, opened.stdout).toBe(0);
    // The release live until now, which the bake's `baseline: previous` compares against.
    expect(opened.outputs["previous-version"]).toBe("1.0.0");
    const id = opened.outputs["deployment-id"];
    expect(id).toMatch(/^\d+$/);
    const stored = github.deployments("acme/shop")[0];
    expect(String(stored?.id)).toBe(id);
    expect(stored?.ref).toBe(SHA3);
    expect(stored?.payload).toEqual({
      cutover: 1,
      version: "1.1.0",
      ref: "main",
      sha: SHA3,
      color: "green",
      replacedColor: "blue",
      schema: {
        before: "0003",
        after: "0005",
        compatibility: "contract",
        migrations: [
          { version: "0004", name: "add_email", classification: "expand" },
          { version: "0005", name: "drop_nick", classification: "contract" },
        ],
      },
      slack: { channel: "C0DEPLOY", ts: "1763800000.000200" },
    });
    expect(stored?.statuses[0]).toMatchObject({
      state: "in_progress",
      log_url: "https://github.com/acme/shop/actions/runs/987",
      environment_url: "https://shop.example.com",
    });
    expect(JSON.parse(opened.outputs.report ?? "{}")).toMatchObject({
      mode: "record",
      action: "opened",
      deployment: { id: Number(id), state: "in_progress" },
    });
    expect(opened.summary).toContain(`opened deployment #${id} of production: in_progress`);
    expectNoSecret(opened);

    const closed = await run({ mode: "record", environment: "production", "deployment-id": id as string, status: "success" });
    expect(closed.exitCode, closed.stdout).toBe(0);
    expect(closed.outputs["deployment-id"]).toBe(id);
    expect(github.deployments("acme/shop").map((d) => d.statuses.at(-1)?.state)).toEqual(["success", "inactive"]);
    expectNoSecret(closed);
  });

  it("works with a file ledger, also when several runs write it at once", async () => {
    const ledger = `file:${join(dir, "ledger.json")}`;
    const runs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        runAction("rollback", { mode: "record", ledger, environment: "sandbox", version: `0.${n}.0`, ref: "main", sha: SHA1 }, { env: {} }),
      ),
    );
    for (const r of runs) expect(r.exitCode, r.stdout).toBe(0);
    expect(new Set(runs.map((r) => r.outputs["deployment-id"])).size).toBe(4);
    const file = JSON.parse(readFileSync(join(dir, "ledger.json"), "utf8"));
    expect(file.deployments.map((d: { payload: { version: string } }) => d.payload.version).sort()).toEqual([
      "0.1.0",
      "0.2.0",
      "0.3.0",
      "0.4.0",
    ]);
  });

  it("refuses incomplete or malformed record inputs before writing anything", async () => {
    const missing = await run({ mode: "record", environment: "production", sha: "" });
    expect(errorOf(missing)).toContain("input 'version': nothing was given; expected the version being deployed, to open a record");
    const badList = await run({
      mode: "record",
      environment: "production",
      version: "1",
      migrations: "- { version: '7', classification: destroy }",
    });
    expect(errorOf(badList)).toMatch(/input 'migrations' at \[0\]\.classification: got "destroy"; expected one of "expand", "contract"/);
    const noStatus = await run({ mode: "record", environment: "production", "deployment-id": "5" });
    expect(errorOf(noStatus)).toContain("input 'status'");
    const badLedger = await run({ mode: "record", environment: "production", version: "1", ledger: "s3://bucket" });
    expect(errorOf(badLedger)).toContain(`input 'ledger': got "s3://bucket"; expected github or file:<path>`);
    expect(github.deployments("acme/shop")).toHaveLength(0);
    expect(github.requests).toHaveLength(0);
  });

  it("updating refuses a record of another environment and warns that payload inputs are ignored", async () => {
    const opened = await run({ mode: "record", environment: "staging", version: "1.0.0" });
    const id = opened.outputs["deployment-id"] as string;
    const wrongEnv = await run({ mode: "record", environment: "production", "deployment-id": id, status: "success" });
    expect(errorOf(wrongEnv)).toContain(
      `input 'deployment-id': got ${id}; expected a deployment of 'production' (#${id} belongs to 'staging')`,
    );
    const withPayload = await run({ mode: "record", environment: "staging", "deployment-id": id, status: "failure", version: "9.9.9" });
    expect(withPayload.exitCode, withPayload.stdout).toBe(0);
    expect(withPayload.annotations).toContainEqual(
      expect.objectContaining({ level: "warning", message: expect.stringContaining("version ignored") }),
    );
    expect(github.deployments("acme/shop")[0]?.statuses.map((s) => s.state)).toEqual(["in_progress", "failure"]);
  });

  it("turns API errors into one clear failure without the token", async () => {
    const wrong = await runAction(
      "rollback",
      { mode: "record", environment: "production", version: "1", "github-token": "ghs_notTheRightTokenAtAll9" },
      { env: runnerEnv() },
    );
    const message = errorOf(wrong);
    expect(message).toMatch(/answered 401 Bad credentials; the token is missing, expired or wrong \(input 'github-token'\)/);
    expect(visibleText(wrong)).not.toContain("ghs_notTheRightTokenAtAll9");
    github.failWith("server-error");
    const down = await run({ mode: "record", environment: "production", version: "1" });
    // Opening a record first reads the live one (its version is the new record's previous-version).
    expect(errorOf(down)).toMatch(/GET \/repos\/acme\/shop\/deployments answered 500 Server Error \(after 3 attempts\)/);
    expectNoSecret(down);
  });
});

describe("rollback action, mode rollback", () => {
  it("strategy redeploy outputs the target and opens the rollback record; closing it marks the bad deployment failure", async () => {
    const { v1, v2 } = await seedTwoReleases({
      before: "0002",
      after: "0003",
      migrations: [{ version: "0003", name: "add_index", classification: "expand" }],
    });
    const result = await run({ environment: "production", strategy: "redeploy", reason: "checkout errors" });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs).toMatchObject({
      strategy: "redeploy",
      "target-version": "1.0.0",
      "target-ref": "v1.0.0",
      "target-sha": SHA1,
      "active-color": "green",
    });
    const rollbackId = Number(result.outputs["deployment-id"]);
    const record = await apiLedger().get(rollbackId);
    expect(record).toMatchObject({
      state: "in_progress",
      payload: {
        version: "1.0.0",
        sha: SHA1,
        color: "blue",
        replacedColor: "green",
        rollback: { reason: "checkout errors", fromId: v2.id, strategy: "redeploy" },
      },
    });
    const report = JSON.parse(result.outputs.report ?? "{}");
    expect(report).toMatchObject({
      from: { id: v2.id, version: "2.0.0" },
      target: { id: v1.id, version: "1.0.0" },
      strategy: { requested: "redeploy", used: "redeploy", color: "blue" },
      schema: { decision: "expand-only", migrations: [{ version: "0003", classification: "expand" }] },
    });
    expect(result.summary).toContain("redeploy 1.0.0 to blue, then swap");
    expect(result.summary).toContain("only expand migrations since 0002 (0003 add_index): 1.0.0 still fits schema 0003");
    expect(result.summary).toContain("checkout errors");
    expectNoSecret(result);

    // The workflow redeploys v1 to blue, swaps, then closes the rollback record.
    const closed = await run({ mode: "record", environment: "production", "deployment-id": String(rollbackId), status: "success" });
    expect(closed.exitCode, closed.stdout).toBe(0);
    const ledger = apiLedger();
    expect((await ledger.get(v2.id)).state).toBe("failure");
    expect((await ledger.current("production"))?.id).toBe(rollbackId);
    // The next rollback skips the rolled-back v2.
    expect((await ledger.lastKnownGood("production", { before: rollbackId }))?.id).toBe(v1.id);
  });

  it("target-version picks that version; with a file ledger too", async () => {
    const path = join(dir, "ledger.json");
    const ledger = new FileLedger(path);
    for (const [version, sha] of [
      ["1.0.0", SHA1],
      ["1.1.0", SHA2],
      ["1.2.0", SHA3],
    ] as const) {
      const r = await ledger.open({ environment: "staging", payload: { version, ref: `v${version}`, sha } });
      await ledger.update(r.id, { state: "success" });
    }
    const result = await runAction(
      "rollback",
      { environment: "staging", ledger: `file:${path}`, "target-version": "1.0.0", strategy: "redeploy" },
      { env: {} },
    );
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs).toMatchObject({ "target-version": "1.0.0", "target-sha": SHA1, strategy: "redeploy" });
  });

  it("auto picks traffic when the idle color still runs the target, and without a router block fails before anything is recorded", async () => {
    await seedTwoReleases({ before: "0002", after: "0002", migrations: [] });
    const before = github.deployments("acme/shop").length;
    const statusesBefore = github.deployments("acme/shop").map((d) => d.statuses.length);
    const result = await run({ environment: "production" });
    expect(errorOf(result)).toContain("input 'router': nothing was given; expected the router block (the same as blue-green-swap's)");
    expect(result.log).toContain("Strategy: traffic (the blue color still runs 1.0.0 (per the ledger))");
    expect(github.deployments("acme/shop")).toHaveLength(before);
    expect(github.deployments("acme/shop").map((d) => d.statuses.length)).toEqual(statusesBefore);
    expectNoSecret(result);
  });

  it("contract migrations block the rollback, naming them; migrate-down needs its inputs", async () => {
    await seedTwoReleases({
      before: "0002",
      after: "0004",
      migrations: [
        { version: "0003", name: "add_total", classification: "expand" },
        { version: "0004", name: "drop_legacy_price", classification: "contract" },
      ],
    });
    const blocked = await run({ environment: "production", strategy: "redeploy" });
    const message = errorOf(blocked);
    expect(message).toContain("1 contract migration(s) since 1.0.0 stand in the way: 0004 drop_legacy_price");
    expect(message).toContain("set migrate-down: true");
    expect(message).not.toContain("add_total");
    const noDir = await run({ environment: "production", strategy: "redeploy", "migrate-down": "true" });
    // No way down given, and none recorded with the deployments: refused before anything changes.
    expect(errorOf(noDir)).toContain(
      "input 'migrate-down': got true, without a way down; expected migrations-dir with the database-url secret (down files), migrations-down-command, or restore-command",
    );
    const noFiles = await run({
      environment: "production",
      strategy: "redeploy",
      "migrate-down": "true",
      "migrations-dir": "migrations",
      "database-url": "postgres://app:s3cretPassw0rd@127.0.0.1:5432/shop",
    });
    expect(errorOf(noFiles)).toContain(`input 'migrations-dir': got "migrations"; expected an existing directory of migration files`);
    expect(visibleText(noFiles)).not.toContain("s3cretPassw0rd");
    expect(github.deployments("acme/shop")).toHaveLength(2);
  });

  it("no previous deployment is a clear error", async () => {
    const ledger = apiLedger();
    const only = await ledger.open({ environment: "production", payload: { version: "1.0.0", ref: "v1.0.0", sha: SHA1 } });
    await ledger.update(only.id, { state: "success" });
    const result = await run({ environment: "production", strategy: "redeploy" });
    expect(errorOf(result)).toContain(`no successful deployment of 'production' before #${only.id} (1.0.0): nothing to roll back to`);
    const empty = await run({ environment: "staging", strategy: "redeploy" });
    expect(errorOf(empty)).toContain("no deployment of 'staging' is live or in progress: nothing to roll back");
  });

  it("an API failure while reading the ledger is a clear error and nothing is written", async () => {
    await seedTwoReleases({ before: "0002", after: "0002", migrations: [] });
    const posts = github.requests.filter((r) => r.method === "POST").length;
    github.failWith("rate-limited");
    const result = await run({ environment: "production", strategy: "redeploy" });
    expect(errorOf(result)).toMatch(/GET \/repos\/acme\/shop\/deployments answered 403 API rate limit exceeded.*rate limited until/);
    github.failWith(null);
    expect(github.deployments("acme/shop")).toHaveLength(2);
    expect(github.requests.filter((r) => r.method === "POST")).toHaveLength(posts);
    expectNoSecret(result);
  });
});
