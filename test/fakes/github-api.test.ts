import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHubApi, startFakeGitHubApi } from "./github-api.js";

// The fake must hold to GitHub's rules, or tests built on it prove nothing.

const TOKEN = "ghs_fakeApiSelfTestToken01";
const SHA = "fedcba9876543210fedcba9876543210fedcba98";
let github: FakeGitHubApi;

beforeAll(async () => {
  github = await startFakeGitHubApi({ tokens: { [TOKEN]: "write" }, repositories: ["acme/shop", "acme/pages"], refs: { main: SHA } });
});
afterAll(async () => {
  await github.close();
});

async function call(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${TOKEN}`) {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { accept: "application/vnd.github+json", ...(auth ? { authorization: auth } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown> & { id: number; state: string }[],
  };
}

describe("fake GitHub API", () => {
  it("answers 401 with GitHub's error shape for missing and bad credentials", async () => {
    const missing = await call("GET", "/repos/acme/shop/deployments", undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({
      message: "Requires authentication",
      documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com/),
    });
    const bad = await call("GET", "/repos/acme/shop/deployments", undefined, "token nope");
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ message: "Bad credentials", documentation_url: expect.any(String) });
  });

  it("answers 404 for unknown repositories, deployments and routes", async () => {
    expect((await call("GET", "/repos/acme/none/deployments")).status).toBe(404);
    expect((await call("GET", "/repos/acme/shop/deployments/42")).body).toMatchObject({ message: "Not Found" });
    expect((await call("GET", "/repos/acme/shop/releases")).status).toBe(404);
  });

  it("validates bodies: missing ref, wrong types, unknown ref, bad state, long description, bad JSON", async () => {
    const noRef = await call("POST", "/repos/acme/shop/deployments", { environment: "x" });
    expect(noRef.status).toBe(422);
    expect(noRef.body.message).toBe(`Invalid request.\n\n"ref" wasn't supplied.`);
    expect((await call("POST", "/repos/acme/shop/deployments", { ref: "main", auto_merge: "no" })).body.message).toMatch(
      /For 'properties\/auto_merge', "no" is not a boolean/,
    );
    expect((await call("POST", "/repos/acme/shop/deployments", { ref: "main", payload: 5 })).status).toBe(422);
    expect((await call("POST", "/repos/acme/shop/deployments", { ref: "nope" })).body.message).toBe("No ref found for: nope");
    expect((await call("POST", "/repos/acme/shop/deployments", "{oops")).status).toBe(400);
    const created = await call("POST", "/repos/acme/shop/deployments", { ref: "main", environment: "qa" });
    const statuses = `/repos/acme/shop/deployments/${created.body.id}/statuses`;
    expect((await call("POST", statuses, { state: "done" })).body.message).toMatch(/For 'properties\/state', "done" is not one of/);
    const long = await call("POST", statuses, { state: "success", description: "y".repeat(141) });
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject({ message: "Validation Failed", errors: [{ field: "description" }] });
  });

  it("stores payload as given and resolves refs to SHAs", async () => {
    const object = await call("POST", "/repos/acme/pages/deployments", { ref: "main", payload: { a: 1 } });
    expect(object.status).toBe(201);
    expect(object.body).toMatchObject({
      sha: SHA,
      ref: "main",
      payload: { a: 1 },
      environment: "production",
      production_environment: true,
    });
    const text = await call("POST", "/repos/acme/pages/deployments", { ref: SHA, payload: '{"b":2}' });
    expect((await call("GET", `/repos/acme/pages/deployments/${text.body.id}`)).body.payload).toBe('{"b":2}');
  });

  it("lists newest first with per_page, page and Link headers", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await call("POST", "/repos/acme/shop/deployments", { ref: "main", environment: "paged" })).body.id as number);
    const first = await call("GET", "/repos/acme/shop/deployments?environment=paged&per_page=2");
    expect(first.body.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    const link = first.headers.get("link") ?? "";
    expect(link).toContain('page=2>; rel="next"');
    expect(link).toContain('page=3>; rel="last"');
    const middle = await call("GET", "/repos/acme/shop/deployments?environment=paged&per_page=2&page=2");
    expect(middle.headers.get("link")).toMatch(/rel="prev".*rel="next".*rel="last".*rel="first"/);
    const last = await call("GET", "/repos/acme/shop/deployments?environment=paged&per_page=2&page=3");
    expect(last.body.map((d) => d.id)).toEqual([ids[0]]);
    expect(last.headers.get("link")).not.toContain('rel="next"');
    const single = await call("GET", "/repos/acme/shop/deployments?environment=paged&per_page=500");
    expect(single.body).toHaveLength(5);
    expect(single.headers.get("link")).toBeNull();
  });

  it("auto_inactive deactivates older successes outside production only", async () => {
    const deploy = async (environment: string) => {
      const d = await call("POST", "/repos/acme/shop/deployments", {
        ref: "main",
        environment,
        production_environment: environment === "prod-like",
      });
      await call("POST", `/repos/acme/shop/deployments/${d.body.id}/statuses`, { state: "success" });
      return d.body.id as number;
    };
    const latestState = async (id: number) => (await call("GET", `/repos/acme/shop/deployments/${id}/statuses`)).body[0]?.state;
    const stagingA = await deploy("staging-auto");
    await deploy("staging-auto");
    expect(await latestState(stagingA)).toBe("inactive");
    const prodA = await deploy("prod-like");
    await deploy("prod-like");
    expect(await latestState(prodA)).toBe("success");
  });

  it("can answer 500 or 403 rate-limited for a number of requests", async () => {
    github.failWith("server-error", { times: 1 });
    expect((await call("GET", "/repos/acme/shop/deployments")).status).toBe(500);
    github.failWith("rate-limited", { times: 1 });
    const limited = await call("GET", "/repos/acme/shop/deployments");
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.body.message).toMatch(/API rate limit exceeded/);
    expect((await call("GET", "/repos/acme/shop/deployments")).status).toBe(200);
  });
});
