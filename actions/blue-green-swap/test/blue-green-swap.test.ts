import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction, shown, startAction, visibleText } from "../../../test/harness/run-action.js";
import { closedPort, startTestServer, type TestServer } from "../../../test/harness/test-server.js";

let dir: string;
let state: string;
let server: TestServer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cutover-bgs-"));
  state = join(dir, "active");
  writeFileSync(state, "blue");
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A platform driven by commands: its routing state is a file the switch command rewrites. */
const commandRouter = () =>
  JSON.stringify({
    provider: "command",
    "switch-command": `printf %s "$CUTOVER_COLOR" > ${state}`,
    "status-command": `cat ${state}`,
    "command-timeout": "5s",
  });

/** The public URL of that platform: answers as whichever color the state file names. */
async function publicUrl(
  answer: (color: string) => { version: string; color: string } = (color) => ({ color, version: color === "blue" ? "1" : "2" }),
) {
  server = await startTestServer((_req, res) => {
    const body = answer(readFileSync(state, "utf8"));
    res.setHeader("x-color", body.color);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  });
  return server.url;
}

const report = (outputs: Record<string, string>) => JSON.parse(outputs.report as string);

describe("blue-green-swap (bundle, command provider)", () => {
  it("status reports the active and idle colors and changes nothing", async () => {
    const run = await runAction("blue-green-swap", { mode: "status", router: commandRouter() });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ "active-color": "blue", "idle-color": "green", switched: "false", reverted: "false" });
    expect(readFileSync(state, "utf8")).toBe("blue");
    expect(run.summary).toContain("active 🔵 blue");
  });

  it("switches to the idle color, verifies it and reports before → after", async () => {
    const url = await publicUrl();
    const run = await runAction("blue-green-swap", {
      router: commandRouter(),
      "verify-url": url,
      "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "2" }',
      "verify-deadline": "5s",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(run.outputs).toMatchObject({
      "previous-color": "blue",
      "active-color": "green",
      "idle-color": "blue",
      switched: "true",
      reverted: "false",
    });
    expect(Number(run.outputs["duration-ms"])).toBeGreaterThan(0);
    const r = report(run.outputs);
    expect(r.verification).toMatchObject({ ok: true, attempts: 3, expect: { headers: { "x-color": "green" } } });
    expect(r.switch.steps[0]).toMatchObject({ name: "switch-command", ok: true });
    expect(run.summary).toContain("✅ 🔵 blue → 🟢 green");
  });

  it("splits traffic for a canary share, reports the shares, and status reads them back", async () => {
    const weighted = JSON.stringify({
      provider: "command",
      "switch-command": `printf %s "$CUTOVER_WEIGHTS" > ${state}`,
      "status-command": `cat ${state}`,
      "command-timeout": "5s",
    });
    const url = await publicUrl((color) => ({ color, version: "2" }));
    const run = await runAction("blue-green-swap", {
      router: weighted,
      weights: "{ blue: 90, green: 10 }",
      "verify-url": url,
      "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "2" }',
      "verify-deadline": "5s",
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(state, "utf8")).toBe("blue=90,green=10");
    expect(run.outputs).toMatchObject({ "active-color": "blue", switched: "true", weights: "blue=90,green=10" });
    // Either color may answer a split: the color check is left out, the rest still holds.
    expect(report(run.outputs).verification.expect).toEqual({ json: { "$.version": "2" } });
    expect(run.summary).toContain("traffic split: 🔵 blue 90% · 🟢 green 10%");

    const status = await runAction("blue-green-swap", { mode: "status", router: weighted });
    expect(status.outputs).toMatchObject({ "active-color": "blue", weights: "blue=90,green=10" });
  });

  it("refuses shares that do not add up to 100 before anything changes", async () => {
    const run = await runAction("blue-green-swap", { router: commandRouter(), weights: "{ blue: 90, green: 20 }" });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === "error")?.message).toContain("input 'weights'");
    expect(readFileSync(state, "utf8")).toBe("blue");
  });

  // The PromQL grammar is a chunk of its own, loaded only when metrics are given: still checked before anything changes.
  it("refuses a traffic step's metric whose PromQL the grammar does not accept, before anything changes", async () => {
    const run = await runAction("blue-green-swap", {
      router: commandRouter(),
      "traffic-steps": "10, 100",
      "prometheus-url": "http://127.0.0.1:9",
      metrics: "- name: errors\n  query: sum(rate(http_requests_total[5m])\n  max: 0.01\n",
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === "error")?.message).toMatch(
      /input 'metrics' at \[0\]\.query: got text that does not parse \(not valid PromQL at column 34: /,
    );
    expect(readFileSync(state, "utf8")).toBe("blue");
  });

  it("gives the router's commands the router-env variables, masked and never shown", async () => {
    const token = "kube-t0ken-for-the-router";
    const router = JSON.stringify({
      provider: "command",
      // The platform only switches for a caller holding the credential, as kubectl or aws would.
      "switch-command": `[ "$PLATFORM_TOKEN" = "${token}" ] && printf %s "$CUTOVER_COLOR" > ${state} || { echo "denied: $PLATFORM_TOKEN"; exit 1; }`,
      "status-command": `cat ${state}`,
    });
    const run = await runAction("blue-green-swap", { router, "router-env": `PLATFORM_TOKEN: ${token}` });
    expect(run.exitCode).toBe(0);
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(run.masks).toContain(token);

    const denied = await runAction("blue-green-swap", { router, "router-env": "PLATFORM_TOKEN: wrong-t0ken-value" });
    expect(denied.exitCode).toBe(1);
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(visibleText(denied)).not.toContain("wrong-t0ken-value");
  });

  it("rejects a router-env name that is not an environment variable, before anything changes", async () => {
    const run = await runAction("blue-green-swap", { router: commandRouter(), "router-env": "not-a-name: x" });
    expect(run.exitCode).toBe(1);
    expect(shown(run.annotations[0])).toContain(
      "input 'router-env' at not-a-name: got key \"not-a-name\"; expected an environment variable name",
    );
    expect(readFileSync(state, "utf8")).toBe("blue");
  });

  it("says so and does nothing when the requested color is already active", async () => {
    const run = await runAction("blue-green-swap", { to: "blue", router: commandRouter() });
    expect(run.exitCode).toBe(0);
    expect(run.log).toContain("blue is already active");
    expect(run.outputs).toMatchObject({ "previous-color": "blue", "active-color": "blue", switched: "false", "duration-ms": "0" });
    expect(report(run.outputs).noop).toBe(true);
  });

  it("reverts automatically when the new color answers the wrong version, and says what it saw", async () => {
    const url = await publicUrl((color) => ({ color, version: "1" }));
    const run = await runAction("blue-green-swap", {
      router: commandRouter(),
      "verify-url": url,
      "verify-expect": 'json: { $.version: "2" }',
      "verify-deadline": "1s",
    });
    expect(run.exitCode).toBe(1);
    expect(readFileSync(state, "utf8")).toBe("blue");
    expect(run.outputs).toMatchObject({
      "previous-color": "blue",
      "active-color": "blue",
      "idle-color": "green",
      switched: "false",
      reverted: "true",
    });
    const message = shown(run.annotations.find((a) => a.level === "error"));
    expect(message).toContain("green failed verification");
    expect(message).toContain("traffic was reverted to blue");
    expect(message).toMatch(/json \$\.version .*measured "1", expected 2/);
    expect(run.summary).toContain("reverted to 🔵 blue");
  });

  it("leaves the new color in place when revert-on-failure is false, and fails", async () => {
    const url = await publicUrl(() => ({ color: "x", version: "0" }));
    const run = await runAction("blue-green-swap", {
      router: commandRouter(),
      "verify-url": url,
      "verify-expect": "status: 200\nheaders: { x-color: '{color}' }",
      "verify-deadline": "500ms",
      "revert-on-failure": "false",
    });
    expect(run.exitCode).toBe(1);
    expect(readFileSync(state, "utf8")).toBe("green");
    expect(run.outputs).toMatchObject({ "active-color": "green", switched: "true", reverted: "false" });
    expect(shown(run.annotations[0])).toContain("revert-on-failure is false");
  });

  it("reverts when cancelled during verification (SIGTERM)", async () => {
    const url = await publicUrl(() => ({ color: "nobody", version: "0" }));
    const running = startAction("blue-green-swap", {
      router: commandRouter(),
      "verify-url": url,
      "verify-expect": "headers: { x-color: '{color}' }",
      "verify-deadline": "20s",
    });
    await running.waitForLog("attempt 1:");
    expect(readFileSync(state, "utf8")).toBe("green");
    running.kill("SIGTERM");
    const run = await running.done;
    expect(run.exitCode).toBe(1);
    expect(readFileSync(state, "utf8")).toBe("blue");
    expect(run.outputs).toMatchObject({ "active-color": "blue", reverted: "true" });
    expect(run.annotations[0]?.message).toMatch(/cancelled by SIGTERM while verifying green; traffic was reverted to blue/);
  });

  it("asks for an explicit color when the router has never been switched", async () => {
    writeFileSync(state, "none");
    const run = await runAction("blue-green-swap", { router: commandRouter() });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain("input 'to': got \"idle\"; expected blue or green");
    const first = await runAction("blue-green-swap", { to: "green", router: commandRouter() });
    expect(first.outputs).toMatchObject({ "previous-color": "", "active-color": "green", switched: "true" });
  });
});

describe("blue-green-swap (bundle, nginx provider with stand-in commands)", () => {
  const nginxRouter = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      provider: "nginx",
      "upstream-file": join(dir, "upstream.conf"),
      colors: { blue: ["127.0.0.1:8001"], green: ["127.0.0.1:8002"] },
      "test-command": "true",
      "reload-command": `echo reloaded >> ${join(dir, "reloads")}`,
      ...overrides,
    });

  it("writes the upstream file on the first switch and reads the color back", async () => {
    const run = await runAction("blue-green-swap", { to: "blue", router: nginxRouter() });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(join(dir, "upstream.conf"), "utf8")).toContain("server 127.0.0.1:8001;");
    const status = await runAction("blue-green-swap", { mode: "status", router: nginxRouter() });
    expect(status.outputs).toMatchObject({ "active-color": "blue", "idle-color": "green" });
    const next = await runAction("blue-green-swap", { router: nginxRouter() });
    expect(next.outputs).toMatchObject({ "previous-color": "blue", "active-color": "green", switched: "true" });
    expect(readFileSync(join(dir, "reloads"), "utf8")).toBe("reloaded\nreloaded\n");
    expect(report(next.outputs).switch.steps.map((s: { name: string }) => s.name)).toEqual(["write", "test", "reload"]);
  });

  it("fails as a gate, keeps the old file and does not reload when the test command rejects the config", async () => {
    await runAction("blue-green-swap", { to: "blue", router: nginxRouter() });
    const before = readFileSync(join(dir, "upstream.conf"), "utf8");
    const run = await runAction("blue-green-swap", {
      router: nginxRouter({ "test-command": "echo 'nginx: [emerg] host not found in upstream' >&2; exit 1" }),
    });
    expect(run.exitCode).toBe(1);
    expect(readFileSync(join(dir, "upstream.conf"), "utf8")).toBe(before);
    expect(readFileSync(join(dir, "reloads"), "utf8")).toBe("reloaded\n");
    expect(run.outputs).toMatchObject({ "active-color": "blue", switched: "false" });
    expect(run.annotations[0]?.properties.title).toMatch(/switch to green failed: test-command .* rejected .*traffic stays on blue/);
    expect(run.annotations[0]?.message).toContain("host not found in upstream");
  });

  it.each([
    [
      "an unknown provider",
      { provider: "traefik" },
      `input 'router' at provider: got "traefik"; expected one of "nginx", "haproxy", "command", "kubernetes", "aws-alb"`,
    ],
    ["missing colors", { colors: undefined }, "input 'router' at colors: nothing was given"],
    [
      "a color with no servers",
      { colors: { blue: ["127.0.0.1:1"], green: [] } },
      "input 'router' at colors.green: got []; expected at least 1 item(s)",
    ],
    [
      "a relative upstream-file",
      { "upstream-file": "upstream.conf" },
      `input 'router' at upstream-file: got "upstream.conf"; expected an absolute path`,
    ],
  ])("rejects %s before anything is touched", async (_name, overrides, message) => {
    const run = await runAction("blue-green-swap", { to: "blue", router: nginxRouter(overrides) });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain("nothing was changed");
    expect(run.annotations[0]?.message).toContain(message);
    expect(() => readFileSync(join(dir, "upstream.conf"))).toThrow();
    expect(() => readFileSync(join(dir, "reloads"))).toThrow();
  });

  it("refuses an ssh-key that is not a private key, before connecting and without quoting it", async () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAtopsecretkeymaterial\n-----END OPENSSH PRIVATE KEY-----";
    const port = await closedPort();
    const run = await runAction("blue-green-swap", {
      router: nginxRouter({ ssh: { host: "127.0.0.1", port, user: "deploy", "connect-timeout": "2s" } }),
      "ssh-key": key,
      "ssh-known-hosts": `[127.0.0.1]:${port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain("input 'ssh-key': got text ssh-keygen cannot read as a private key");
    expect(visibleText(run)).not.toContain("topsecretkeymaterial");
  });

  it("never shows the ssh key, even when the connection fails", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), "cutover-key-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keyDir, "id")]);
    const key = readFileSync(join(keyDir, "id"), "utf8");
    rmSync(keyDir, { recursive: true, force: true });
    const keyLine = key.split("\n")[1] as string;
    const port = await closedPort();
    const run = await runAction("blue-green-swap", {
      router: nginxRouter({ ssh: { host: "127.0.0.1", port, user: "deploy", "connect-timeout": "2s" } }),
      "ssh-key": key,
      "ssh-known-hosts": `[127.0.0.1]:${port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/ssh to deploy@127\.0\.0\.1:\d+ failed: .*refused/);
    expect(visibleText(run)).not.toContain(keyLine);
    expect(run.masks).toContain(keyLine);
  });

  it("requires ssh-known-hosts while strict host key checking is on", async () => {
    const run = await runAction("blue-green-swap", { router: nginxRouter({ ssh: { host: "127.0.0.1" } }), "ssh-key": "k-e-y" });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toContain(
      "input 'ssh-known-hosts': nothing was given; expected the known_hosts line(s) of 127.0.0.1",
    );
  });
});
