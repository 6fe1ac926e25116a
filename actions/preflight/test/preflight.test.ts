import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderUpstreamFile } from "@cutover/traffic";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import { runAction, visibleText } from "../../../test/harness/run-action.js";
import { closedPort } from "../../../test/harness/test-server.js";

const workspace = mkdtempSync(join(tmpdir(), "cutover-preflight-"));
mkdirSync(join(workspace, "migrations"));
writeFileSync(
  join(workspace, "alerts.yml"),
  'groups:\n  - name: app\n    rules:\n      - alert: Errors\n        expr: rate(http_requests_total{code=~"5.."}[5m]) > 0.05\n        for: 1m\n',
);

/** A real nginx upstream file, as a switch to blue wrote it: preflight reads it, never writes it. */
const colors = { blue: ["127.0.0.1:8081"], green: ["127.0.0.1:8082"] };
const upstreamDir = join(workspace, "nginx");
mkdirSync(upstreamDir);
const upstreamFile = join(upstreamDir, "app-upstream.conf");
writeFileSync(upstreamFile, renderUpstreamFile({ "upstream-name": "app", colors }, "blue"));
const nginxRouter = (file: string) => stringify({ provider: "nginx", "upstream-file": file, colors });

/** A team's deploy.yml inputs as `toJSON(inputs)` renders them, defaults included. */
const deployInputs = {
  environment: "production",
  version: "v1.4.2",
  router: nginxRouter(upstreamFile),
  "public-url": "https://app.example.com",
  "idle-url": "http://{color}.app.internal:8080",
  "deploy-command": "./deploy.sh",
  checks: "- path: /health\n  expect:\n    status: 200\n",
  "health-url": "",
  "health-expect": "",
  "health-deadline": "5m",
  "health-interval": "5s",
  "verify-expect": "",
  "bake-expect": "",
  metrics: "",
  "prometheus-url": "",
  scope: "",
  "alert-rules": "",
  "initial-delay": "0s",
  "failure-limit": "0",
  "inconclusive-limit": "1",
  "on-inconclusive": "fail",
  load: "",
  "bake-duration": "5m",
  "bake-interval": "30s",
  "migrations-dir": "",
  "allow-contract": false,
  backup: "none",
  "migrate-down-on-failure": false,
  ledger: "github",
  "slack-channel": "#deploys",
  "slack-mention": "",
  checkout: true,
  "runs-on": "ubuntu-latest",
};

async function preflight(changes: Record<string, unknown>, secrets: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction(
    "preflight",
    { workflow: "deploy", "workflow-inputs": JSON.stringify({ ...deployInputs, ...changes }), ...secrets },
    // As on the runner, which sets these for every step (record mode falls back on them).
    { env: { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: "acme/shop", GITHUB_REF_NAME: "main", GITHUB_SHA: "0".repeat(40), ...env } },
  );
}

function errorOf(run: Awaited<ReturnType<typeof preflight>>): string {
  return run.annotations
    .filter((a) => a.level === "error")
    .map((a) => a.message)
    .join("\n");
}

describe("preflight bundle", () => {
  it("passes a valid caller and says how many steps it checked", async () => {
    const run = await preflight({});
    expect(errorOf(run)).toBe("");
    expect(run.exitCode).toBe(0);
    expect(Number(run.outputs.checked)).toBeGreaterThanOrEqual(7);
    expect(run.log).toContain("nothing was changed");
  });

  it("refuses a mention written as a team writes it, with the syntax to use", async () => {
    const run = await preflight({ "slack-mention": "@oncall" });
    expect(run.exitCode).toBe(1);
    const error = errorOf(run);
    expect(error).toContain("input 'slack-mention'");
    expect(error).toContain("<!subteam^S…>");
    expect(error).toContain('step "8 · Update the Slack message"');
  });

  it("refuses a checks block smoke-test would refuse, at its path", async () => {
    const run = await preflight({ checks: "- path: /\n  expect:\n    json: { status: ok }\n" });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/input 'checks' at \[0\]\.expect\.json/);
  });

  it("refuses an idle-url without {color}: it would test the live color as idle", async () => {
    const run = await preflight({ "idle-url": "http://app.internal:8080" });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toContain("input 'idle-url': got a URL without {color}");
  });

  it("takes one URL per color, as a docker-compose world has them", async () => {
    const run = await preflight({ "idle-url": "blue: http://127.0.0.1:8081\ngreen: http://127.0.0.1:8082\n" });
    expect(errorOf(run)).toBe("");
    expect(run.exitCode).toBe(0);
  });

  it("reports every problem at once, metrics without Prometheus and a bad duration included", async () => {
    const run = await preflight({
      "slack-mention": "@oncall",
      metrics:
        '- name: errors\n  kind: ratio\n  errors: http_requests_total{code=~"5.."}\n  total: http_requests_total\n  window: 5m\n  max: 0.01\n',
      "health-deadline": "forever",
      "migrations-dir": "db/missing",
    });
    expect(run.exitCode).toBe(1);
    const error = errorOf(run);
    for (const input of ["slack-mention", "prometheus-url", "health-deadline", "migrations-dir", "database-url"]) {
      expect(error).toContain(`input '${input}'`);
    }
  });

  it("refuses metrics PromQL the official grammar does not accept, at its path", async () => {
    const run = await preflight({
      metrics: "- name: errors\n  query: sum(rate(http_requests_total[5m])\n  max: 0.01\n",
      "prometheus-url": "http://127.0.0.1:9",
    });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/input 'metrics' at \[0\]\.query: got text that does not parse \(not valid PromQL at column 34: /);
  });

  it("reads the alert-rules file from the checkout", async () => {
    const prometheus = await startFakePrometheus({ answer: () => ({ scalar: 1 }) });
    try {
      expect((await preflight({ "alert-rules": "alerts.yml", "prometheus-url": prometheus.url })).exitCode).toBe(0);
      const missing = await preflight({ "alert-rules": "nope.yml", "prometheus-url": prometheus.url });
      expect(missing.exitCode).toBe(1);
      expect(errorOf(missing)).toContain("input 'alert-rules'");
    } finally {
      await prometheus.close();
    }
  });

  it("asks Prometheus once, with the headers secret, and refuses one that does not answer", async () => {
    const prometheus = await startFakePrometheus({ answer: () => ({ scalar: 1 }), authorization: "Bearer team-token" });
    const rules = { "alert-rules": "alerts.yml", "prometheus-url": prometheus.url };
    try {
      const ok = await preflight(rules, { "prometheus-headers": "Authorization: Bearer team-token" });
      expect(errorOf(ok)).toBe("");
      expect(prometheus.queries.map((q) => q.query)).toEqual(["vector(1)"]);
      const refused = await preflight(rules);
      expect(refused.exitCode).toBe(1);
      expect(errorOf(refused)).toMatch(/input 'prometheus-url'.*answers from this runner.*401/s);
    } finally {
      await prometheus.close();
    }
    const gone = await preflight({ ...rules, "prometheus-url": `http://127.0.0.1:${await closedPort()}` });
    expect(gone.exitCode).toBe(1);
    expect(errorOf(gone)).toContain("input 'prometheus-url'");
  });

  it("names a secret input without quoting it", async () => {
    const run = await preflight({}, { "router-env": "TOKEN: *sup3rSecretAlias" });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toContain("input 'router-env'");
    expect(run.masks).toContain("TOKEN: *sup3rSecretAlias");
    expect(visibleText(run)).not.toContain("sup3rSecretAlias");
  });
});

describe("preflight asks the router for its status, read-only", () => {
  it("reads a real nginx upstream file and leaves it, and its directory, as they were", async () => {
    const before = { text: readFileSync(upstreamFile, "utf8"), mtime: statSync(upstreamFile).mtimeMs };
    const run = await preflight({});
    expect(errorOf(run)).toBe("");
    expect(run.exitCode).toBe(0);
    expect({ text: readFileSync(upstreamFile, "utf8"), mtime: statSync(upstreamFile).mtimeMs }).toEqual(before);
    // No lock, no intent, no temporary file: nothing was written beside it.
    expect(readdirSync(upstreamDir)).toEqual(["app-upstream.conf"]);
  });

  it("refuses a missing upstream file, naming the router input and the file", async () => {
    const missing = join(workspace, "nginx-typo", "app-upstream.conf");
    const run = await preflight({ router: nginxRouter(missing) });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(new RegExp(`input 'router': got nginx upstream 'app' in ${missing}, which has no active color`));
    expect(existsSync(join(workspace, "nginx-typo"))).toBe(false);
  });

  it("refuses an upstream file cutover did not write, saying why, and leaves it alone", async () => {
    const theirs = join(workspace, "nginx", "theirs.conf");
    writeFileSync(theirs, "upstream app {\n    server 127.0.0.1:8081;\n}\n");
    const run = await preflight({ router: nginxRouter(theirs) });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/input 'router'.*marker/);
    expect(readFileSync(theirs, "utf8")).toBe("upstream app {\n    server 127.0.0.1:8081;\n}\n");
  });

  it("refuses a command router whose status command fails, with what it printed, and never runs the switch command", async () => {
    const switched = join(workspace, "switched");
    const router = stringify({
      provider: "command",
      "status-command": "echo 'lb-admin: connection refused' >&2; exit 3",
      "switch-command": `touch ${switched}`,
    });
    const run = await preflight({ router });
    expect(run.exitCode).toBe(1);
    const error = errorOf(run);
    expect(error).toContain("input 'router'");
    expect(error).toContain("answers its status from this runner");
    expect(error).toContain("lb-admin: connection refused");
    expect(existsSync(switched)).toBe(false);
  });

  it("does not ask the router when an input is already wrong: every problem of the configuration first", async () => {
    const asked = join(workspace, "asked");
    const router = stringify({ provider: "command", "status-command": `touch ${asked}; echo blue`, "switch-command": "true" });
    const run = await preflight({ router, "health-deadline": "forever" });
    expect(run.exitCode).toBe(1);
    expect(existsSync(asked)).toBe(false);
    expect((await preflight({ router })).exitCode).toBe(0);
    expect(existsSync(asked)).toBe(true);
  });

  it("over ssh: refuses without ssh-known-hosts before connecting", async () => {
    const router = stringify({ provider: "nginx", "upstream-file": upstreamFile, colors, ssh: { host: "127.0.0.1", port: 22 } });
    const run = await preflight({ router });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toContain("input 'ssh-known-hosts'");
  });

  it("over ssh: masks the key, names the router when the host does not answer, and removes the key file before it ends", async () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), "cutover-preflight-temp-"));
    const keyFile = join(runnerTemp, "key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyFile]);
    const key = readFileSync(keyFile, "utf8");
    const port = await closedPort();
    const router = stringify({
      provider: "nginx",
      "upstream-file": upstreamFile,
      colors,
      ssh: { host: "127.0.0.1", port, "connect-timeout": "2s" },
    });
    const run = await preflight(
      { router },
      { "ssh-key": key, "ssh-known-hosts": `[127.0.0.1]:${port} ${readFileSync(`${keyFile}.pub`, "utf8")}` },
      { RUNNER_TEMP: runnerTemp },
    );
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/input 'router'.*ssh to 127\.0\.0\.1:\d+ failed/s);
    expect(visibleText(run)).not.toContain(key.split("\n")[1]);
    // The key's private directory was recorded for the post step, and already removed.
    const recorded = JSON.parse(run.state["secret-dirs"] ?? "[]") as string[];
    expect(recorded).toHaveLength(1);
    expect(existsSync(recorded[0] as string)).toBe(false);
    expect(readdirSync(runnerTemp).filter((name) => name.startsWith("cutover-ssh-"))).toEqual([]);
  });
});
