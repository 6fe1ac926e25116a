import { CancelledError } from "@cutover/core";
import { Octokit } from "@octokit/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHubApi, startFakeGitHubApi } from "../../../test/fakes/github-api.js";
import { GitHubLedger, LedgerApiError } from "../src/index.js";

const WRITE = "ghs_writeTokenForLedgerTests1";
const READ = "ghs_readOnlyTokenForLedger22";
const SHA = "0123456789abcdef0123456789abcdef01234567";

let github: FakeGitHubApi;
beforeEach(async () => {
  github = await startFakeGitHubApi({ tokens: { [WRITE]: "write", [READ]: "read" }, repositories: ["acme/shop"], refs: { main: SHA } });
});
afterEach(async () => {
  await github.close();
});

function ledger(token = WRITE, options: Partial<ConstructorParameters<typeof GitHubLedger>[0]> = {}) {
  return new GitHubLedger({
    client: new Octokit({ auth: token, baseUrl: github.url }),
    repository: "acme/shop",
    retryDelayMs: 10,
    ...options,
  });
}

const payload = { version: "2.0.0", ref: "main", sha: SHA, color: "green", replacedColor: "blue" };

describe("GitHubLedger against the fake GitHub API", () => {
  it("creates the deployment for the exact commit, without auto-merge or commit-status gates, payload as JSON", async () => {
    const record = await ledger().open({ environment: "production", payload, logUrl: "https://github.com/acme/shop/actions/runs/7" });
    const create = github.requests.find((r) => r.method === "POST" && r.path === "/repos/acme/shop/deployments");
    const body = JSON.parse(create?.body ?? "{}");
    expect(body).toMatchObject({ ref: SHA, environment: "production", auto_merge: false, required_contexts: [], task: "deploy" });
    expect(create?.authorization).toBe(`token ${WRITE}`);
    const stored = github.deployments("acme/shop")[0];
    expect(stored?.payload).toMatchObject({ cutover: 1, version: "2.0.0", color: "green" });
    expect(stored?.statuses.map((s) => s.state)).toEqual(["in_progress"]);
    expect(stored?.statuses[0]?.log_url).toBe("https://github.com/acme/shop/actions/runs/7");
    expect(record.id).toBe(stored?.id);
  });

  it("marks the previous success inactive itself, since auto_inactive does not cover production", async () => {
    const l = ledger();
    const a = await l.open({ environment: "production", payload });
    await l.update(a.id, { state: "success" });
    const b = await l.open({ environment: "production", payload: { ...payload, version: "2.1.0" } });
    await l.update(b.id, { state: "success" });
    const statusPosts = github.requests.filter((r) => r.method === "POST" && r.path.endsWith("/statuses"));
    expect(statusPosts.every((r) => JSON.parse(r.body).auto_inactive === false)).toBe(true);
    const states = github.deployments("acme/shop").map((d) => d.statuses.at(-1)?.state);
    expect(states).toEqual(["success", "inactive"]);
  });

  it("follows Link headers across pages", async () => {
    const l = ledger();
    for (let i = 0; i < 5; i++) await l.open({ environment: "staging", payload: { ...payload, version: `2.0.${i}` } });
    const versions: string[] = [];
    for await (const r of l.history("staging", { perPage: 2 })) versions.push(r.payload.version);
    expect(versions).toEqual(["2.0.4", "2.0.3", "2.0.2", "2.0.1", "2.0.0"]);
    const pages = github.requests.filter((r) => r.method === "GET" && r.path === "/repos/acme/shop/deployments").map((r) => r.query.page);
    expect(pages).toEqual(["1", "2", "3"]);
  });

  it("reads deployments other tools made as foreign records that never count as known good", async () => {
    const octokit = new Octokit({ auth: WRITE, baseUrl: github.url });
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/deployments", {
      owner: "acme",
      repo: "shop",
      ref: "main",
      environment: "production",
      payload: "not json",
    });
    await octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      owner: "acme",
      repo: "shop",
      deployment_id: (data as { id: number }).id,
      state: "success",
    });
    const l = ledger();
    const [record] = (await l.list("production")).records;
    expect(record).toMatchObject({ recordedByCutover: false, state: "success", payload: { ref: "main", sha: SHA, version: "main" } });
    expect(await l.lastKnownGood("production")).toBeUndefined();
    expect((await l.current("production"))?.id).toBe(record?.id);
  });

  it("maps GitHub's other states: error → failure, queued → in_progress", async () => {
    const l = ledger();
    const a = await l.open({ environment: "production", payload });
    const octokit = new Octokit({ auth: WRITE, baseUrl: github.url });
    const route = "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses";
    await octokit.request(route, { owner: "acme", repo: "shop", deployment_id: a.id, state: "queued" });
    expect((await l.get(a.id)).state).toBe("in_progress");
    await octokit.request(route, { owner: "acme", repo: "shop", deployment_id: a.id, state: "error" });
    expect((await l.get(a.id)).state).toBe("failure");
  });

  it("cuts status descriptions to GitHub's 140 characters instead of failing", async () => {
    const l = ledger();
    const a = await l.open({ environment: "production", payload });
    await l.update(a.id, { state: "failure", description: "x".repeat(300) });
    expect(github.deployments("acme/shop")[0]?.statuses.at(-1)?.description).toHaveLength(140);
  });
});

describe("GitHubLedger API errors are clear and never show the token", () => {
  async function failure(promise: Promise<unknown>): Promise<LedgerApiError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LedgerApiError);
    expect(String((error as Error).message)).not.toContain(WRITE);
    expect(String((error as Error).message)).not.toContain("ghs_");
    return error as LedgerApiError;
  }

  it("401 bad credentials names the token input", async () => {
    const error = await failure(ledger("ghs_wrongTokenValue000").current("production"));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(
      /GET \/repos\/acme\/shop\/deployments answered 401 Bad credentials; the token is missing, expired or wrong \(input 'github-token'\)/,
    );
  });

  it("403 read-only token says which permission is missing", async () => {
    const error = await failure(ledger(READ).open({ environment: "production", payload }));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/Resource not accessible by integration; the token needs the 'deployments: write' permission/);
  });

  it("404 unknown repository", async () => {
    const error = await failure(ledger(WRITE, { repository: "acme/nope" }).current("production"));
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/GET \/repos\/acme\/nope\/deployments answered 404 Not Found; check the repository name/);
  });

  it("retries a transient 500 on reads and succeeds", async () => {
    const l = ledger();
    const a = await l.open({ environment: "production", payload });
    github.failWith("server-error", { times: 2 });
    expect((await l.get(a.id)).id).toBe(a.id);
  });

  it("a lasting 500 fails after its attempts, and a POST of a deployment is not retried", async () => {
    github.failWith("server-error");
    const read = await failure(ledger().current("production"));
    expect(read.message).toMatch(/answered 500 Server Error \(after 3 attempts\)/);
    const before = github.requests.length;
    const write = await failure(ledger().open({ environment: "production", payload }));
    expect(write.message).toMatch(/POST \/repos\/acme\/shop\/deployments answered 500/);
    expect(github.requests.length - before).toBe(1);
    expect(github.deployments("acme/shop")).toHaveLength(0);
  });

  it("403 rate limited is reported with its reset time and not retried", async () => {
    github.failWith("rate-limited");
    const before = github.requests.length;
    const error = await failure(ledger().current("production"));
    expect(error.message).toMatch(/403 API rate limit exceeded .*; rate limited until \d{4}-\d\d-\d\dT/);
    expect(github.requests.length - before).toBe(1);
  });

  it("a server that does not answer in time fails with the timeout", async () => {
    github.delayMs = 400;
    const error = await failure(ledger(WRITE, { timeoutMs: 100, retries: 1 }).current("production"));
    expect(error.message).toMatch(/did not answer within 100ms \(2 attempts\)/);
  });

  it("cancellation stops the call at once and is not retried", async () => {
    github.delayMs = 1_000;
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new CancelledError("cancelled by SIGTERM")), 50);
    const before = github.requests.length;
    await expect(ledger(WRITE, { signal: controller.signal }).current("production")).rejects.toThrow(CancelledError);
    expect(performance.now() - started).toBeLessThan(500);
    expect(github.requests.length - before).toBeLessThanOrEqual(1);
  });

  it("422 from a bad ref is passed on with GitHub's message", async () => {
    const error = await failure(ledger().open({ environment: "production", payload: { ...payload, sha: "not-a-sha", ref: "nope" } }));
    expect(error.message).toMatch(/answered 422 No ref found for: nope/);
  });
});
