import { readFileSync } from "node:fs";
import { createRouter, type Router, RouterError, routerSchema } from "@cutover/traffic";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HaproxyInstance, startHaproxy } from "../../../test/services/haproxy.js";
import { type SshdInstance, startSshd } from "../../../test/services/sshd.js";
import { startTwoColorApps, type TwoColorApps } from "../../../test/services/two-color-app.js";

let apps: TwoColorApps;
let haproxy: HaproxyInstance;
const open: Router[] = [];

beforeAll(async () => {
  apps = await startTwoColorApps();
  // Two servers per color (the same app twice) so weights spread over several servers.
  haproxy = await startHaproxy({
    servers: { blue1: apps.blue.address, blue2: apps.blue.address, green1: apps.green.address, green2: apps.green.address },
    disabled: ["green1", "green2"],
  });
});
afterAll(async () => {
  await haproxy?.stop();
  await apps?.close();
});

const block = (overrides: Record<string, unknown> = {}) => ({
  provider: "haproxy",
  "admin-socket": haproxy.adminSocket,
  backend: "app",
  colors: { blue: ["blue1", "blue2"], green: ["green1", "green2"] },
  "drain-timeout": "10s",
  "state-file": haproxy.stateFile,
  ...overrides,
});

async function router(overrides: Record<string, unknown> = {}, context = {}): Promise<Router> {
  const r = await createRouter(routerSchema.parse(block(overrides)), context);
  open.push(r);
  return r;
}

beforeEach(async () => {
  await (await router()).switchTo("blue");
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/** The color of each answer to `count` requests on fresh connections (as new clients arrive). */
async function served(count: number, path = "/"): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${haproxy.url}${path}`, { headers: { connection: "close" } });
    const color = res.headers.get("x-color") ?? `status ${res.status}`;
    await res.text();
    counts[color] = (counts[color] ?? 0) + 1;
  }
  return counts;
}

/** srv_admin_state of each server, from the real `show servers state`. */
async function adminStates(): Promise<Record<string, number>> {
  const lines = (await haproxy.call("show servers state app")).split("\n").filter((l) => /^\d+ app /.test(l));
  return Object.fromEntries(lines.map((l) => l.split(" ")).map((f) => [f[3] as string, Number(f[6])]));
}

describe("provider: haproxy against a real HAProxy 2.x (runtime API, no reload)", () => {
  it("serializes two switches of one backend at once: one moves traffic, the other finds it moved (issue 12 item 5)", async () => {
    const [a, b] = await Promise.all([(await router()).switchTo("green"), (await router()).switchTo("green")]);
    const results = [a, b].sort((x, y) => Number(y.changed) - Number(x.changed));
    expect(results.map((r) => ({ previous: r.previous, active: r.active, changed: r.changed }))).toEqual([
      { previous: "blue", active: "green", changed: true },
      { previous: "green", active: "green", changed: false },
    ]);
    expect(await served(6)).toEqual({ green: 6 });
  });

  it("switches, reports status and weights, and switching again changes nothing", async () => {
    const r = await router();
    expect(await r.status()).toBe("blue");
    expect(await served(6)).toEqual({ blue: 6 });

    const result = await r.switchTo("green");
    expect(result).toMatchObject({ previous: "blue", active: "green", changed: true, weights: { blue: 0, green: 100 } });
    expect(result.steps.map((s) => s.name)).toEqual(["ready", "drain", "drain-wait", "maint", "save-state"]);
    expect(await r.status()).toBe("green");
    expect(await r.weights()).toEqual({ blue: 0, green: 100 });
    expect(await served(6)).toEqual({ green: 6 });
    // Old color in forced maintenance (0x01), new color ready.
    const states = await adminStates();
    expect(states.blue1 !== undefined && states.blue1 & 1).toBe(1);
    expect((states.green1 ?? -1) & 0x09).toBe(0);

    expect(await r.switchTo("green")).toMatchObject({ changed: false, steps: [] });
    // The HAProxy process was never reloaded: the same worker answers.
    expect(haproxy.output()).not.toMatch(/reexec|Reloading/i);
  });

  it("drains the old color: a slow request in flight finishes on it, new requests go to the new color", async () => {
    const r = await router();
    const slow = fetch(`${haproxy.url}/?delay=1500`).then(async (res) => ({
      status: res.status,
      color: res.headers.get("x-color"),
      body: await res.text(),
    }));
    // Wait until HAProxy counts the slow request as a session on a blue server.
    for (let i = 0; i < 100; i++) {
      const stat = await haproxy.call("show stat app 4 -1");
      if (/^app,blue\d,\d+,\d+,[1-9]/m.test(stat)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const switching = r.switchTo("green");
    // While the switch waits for the drain, new clients already reach green.
    for (let i = 0; i < 100 && !Object.values(await adminStates()).some((s) => s & 0x08); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Object.values(await adminStates()).some((s) => s & 0x08)).toBe(true);
    expect(await served(3)).toEqual({ green: 3 });
    const result = await switching;
    expect(await slow).toMatchObject({ status: 200, color: "blue" });
    expect(result.steps.find((s) => s.name === "drain-wait")?.output).toMatch(/^drained in/);
  });

  it("goes to maint when drain-timeout passes, without cutting the request still in flight", async () => {
    const r = await router({ "drain-timeout": "200ms" });
    const slow = fetch(`${haproxy.url}/?delay=2500`).then((res) => ({ status: res.status, color: res.headers.get("x-color") }));
    for (let i = 0; i < 100; i++) {
      if (/^app,blue\d,\d+,\d+,[1-9]/m.test(await haproxy.call("show stat app 4 -1"))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const result = await r.switchTo("green");
    expect(result.steps.find((s) => s.name === "drain-wait")?.output).toMatch(
      /1 session\(s\) still open .*drain-timeout 200ms.*maint anyway/,
    );
    expect(await slow).toEqual({ status: 200, color: "blue" });
  });

  it("splits traffic by weight across both colors, and reports the split", async () => {
    const r = await router();
    const result = await r.setWeights({ blue: 90, green: 10 });
    expect(result).toMatchObject({ previous: "blue", active: "blue", changed: true, weights: { blue: 90, green: 10 } });
    expect(await r.weights()).toEqual({ blue: 90, green: 10 });
    expect(await r.status()).toBe("blue");
    const counts = await served(100);
    // Weighted round robin is deterministic: 90 to 10 over 100 new connections, give or take the cycle's start.
    expect(counts.green).toBeGreaterThanOrEqual(8);
    expect(counts.green).toBeLessThanOrEqual(12);
    expect((counts.blue ?? 0) + (counts.green ?? 0)).toBe(100);

    await r.setWeights({ blue: 50, green: 50 });
    // An even split counts for the color that had all traffic before it.
    expect(await r.status()).toBe("blue");
    expect(await (await router()).weights()).toEqual({ blue: 50, green: 50 });
    await r.setWeights({ blue: 0, green: 100 });
    expect(await r.weights()).toEqual({ blue: 0, green: 100 });
    expect(await served(4)).toEqual({ green: 4 });
  });

  it("keeps the switch over a reload and a restart through state-file", async () => {
    const r = await router();
    await r.switchTo("green");
    expect(readFileSync(haproxy.stateFile, "utf8")).toMatch(/^1\n# be_id/);
    await haproxy.reload();
    expect(await r.status()).toBe("green");
    expect(await served(4)).toEqual({ green: 4 });
    await haproxy.restart();
    expect(await r.status()).toBe("green");
    expect(await served(4)).toEqual({ green: 4 });
    await r.setWeights({ blue: 20, green: 80 });
    await haproxy.reload();
    expect(await r.weights()).toEqual({ blue: 20, green: 80 });
  });

  it("refuses a missing server or backend before anything changes", async () => {
    const before = await haproxy.call("show servers state app");
    const missingServer = await router({ colors: { blue: ["blue1"], green: ["green1", "green9"] } });
    const error = await missingServer.switchTo("green").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).message).toMatch(/backend 'app' has no server green9 \(router\.colors\.green\).*Nothing was changed/);
    expect((error as RouterError).details.unchanged).toBe(true);

    const missingBackend = await router({ backend: "shop" });
    await expect(missingBackend.switchTo("green")).rejects.toThrow(
      /HAProxy has no backend 'shop' \(router\.backend\); nothing was changed/,
    );
    // Same states (the time-since-last-change column aside).
    const strip = (text: string) => text.replace(/^(\d+ app \d+ \S+ \S+ \d+ \d+ \d+ \d+) \d+/gm, "$1");
    expect(strip(await haproxy.call("show servers state app"))).toBe(strip(before));
    expect(await served(3)).toEqual({ blue: 3 });
  });
});

describe("provider: haproxy over ssh (real sshd; socat on the far side)", () => {
  let sshd: SshdInstance;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("switches, splits and reports through the same ssh block and secrets as nginx", async () => {
    const r = await router(
      { ssh: { host: sshd.host, port: sshd.port, user: sshd.user } },
      { sshKey: sshd.privateKey, knownHosts: sshd.knownHosts },
    );
    expect(r.describe()).toBe(`HAProxy backend 'app' via ${haproxy.adminSocket} on root@127.0.0.1:${sshd.port}`);
    expect(await r.status()).toBe("blue");
    const result = await r.switchTo("green");
    expect(result).toMatchObject({ previous: "blue", active: "green", changed: true });
    expect(await served(4)).toEqual({ green: 4 });
    await r.setWeights({ blue: 10, green: 90 });
    expect(await r.weights()).toEqual({ blue: 10, green: 90 });
    await haproxy.reload();
    expect(await r.weights()).toEqual({ blue: 10, green: 90 });
  });
});
