import http from "node:http";
import { GitHubLedger } from "@cutover/ledger";
import { createRouter, renderUpstreamFile, routerSchema } from "@cutover/traffic";
import { Octokit } from "@octokit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHubApi, startFakeGitHubApi } from "../../../test/fakes/github-api.js";
import { runAction, visibleText } from "../../../test/harness/run-action.js";
import { startLoad } from "../../../test/services/load-generator.js";
import { type NginxInstance, startNginx } from "../../../test/services/nginx.js";
import { startTwoColorApps, type TwoColorApps } from "../../../test/services/two-color-app.js";

// A traffic rollback through a real nginx under load, recorded in the (fake) GitHub Deployments API.

const TOKEN = "ghs_rollbackE2eToken0123456789";
let apps: TwoColorApps;
let nginx: NginxInstance;
let github: FakeGitHubApi;

beforeAll(async () => {
  apps = await startTwoColorApps({ blue: "1.0.0", green: "2.0.0" });
  // 2.0.0 on green is live; blue still runs 1.0.0.
  nginx = await startNginx({ upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "green") });
  github = await startFakeGitHubApi({ tokens: { [TOKEN]: "write" }, repositories: ["acme/shop"] });
});
afterAll(async () => {
  await nginx?.stop();
  await apps?.close();
  await github?.close();
});

const routerBlock = () => ({
  provider: "nginx",
  "upstream-file": nginx.upstreamFile,
  colors: apps.colors,
  "test-command": nginx.testCommand,
  "reload-command": nginx.reloadCommand,
});

/** The color and version a brand-new connection gets. */
function served(): Promise<{ color: string; version: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(nginx.url, { agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve(JSON.parse(body)));
      })
      .on("error", reject);
  });
}

describe("rollback strategy traffic against a real nginx", () => {
  it("restores 1.0.0 with zero failed requests under load and records it in the ledger", async () => {
    const ledger = new GitHubLedger({ client: new Octokit({ auth: TOKEN, baseUrl: github.url }), repository: "acme/shop" });
    const v1 = await ledger.open({
      environment: "production",
      payload: { version: "1.0.0", ref: "v1.0.0", sha: "1".repeat(40), color: "blue", replacedColor: "green" },
    });
    await ledger.update(v1.id, { state: "success" });
    const v2 = await ledger.open({
      environment: "production",
      payload: { version: "2.0.0", ref: "v2.0.0", sha: "2".repeat(40), color: "green", replacedColor: "blue" },
    });
    await ledger.update(v2.id, { state: "success" });
    expect(await served()).toEqual({ color: "green", version: "2.0.0" });

    const load = startLoad({ url: nginx.url, rate: 300, sockets: 16 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = await runAction(
      "rollback",
      {
        environment: "production",
        "github-token": TOKEN,
        router: JSON.stringify(routerBlock()),
        "verify-url": nginx.url,
        "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "{version}" }',
        "verify-deadline": "10s",
        reason: "2.0.0 returns 500 on checkout",
      },
      { env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: "acme/shop" } },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stats = await load.stop();
    console.log(
      `rollback under load: ${JSON.stringify(stats)}; report timings ${JSON.stringify(JSON.parse(run.outputs.report ?? "{}").timings)}`,
    );

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ strategy: "traffic", "target-version": "1.0.0", "active-color": "blue" });
    // The probe asked blue's own server which version it runs, so traffic was chosen on evidence.
    expect(run.log).toContain("Strategy: traffic (the blue color reports 1.0.0)");
    for (let i = 0; i < 5; i++) expect(await served()).toEqual({ color: "blue", version: "1.0.0" });

    expect(stats.failed, JSON.stringify(stats.errors)).toBe(0);
    expect(stats.errors).toEqual({});
    // One reload closes each idle keep-alive connection at most once; resends are counted, not hidden.
    expect(stats.resent).toBeLessThanOrEqual(16);
    expect(stats.byColor.green).toBeGreaterThan(0);
    expect(stats.byColor.blue).toBeGreaterThan(0);

    const id = Number(run.outputs["deployment-id"]);
    const record = await ledger.get(id);
    expect(record).toMatchObject({
      state: "success",
      payload: {
        version: "1.0.0",
        color: "blue",
        replacedColor: "green",
        rollback: { fromId: v2.id, strategy: "traffic", reason: "2.0.0 returns 500 on checkout" },
      },
    });
    expect((await ledger.get(v2.id)).state).toBe("failure");
    expect((await ledger.current("production"))?.id).toBe(id);
    expect(visibleText(run)).not.toContain(TOKEN);

    // Nothing left half done: the managed file names blue and nginx -t accepts it.
    const router = await createRouter(routerSchema.parse(routerBlock()));
    expect(await router.status()).toBe("blue");
    await router.close();
  });
});
