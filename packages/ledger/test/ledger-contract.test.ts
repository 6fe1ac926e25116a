import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHubApi, startFakeGitHubApi } from "../../../test/fakes/github-api.js";
import { type DeploymentLedger, DeploymentNotFoundError, FileLedger, GitHubLedger } from "../src/index.js";

// One suite, two stores: both must behave the same for everything rollback relies on.

const TOKEN = "ghs_contractTokenValue123";
const sha = (n: number) => `${n.toString(16).padStart(8, "0")}${"c".repeat(32)}`;

let github: FakeGitHubApi;
let dir: string;
let counter = 0;

beforeAll(async () => {
  github = await startFakeGitHubApi({ tokens: { [TOKEN]: "write" }, repositories: [] });
  dir = mkdtempSync(join(tmpdir(), "ledger-contract-"));
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => Promise<DeploymentLedger>][] = [
  [
    "GitHubLedger",
    async () => {
      // A fresh repository per test keeps tests independent on one server.
      const repository = `acme/shop-${++counter}`;
      await github.close();
      github = await startFakeGitHubApi({ tokens: { [TOKEN]: "write" }, repositories: [repository] });
      return new GitHubLedger({ client: new Octokit({ auth: TOKEN, baseUrl: github.url }), repository, retries: 0 });
    },
  ],
  ["FileLedger", async () => new FileLedger(join(dir, `ledger-${++counter}.json`))],
];

function payload(version: string, n: number, extra: Record<string, unknown> = {}) {
  return { version, ref: `v${version}`, sha: sha(n), ...extra };
}

describe.each(stores)("%s (ledger contract)", (_name, makeLedger) => {
  let ledger: DeploymentLedger;
  beforeEach(async () => {
    ledger = await makeLedger();
  });

  it("opens a record in_progress with the whole payload and reads it back", async () => {
    const opened = await ledger.open({
      environment: "production",
      payload: payload("1.0.0", 1, {
        color: "green",
        replacedColor: "blue",
        schema: {
          before: "0003",
          after: "0004",
          compatibility: "expand",
          migrations: [{ version: "0004", name: "add_email", classification: "expand" }],
        },
        slack: { channel: "C123", ts: "1700000000.000100" },
      }),
      environmentUrl: "https://shop.example.com",
      logUrl: "https://github.com/acme/shop/actions/runs/1",
    });
    expect(opened.state).toBe("in_progress");
    const read = await ledger.get(opened.id);
    expect(read).toMatchObject({
      id: opened.id,
      environment: "production",
      state: "in_progress",
      recordedByCutover: true,
      everSucceeded: false,
      environmentUrl: "https://shop.example.com",
      logUrl: "https://github.com/acme/shop/actions/runs/1",
      payload: {
        version: "1.0.0",
        ref: "v1.0.0",
        sha: sha(1),
        color: "green",
        replacedColor: "blue",
        schema: { before: "0003", after: "0004", compatibility: "expand", migrations: [{ version: "0004", classification: "expand" }] },
        slack: { channel: "C123", ts: "1700000000.000100" },
      },
    });
  });

  it("closing with success makes the previous success of the same environment inactive, not other environments", async () => {
    const a = await ledger.open({ environment: "production", payload: payload("1.0.0", 1) });
    await ledger.update(a.id, { state: "success" });
    const staging = await ledger.open({ environment: "staging", payload: payload("1.0.0", 1) });
    await ledger.update(staging.id, { state: "success" });
    const b = await ledger.open({ environment: "production", payload: payload("1.1.0", 2) });
    const closed = await ledger.update(b.id, { state: "success", environmentUrl: "https://shop.example.com" });

    expect(closed.state).toBe("success");
    expect((await ledger.get(a.id)).state).toBe("inactive");
    expect((await ledger.get(a.id)).everSucceeded).toBe(true);
    expect((await ledger.get(staging.id)).state).toBe("success");
    expect((await ledger.current("production"))?.id).toBe(b.id);
    expect((await ledger.current("staging"))?.id).toBe(staging.id);
  });

  it("records failure without touching the live deployment", async () => {
    const a = await ledger.open({ environment: "production", payload: payload("1.0.0", 1) });
    await ledger.update(a.id, { state: "success" });
    const b = await ledger.open({ environment: "production", payload: payload("1.1.0", 2) });
    await ledger.update(b.id, { state: "failure", description: "smoke-test failed" });
    expect((await ledger.get(b.id)).state).toBe("failure");
    expect((await ledger.current("production"))?.id).toBe(a.id);
  });

  it("closing a rollback record with success marks the rolled-back deployment failure", async () => {
    const a = await ledger.open({ environment: "production", payload: payload("1.0.0", 1) });
    await ledger.update(a.id, { state: "success" });
    const b = await ledger.open({ environment: "production", payload: payload("1.1.0", 2) });
    await ledger.update(b.id, { state: "success" });
    const back = await ledger.open({
      environment: "production",
      payload: payload("1.0.0", 1, { rollback: { reason: "error rate", fromId: b.id, fromVersion: "1.1.0", strategy: "traffic" } }),
    });
    await ledger.update(back.id, { state: "success" });
    const rolledBack = await ledger.get(b.id);
    expect(rolledBack.state).toBe("failure");
    expect(rolledBack.statuses[0]?.description).toContain(`rolled back by #${back.id}`);
    expect((await ledger.current("production"))?.payload.rollback?.reason).toBe("error rate");
    // Only one live deployment remains.
    const live = (await ledger.list("production")).records.filter((r) => r.state === "success");
    expect(live.map((r) => r.id)).toEqual([back.id]);
  });

  it("lists newest first with pagination", async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await ledger.open({ environment: "production", payload: payload(`1.0.${i}`, i) })).id);
    await ledger.open({ environment: "staging", payload: payload("9.9.9", 99) });
    const first = await ledger.list("production", { perPage: 2 });
    expect(first.records.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextPage).toBe(2);
    const last = await ledger.list("production", { perPage: 2, page: 3 });
    expect(last.records.map((r) => r.id)).toEqual([ids[0]]);
    expect(last.nextPage).toBeUndefined();
    const all: number[] = [];
    for await (const record of ledger.history("production", { perPage: 2 })) all.push(record.id);
    expect(all).toEqual([...ids].reverse());
  });

  it("lastKnownGood skips failed, in-progress, never-successful inactive and other environments", async () => {
    const good = await ledger.open({ environment: "production", payload: payload("1.0.0", 1) });
    await ledger.update(good.id, { state: "success" });
    const abandoned = await ledger.open({ environment: "production", payload: payload("1.0.5", 5) });
    await ledger.update(abandoned.id, { state: "inactive", description: "cancelled" });
    const replaced = await ledger.open({ environment: "production", payload: payload("1.1.0", 2) });
    await ledger.update(replaced.id, { state: "success" });
    const failed = await ledger.open({ environment: "production", payload: payload("1.2.0", 3) });
    await ledger.update(failed.id, { state: "failure" });
    const other = await ledger.open({ environment: "staging", payload: payload("1.3.0", 4) });
    await ledger.update(other.id, { state: "success" });
    const live = await ledger.open({ environment: "production", payload: payload("1.4.0", 6) });
    await ledger.update(live.id, { state: "success" });
    const running = await ledger.open({ environment: "production", payload: payload("1.5.0", 7) });

    expect((await ledger.lastKnownGood("production"))?.id).toBe(live.id);
    expect((await ledger.lastKnownGood("production", { before: live.id }))?.payload.version).toBe("1.1.0");
    expect((await ledger.lastKnownGood("production", { before: replaced.id }))?.payload.version).toBe("1.0.0");
    expect(await ledger.lastKnownGood("production", { before: good.id })).toBeUndefined();
    expect(await ledger.lastKnownGood("production", { version: "1.2.0" })).toBeUndefined();
    expect(await ledger.lastKnownGood("production", { version: "1.0.5" })).toBeUndefined();
    expect(await ledger.lastKnownGood("production", { version: "1.3.0" })).toBeUndefined();
    expect((await ledger.lastKnownGood("production", { version: sha(2).slice(0, 8) }))?.id).toBe(replaced.id);
    expect((await ledger.lastKnownGood("staging"))?.id).toBe(other.id);
    expect((await ledger.get(running.id)).state).toBe("in_progress");
    expect(await ledger.lastKnownGood("nowhere")).toBeUndefined();
  });

  it("finds last known good across several pages", async () => {
    const good = await ledger.open({ environment: "production", payload: payload("1.0.0", 1) });
    await ledger.update(good.id, { state: "success" });
    for (let i = 2; i <= 35; i++) {
      const failed = await ledger.open({ environment: "production", payload: payload(`1.0.${i}`, i) });
      await ledger.update(failed.id, { state: "failure" });
    }
    // Both stores walk 20 or 30 records per page: 34 failures push the good one onto page two.
    expect((await ledger.lastKnownGood("production", {}))?.id).toBe(good.id);
  });

  it("rejects an unknown deployment id and an invalid payload clearly", async () => {
    await expect(ledger.get(987654)).rejects.toBeInstanceOf(DeploymentNotFoundError);
    await expect(ledger.update(987654, { state: "success" })).rejects.toThrow(/deployment #987654 does not exist/);
    await expect(ledger.open({ environment: "production", payload: { version: "", ref: "main", sha: sha(1) } as never })).rejects.toThrow(
      /deployment payload is invalid: version/,
    );
  });

  it("returns no current deployment for an empty environment", async () => {
    expect(await ledger.current("production")).toBeUndefined();
    expect((await ledger.list("production")).records).toEqual([]);
  });
});
