import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import http from "node:http";
import { dirname, join } from "node:path";
import { createRouter, type Router, renderUpstreamFile, routerSchema, type SwitchResult } from "@cutover/traffic";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "../harness/run-action.js";
import { type NginxInstance, startNginx } from "../services/nginx.js";
import { startTwoColorApps, type TwoColorApps } from "../services/two-color-app.js";

// Issue 12, items 3 and 5: a switch killed between writing the upstream file and nginx's reload
// must not leave status lying, and two switches of one router at once must not both claim success.

let apps: TwoColorApps;
let nginx: NginxInstance;
let routers: Router[] = [];

beforeAll(async () => {
  apps = await startTwoColorApps({ blue: "1", green: "2" });
  nginx = await startNginx({ upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "blue") });
});
afterAll(async () => {
  await nginx?.stop();
  await apps?.close();
});
afterEach(async () => {
  for (const router of routers) await router.close();
  routers = [];
});

const intentFile = () => join(dirname(nginx.upstreamFile), ".app-upstream.conf.cutover-intent");
const lockDir = () => join(dirname(nginx.upstreamFile), ".app-upstream.conf.cutover-lock");

const routerBlock = (overrides: Record<string, unknown> = {}) => ({
  provider: "nginx",
  "upstream-file": nginx.upstreamFile,
  colors: apps.colors,
  "test-command": nginx.testCommand,
  "reload-command": nginx.reloadCommand,
  ...overrides,
});

async function router(overrides: Record<string, unknown> = {}): Promise<Router> {
  const created = await createRouter(routerSchema.parse(routerBlock(overrides)));
  routers.push(created);
  return created;
}

/** Back to blue, nothing pending, before each test. A switch settles an interrupted one. */
beforeEach(async () => {
  await (await router()).switchTo("blue");
  await waitForColor("blue");
  expect(existsSync(intentFile())).toBe(false);
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

/** Five new connections in a row reach `color` (old and new workers accept side by side for a moment after a reload). */
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

/**
 * A command that SIGKILLs the action running it ($PPID of the shell is the action's node process)
 * once the file names green: the version probe, which runs the test command with -v, is spared.
 */
const killOnceGreen = (command: string) => `${command} && if grep -q 'active-color=green' '${nginx.upstreamFile}'; then kill -9 $PPID; fi`;

describe("a switch killed between writing the upstream file and nginx's reload (real nginx)", () => {
  it("after the write, before the reload: status refuses instead of naming green while nginx serves blue", async () => {
    const killed = await swap({ router: JSON.stringify(routerBlock({ "test-command": killOnceGreen(nginx.testCommand) })) });
    expect(killed.signal, killed.stdout + killed.stderr).toBe("SIGKILL");
    expect(readFileSync(nginx.upstreamFile, "utf8")).toContain("active-color=green");
    await waitForColor("blue");

    const status = await swap({ mode: "status", router: JSON.stringify(routerBlock()) });
    expect(status.exitCode).toBe(1);
    const message = status.annotations.find((a) => a.level === "error")?.message ?? "";
    expect(message).toMatch(/from blue to green .* was interrupted between writing .* and nginx reloading it/s);
    expect(message).toContain("nginx may still serve blue, so the active color is unknown");
    expect(message).toContain("`to: blue` or `to: green`");
    expect(message).toContain(`remove ${intentFile()}`);
    // Never the live color as idle, never the file's color as active.
    expect(status.outputs["idle-color"]).not.toBe("blue");
    expect(status.outputs["active-color"]).not.toBe("green");

    // `to: idle` cannot be resolved against an unknown color: it refuses and changes nothing.
    const idle = await swap({ router: JSON.stringify(routerBlock()) });
    expect(idle.exitCode).toBe(1);
    expect(idle.annotations.find((a) => a.level === "error")?.message).toContain("was interrupted");
    expect(idle.outputs.switched).toBe("false");
    await waitForColor("blue");

    // The way out the message gives: switch to the color that should serve.
    const settle = await swap({ router: JSON.stringify(routerBlock()), to: "blue" });
    expect(settle.exitCode, settle.stdout).toBe(0);
    expect(settle.annotations.some((a) => a.level === "warning" && a.message.includes("Switching to blue as asked settles it"))).toBe(true);
    expect(existsSync(intentFile())).toBe(false);
    const after = await swap({ mode: "status", router: JSON.stringify(routerBlock()) });
    expect(after.outputs).toMatchObject({ "active-color": "blue", "idle-color": "green" });
    await waitForColor("blue");
  });

  it("after the reload, before the intent is cleared: status refuses, and a switch to green settles it", async () => {
    const killed = await swap({ router: JSON.stringify(routerBlock({ "reload-command": killOnceGreen(nginx.reloadCommand) })) });
    expect(killed.signal, killed.stdout + killed.stderr).toBe("SIGKILL");
    await waitForColor("green");

    const status = await swap({ mode: "status", router: JSON.stringify(routerBlock()) });
    expect(status.exitCode).toBe(1);
    expect(status.annotations.find((a) => a.level === "error")?.message).toMatch(/from blue to green .* was interrupted/s);
    expect(status.outputs["idle-color"]).not.toBe("green");

    // The file already says green: the settling switch reloads it anyway instead of calling it a no-op.
    const settle = await swap({ router: JSON.stringify(routerBlock()), to: "green", "verify-url": nginx.url });
    expect(settle.exitCode, settle.stdout).toBe(0);
    expect(settle.outputs).toMatchObject({ "active-color": "green", "previous-color": "" });
    expect(settle.outputs.report).toContain('"name":"reload"');
    expect(existsSync(intentFile())).toBe(false);
    const after = await swap({ mode: "status", router: JSON.stringify(routerBlock()) });
    expect(after.outputs).toMatchObject({ "active-color": "green", "idle-color": "blue" });
    await waitForColor("green");
  });
});

describe("two switches of one router at once (real nginx)", () => {
  it("serializes two switches to green: one moves traffic, the other finds it moved", async () => {
    const [a, b] = await Promise.all([(await router()).switchTo("green"), (await router()).switchTo("green")]);
    const results = [a, b].sort((x, y) => Number(y.changed) - Number(x.changed));
    expect(results.map((r) => ({ previous: r.previous, active: r.active, changed: r.changed }))).toEqual([
      { previous: "blue", active: "green", changed: true },
      { previous: "green", active: "green", changed: false },
    ]);
    await waitForColor("green");
    expect(existsSync(lockDir())).toBe(false);
  });

  it("serializes a switch to green and one to blue: each one's result is what nginx did, the last one is served", async () => {
    const results: SwitchResult[] = await Promise.all([(await router()).switchTo("green"), (await router()).switchTo("blue")]);
    const toGreen = results[0] as SwitchResult;
    const toBlue = results[1] as SwitchResult;
    // Either green went first (blue → green, then green → blue) or blue did (a no-op, then blue → green).
    const greenFirst = toBlue.previous === "green";
    if (greenFirst) {
      expect(toGreen).toMatchObject({ previous: "blue", changed: true });
      expect(toBlue).toMatchObject({ previous: "green", changed: true });
    } else {
      expect(toBlue).toMatchObject({ previous: "blue", changed: false });
      expect(toGreen).toMatchObject({ previous: "blue", changed: true });
    }
    const last = greenFirst ? "blue" : "green";
    await waitForColor(last);
    expect(await (await router()).status()).toBe(last);
  });

  it("takes over a lock left by a process that is gone", async () => {
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    mkdirSync(lockDir());
    writeFileSync(join(lockDir(), "owner"), `host=${(await import("node:os")).hostname()} pid=${gone.stdout} token=dead\n`);
    const result = await (await router()).switchTo("green");
    expect(result).toMatchObject({ previous: "blue", active: "green", changed: true });
    expect(existsSync(lockDir())).toBe(false);
    await waitForColor("green");
  });

  it("takes over a lock older than the longest switch, whoever wrote it", async () => {
    mkdirSync(lockDir());
    writeFileSync(join(lockDir(), "owner"), "host=another-runner pid=1 token=old\n");
    // command-timeout 1s: no live switch holds the lock longer than 4 × 1s + 3 min.
    const old = new Date(Date.now() - 60 * 60_000);
    utimesSync(lockDir(), old, old);
    const result = await (await router({ "command-timeout": "1s" })).switchTo("green");
    expect(result).toMatchObject({ previous: "blue", changed: true });
    expect(existsSync(lockDir())).toBe(false);
  });
});
