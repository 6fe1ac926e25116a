import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRouter, renderUpstreamFile, routerSchema } from "@cutover/traffic";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction, runActionPost, startAction, visibleText } from "../harness/run-action.js";
import { type NginxInstance, startNginx } from "../services/nginx.js";
import { type SshdInstance, startSshd } from "../services/sshd.js";
import { startTwoColorApps, type TwoColorApps } from "../services/two-color-app.js";

// Issue 12, items 6 and 7 (and 3 over ssh): nothing with a secret outlives the action, host keys
// are always checked, and ssh's own failures become configuration errors that say what to fix.

let apps: TwoColorApps;
let nginx: NginxInstance;
let sshd: SshdInstance;
let runnerTemp: string;

beforeAll(async () => {
  apps = await startTwoColorApps({ blue: "1", green: "2" });
  nginx = await startNginx({ upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "blue") });
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
  await nginx?.stop();
  await apps?.close();
});
beforeEach(async () => {
  runnerTemp = mkdtempSync(join(tmpdir(), "cutover-runner-temp-"));
  const router = await createRouter(routerSchema.parse(routerBlock()));
  await router.switchTo("blue");
  await router.close();
});
afterEach(() => {
  rmSync(runnerTemp, { recursive: true, force: true });
});

const routerBlock = (overrides: Record<string, unknown> = {}) => ({
  provider: "nginx",
  "upstream-file": nginx.upstreamFile,
  colors: apps.colors,
  "test-command": nginx.testCommand,
  "reload-command": nginx.reloadCommand,
  ...overrides,
});
const sshBlock = () => ({ host: sshd.host, port: sshd.port, user: sshd.user });
const secrets = () => ({ "ssh-key": sshd.privateKey, "ssh-known-hosts": sshd.knownHosts });
const keyBody = () => sshd.privateKey.split("\n")[1] as string;
/** Logins sshd accepted so far: a refusal before connecting adds none. */
const logins = () => sshd.log().split("Accepted publickey").length - 1;

/** The private directories ssh connections made in this run's RUNNER_TEMP. */
const sshDirs = () => readdirSync(runnerTemp).filter((name) => name.startsWith("cutover-ssh-"));

/** Processes whose command line mentions `text` (a ControlMaster shows its socket path: `ssh: …/cm [mux]`). */
function processesMentioning(text: string): string[] {
  return execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(text) && !line.includes("ps -eo"));
}

/** Waits (bounded by attempts, not by a clock threshold) until no process mentions `text`. */
async function noProcessMentioning(text: string): Promise<string[]> {
  let left = processesMentioning(text);
  for (let attempt = 0; attempt < 50 && left.length > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesMentioning(text);
  }
  return left;
}

async function waitForFile(path: string): Promise<void> {
  for (let attempt = 0; attempt < 600 && !existsSync(path); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(existsSync(path), `${path} never appeared`).toBe(true);
}

/**
 * A test command that, once the file names green (the write is done, the reload not yet), leaves
 * a mark and takes `seconds`: the moment the test kills the action. The version probe (-v) is spared.
 */
function slowTestOnceGreen(mark: string, seconds: number): string {
  return `if grep -q 'active-color=green' '${nginx.upstreamFile}'; then touch '${mark}'; sleep ${seconds}; fi; ${nginx.testCommand}`;
}

describe("a switch over ssh that is stopped half way (real sshd, real nginx)", () => {
  it("SIGKILL leaves the key and a live ControlMaster behind; the post step removes both", async () => {
    const mark = join(runnerTemp, "in-test-command");
    const running = startAction(
      "blue-green-swap",
      { router: JSON.stringify(routerBlock({ ssh: sshBlock(), "test-command": slowTestOnceGreen(mark, 30) })), ...secrets() },
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    await waitForFile(mark);
    running.kill("SIGKILL");
    const killed = await running.done;
    expect(killed.signal).toBe("SIGKILL");

    // The attack: what a killed run leaves on the runner.
    const [dir] = sshDirs();
    expect(dir, "the ssh directory the killed run left").toBeDefined();
    const path = join(runnerTemp, dir as string);
    expect(readFileSync(join(path, "id"), "utf8")).toContain(keyBody());
    expect(processesMentioning(path).length, "a ControlMaster still running").toBeGreaterThan(0);
    // The main step recorded the directory before writing the key into it.
    expect(JSON.parse(killed.state["secret-dirs"] ?? "[]")).toEqual([path]);

    const post = await runActionPost("blue-green-swap", {}, killed.state, { env: { RUNNER_TEMP: runnerTemp } });
    expect(post.exitCode, post.stdout + post.stderr).toBe(0);
    expect(post.log).toContain(`removed the ssh key directory ${path}`);
    expect(post.log).toContain("stopped its ssh connection");
    expect(sshDirs()).toEqual([]);
    expect(await noProcessMentioning(path)).toEqual([]);
    expect(visibleText(post)).not.toContain(keyBody());

    // Item 3 over ssh: the write happened, the reload did not; the next status refuses.
    const status = await runAction("blue-green-swap", {
      mode: "status",
      router: JSON.stringify(routerBlock({ ssh: sshBlock() })),
      ...secrets(),
    });
    expect(status.exitCode).toBe(1);
    expect(status.annotations.find((a) => a.level === "error")?.message).toMatch(/from blue to green .* was interrupted/s);
    expect(status.outputs["idle-color"]).not.toBe("blue");
  });

  it("SIGTERM: the action undoes the write and removes its key and connection itself", async () => {
    const mark = join(runnerTemp, "in-test-command");
    const running = startAction(
      "blue-green-swap",
      { router: JSON.stringify(routerBlock({ ssh: sshBlock(), "test-command": slowTestOnceGreen(mark, 2) })), ...secrets() },
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    await waitForFile(mark);
    running.kill("SIGTERM");
    const stopped = await running.done;
    expect(stopped.exitCode).toBe(1);
    expect(stopped.annotations.find((a) => a.level === "error")?.message).toContain("cancelled");
    const recorded = JSON.parse(stopped.state["secret-dirs"] ?? "[]") as string[];
    expect(recorded).toHaveLength(1);
    expect(sshDirs()).toEqual([]);
    expect(await noProcessMentioning(recorded[0] as string)).toEqual([]);
    expect(readFileSync(nginx.upstreamFile, "utf8")).toContain("active-color=blue");
  });

  it("the post step after a clean run finds nothing to do", async () => {
    const run = await runAction(
      "blue-green-swap",
      { mode: "status", router: JSON.stringify(routerBlock({ ssh: sshBlock() })), ...secrets() },
      {
        env: { RUNNER_TEMP: runnerTemp },
      },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(sshDirs()).toEqual([]);
    const post = await runActionPost("blue-green-swap", {}, run.state, { env: { RUNNER_TEMP: runnerTemp } });
    expect(post.exitCode).toBe(0);
    expect(post.log).not.toContain("removed");
  });
});

describe("ssh keys and host keys (real sshd)", () => {
  it("refuses a passphrase-protected key as a configuration error that says so, before connecting", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), "cutover-passphrase-key-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "correct horse", "-f", join(keyDir, "id")]);
      const protectedKey = readFileSync(join(keyDir, "id"), "utf8");
      const loginsBefore = logins();
      const run = await runAction(
        "blue-green-swap",
        { router: JSON.stringify(routerBlock({ ssh: sshBlock() })), "ssh-key": protectedKey, "ssh-known-hosts": sshd.knownHosts },
        { env: { RUNNER_TEMP: runnerTemp } },
      );
      expect(run.exitCode).toBe(1);
      const error = run.annotations.find((a) => a.level === "error");
      expect(error?.properties.title).toBe("blue-green-swap: invalid input");
      expect(error?.message).toContain("input 'ssh-key': got a private key protected by a passphrase; expected a key without a passphrase");
      expect(visibleText(run)).not.toContain(protectedKey.split("\n")[1] as string);
      expect(sshDirs()).toEqual([]);
      expect(logins()).toBe(loginsBefore);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it("reports a host key that does not match ssh-known-hosts as a configuration error naming the host and the fix", async () => {
    const wrongHostKey = `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`;
    const before = readFileSync(nginx.upstreamFile, "utf8");
    const run = await runAction(
      "blue-green-swap",
      { router: JSON.stringify(routerBlock({ ssh: sshBlock() })), "ssh-key": sshd.privateKey, "ssh-known-hosts": wrongHostKey },
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    expect(run.exitCode).toBe(1);
    const error = run.annotations.find((a) => a.level === "error");
    expect(error?.properties.title).toBe("blue-green-swap: invalid input");
    expect(error?.message).toMatch(
      new RegExp(
        `input 'ssh-known-hosts': got a key for \\[127\\.0\\.0\\.1\\]:${sshd.port} that does not match the key the host offered \\(SHA256:[^)]+\\); expected the host's current key`,
      ),
    );
    expect(error?.message).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1`);
    expect(readFileSync(nginx.upstreamFile, "utf8")).toBe(before);
    expect(sshDirs()).toEqual([]);
  });

  it("reports ssh-known-hosts without a line for the host as a configuration error saying how ssh looks it up", async () => {
    const otherHost = sshd.knownHosts.replace(`[127.0.0.1]:${sshd.port}`, `[10.9.8.7]:${sshd.port}`);
    const run = await runAction("blue-green-swap", {
      mode: "status",
      router: JSON.stringify(routerBlock({ ssh: sshBlock() })),
      "ssh-key": sshd.privateKey,
      "ssh-known-hosts": otherHost,
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === "error")?.message).toContain(
      `input 'ssh-known-hosts': got no line for [127.0.0.1]:${sshd.port} (ssh looks hosts up as [host]:port when the port is not 22)`,
    );
  });

  it("refuses strict-host-key-checking: accept-new, naming where it is and what to give instead", async () => {
    const loginsBefore = logins();
    const run = await runAction("blue-green-swap", {
      router: JSON.stringify(routerBlock({ ssh: { ...sshBlock(), "strict-host-key-checking": "accept-new" } })),
      "ssh-key": sshd.privateKey,
    });
    expect(run.exitCode).toBe(1);
    const message = run.annotations.find((a) => a.level === "error")?.message ?? "";
    expect(message).toContain("input 'router' at ssh.strict-host-key-checking: got \"accept-new\"; expected yes, the only mode");
    expect(message).toContain("ssh-known-hosts");
    expect(logins()).toBe(loginsBefore);
  });
});

describe("preflight over ssh (real sshd): the router's status, read-only, before anything changes", () => {
  async function preflight(router: Record<string, unknown>, knownHosts: string) {
    const inputs = {
      environment: "production",
      version: "v2",
      router: JSON.stringify(router),
      "public-url": "https://app.example.com",
      "idle-url": "http://{color}.app.internal:8080",
      "deploy-command": "./deploy.sh",
      ledger: "github",
    };
    return runAction(
      "preflight",
      { workflow: "deploy", "workflow-inputs": JSON.stringify(inputs), "ssh-key": sshd.privateKey, "ssh-known-hosts": knownHosts },
      {
        env: {
          RUNNER_TEMP: runnerTemp,
          GITHUB_WORKSPACE: runnerTemp,
          GITHUB_REPOSITORY: "acme/shop",
          GITHUB_REF_NAME: "main",
          GITHUB_SHA: "0".repeat(40),
        },
      },
    );
  }

  it("reads the upstream file over ssh, changes nothing and removes the key before it ends", async () => {
    const before = readFileSync(nginx.upstreamFile, "utf8");
    const loginsBefore = logins();
    const run = await preflight(routerBlock({ ssh: sshBlock() }), sshd.knownHosts);
    expect(run.annotations.filter((a) => a.level === "error")).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(logins()).toBeGreaterThan(loginsBefore);
    expect(readFileSync(nginx.upstreamFile, "utf8")).toBe(before);
    expect(visibleText(run)).not.toContain(keyBody());
    expect(JSON.parse(run.state["secret-dirs"] ?? "[]")).toHaveLength(1);
    expect(sshDirs()).toEqual([]);
  });

  it("refuses a wrong ssh-known-hosts at preflight, naming it, with no login and nothing left behind", async () => {
    const wrongHostKey = `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`;
    const before = readFileSync(nginx.upstreamFile, "utf8");
    const loginsBefore = logins();
    const run = await preflight(routerBlock({ ssh: sshBlock() }), wrongHostKey);
    expect(run.exitCode).toBe(1);
    const error = run.annotations.find((a) => a.level === "error");
    expect(error?.properties.title).toBe("preflight: invalid input");
    expect(error?.message).toMatch(
      new RegExp(`input 'ssh-known-hosts': got a key for \\[127\\.0\\.0\\.1\\]:${sshd.port} that does not match the key the host offered`),
    );
    expect(logins()).toBe(loginsBefore);
    expect(readFileSync(nginx.upstreamFile, "utf8")).toBe(before);
    expect(visibleText(run)).not.toContain(keyBody());
    expect(sshDirs()).toEqual([]);
  });
});
