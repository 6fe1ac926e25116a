import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { dirname } from "node:path";
import { createRouter, renderUpstreamFile, routerSchema } from "@cutover/traffic";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction, shown, visibleText } from "../../../test/harness/run-action.js";
import { startLoad } from "../../../test/services/load-generator.js";
import { type NginxInstance, startNginx } from "../../../test/services/nginx.js";
import { type SshdInstance, startSshd } from "../../../test/services/sshd.js";
import { startTwoColorApps, type TwoColorApps } from "../../../test/services/two-color-app.js";

let apps: TwoColorApps;
let nginx: NginxInstance;

beforeAll(async () => {
  apps = await startTwoColorApps({ blue: "1", green: "2" });
  nginx = await startNginx({ upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "blue") });
});
afterAll(async () => {
  await nginx?.stop();
  await apps?.close();
});

const routerBlock = (overrides: Record<string, unknown> = {}) => ({
  provider: "nginx",
  "upstream-file": nginx.upstreamFile,
  colors: apps.colors,
  "test-command": nginx.testCommand,
  "reload-command": nginx.reloadCommand,
  ...overrides,
});

/** Back to blue serving version 1 and green version 2 before each test. */
beforeEach(async () => {
  apps.green.setVersion("2");
  const router = await createRouter(routerSchema.parse(routerBlock()));
  await router.switchTo("blue");
  await router.close();
  await waitForColor("blue");
});

/** The color nginx sends a brand-new connection to. */
function servedColor(): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(nginx.url, { agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve((JSON.parse(body) as { color: string }).color));
      })
      .on("error", reject);
  });
}

/**
 * Waits until five new connections in a row reach `color`. nginx's master lets old and new
 * workers accept side by side for about 100ms after a reload, so one answer proves little.
 */
async function waitForColor(color: string): Promise<void> {
  const seen: string[] = [];
  for (let inARow = 0, i = 0; inARow < 5 && i < 100; i++) {
    const served = await servedColor();
    seen.push(served);
    inARow = served === color ? inARow + 1 : 0;
    if (inARow < 5) await new Promise((resolve) => setTimeout(resolve, 30));
  }
  expect(seen.slice(-5), `colors seen: ${seen.join(" ")}`).toEqual(Array(5).fill(color));
}

const swap = (inputs: Record<string, string>) => runAction("blue-green-swap", { "verify-deadline": "10s", ...inputs });

describe("blue-green-swap against a real nginx and two real app instances", () => {
  it("reports status, switches to green with verification, and switches back", async () => {
    const router = JSON.stringify(routerBlock());
    const status = await swap({ mode: "status", router });
    expect(status.outputs).toMatchObject({ "active-color": "blue", "idle-color": "green" });

    const toGreen = await swap({
      router,
      "verify-url": nginx.url,
      "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "2" }',
    });
    expect(toGreen.exitCode, toGreen.stdout).toBe(0);
    expect(toGreen.outputs).toMatchObject({ "previous-color": "blue", "active-color": "green", "idle-color": "blue", switched: "true" });
    expect(await servedColor()).toBe("green");
    expect(JSON.parse(toGreen.outputs.report as string).verification).toMatchObject({ ok: true });

    const back = await swap({
      router,
      "verify-url": nginx.url,
      "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "1" }',
    });
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.outputs).toMatchObject({ "previous-color": "green", "active-color": "blue", switched: "true" });
    expect(await servedColor()).toBe("blue");
  });

  it("keeps the old file and the old color serving when nginx -t rejects the new config", async () => {
    const before = readFileSync(nginx.upstreamFile, "utf8");
    const run = await swap({
      router: JSON.stringify(routerBlock({ colors: { ...apps.colors, green: ["127.0.0.1:99999"] } })),
      "verify-url": nginx.url,
    });
    expect(run.exitCode).toBe(1);
    const error = shown(run.annotations.find((annotation) => annotation.level === "error"));
    expect(error).toMatch(/invalid port in upstream \\?"127\.0\.0\.1:99999/);
    expect(error).toContain("nothing was reloaded");
    expect(run.outputs).toMatchObject({ "active-color": "blue", switched: "false", reverted: "false" });
    expect(readFileSync(nginx.upstreamFile, "utf8")).toBe(before);
    expect(readdirSync(dirname(nginx.upstreamFile))).toEqual(["app-upstream.conf"]);
    expect(await servedColor()).toBe("blue");
  });

  it("reverts automatically when green answers the wrong version", async () => {
    apps.green.setVersion("1.9");
    const run = await swap({
      router: JSON.stringify(routerBlock()),
      "verify-url": nginx.url,
      "verify-expect": 'json: { $.version: "2" }',
      "verify-deadline": "1s",
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ "previous-color": "blue", "active-color": "blue", switched: "false", reverted: "true" });
    const failure = run.annotations.find((annotation) => annotation.level === "error");
    expect(shown(failure)).toMatch(/measured "1\.9", expected 2/);
    expect(shown(failure)).toContain("traffic was reverted to blue");
    await waitForColor("blue");
    expect(readFileSync(nginx.upstreamFile, "utf8")).toContain("# cutover:active-color=blue");
  });

  it("drops no request during ten back-to-back verified switches under load", async () => {
    const router = JSON.stringify(routerBlock());
    const load = startLoad({ url: nginx.url, rate: 300, sockets: 16 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const durations: number[] = [];
    for (let i = 0; i < 10; i++) {
      const run = await swap({ router, "verify-url": nginx.url, "verify-expect": 'headers: { x-color: "{color}" }' });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.switched).toBe("true");
      durations.push(Number(run.outputs["duration-ms"]));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stats = await load.stop();
    console.log(`load: ${JSON.stringify(stats)}; switch durations (ms): ${durations.join(", ")}`);
    expect(stats.errors).toEqual({});
    expect(stats.failed).toBe(0);
    // A reload closes each idle keep-alive connection at most once: resends are bounded by that,
    // so they cannot hide a failing color (which would fail every request, resent or not).
    expect(stats.resent).toBeLessThanOrEqual(16 * 10);
    expect(stats.requestsPerSecond).toBeGreaterThanOrEqual(200);
    expect(stats.byColor.blue).toBeGreaterThan(0);
    expect(stats.byColor.green).toBeGreaterThan(0);
    expect(await servedColor()).toBe("blue");
  });

  describe("over ssh (a real sshd on 127.0.0.1)", () => {
    let sshd: SshdInstance;
    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    const sshRouter = () => JSON.stringify(routerBlock({ ssh: { host: sshd.host, port: sshd.port, user: sshd.user } }));

    it("reads the status, switches with verification and back, with the key never shown", async () => {
      const secrets = { "ssh-key": sshd.privateKey, "ssh-known-hosts": sshd.knownHosts };
      const status = await swap({ mode: "status", router: sshRouter(), ...secrets });
      expect(status.exitCode, status.stdout + status.stderr).toBe(0);
      expect(status.outputs).toMatchObject({ "active-color": "blue" });

      const toGreen = await swap({
        router: sshRouter(),
        ...secrets,
        "verify-url": nginx.url,
        "verify-expect": "json: { $.color: '{color}', $.version: '2' }",
      });
      expect(toGreen.exitCode, toGreen.stdout).toBe(0);
      expect(toGreen.log).toContain(`on root@127.0.0.1:${sshd.port}`);
      expect(await servedColor()).toBe("green");

      const back = await swap({ router: sshRouter(), ...secrets, to: "blue" });
      expect(back.outputs).toMatchObject({ "previous-color": "green", "active-color": "blue", switched: "true" });
      await waitForColor("blue");
      const keyBody = sshd.privateKey.split("\n")[1] as string;
      for (const run of [status, toGreen, back]) expect(visibleText(run)).not.toContain(keyBody);
    });

    it("refuses a host whose key does not match ssh-known-hosts, changing nothing", async () => {
      const wrongHostKey = `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`;
      const before = readFileSync(nginx.upstreamFile, "utf8");
      const run = await swap({ router: sshRouter(), "ssh-key": sshd.privateKey, "ssh-known-hosts": wrongHostKey });
      expect(run.exitCode).toBe(1);
      // A configuration error naming the input and the fix, not an "unexpected error" quoting ssh.
      expect(run.annotations[0]?.message).toMatch(
        /input 'ssh-known-hosts': got a key for \[127\.0\.0\.1\]:\d+ that does not match the key the host offered/,
      );
      expect(readFileSync(nginx.upstreamFile, "utf8")).toBe(before);
    });
  });
});
