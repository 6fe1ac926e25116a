import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import { runAction, visibleText } from "../../../test/harness/run-action.js";
import { closedPort } from "../../../test/harness/test-server.js";

const workspace = mkdtempSync(join(tmpdir(), "cutover-preflight-"));
mkdirSync(join(workspace, "migrations"));
writeFileSync(
  join(workspace, "alerts.yml"),
  'groups:\n  - name: app\n    rules:\n      - alert: Errors\n        expr: rate(http_requests_total{code=~"5.."}[5m]) > 0.05\n        for: 1m\n',
);

/** A team's deploy.yml inputs as `toJSON(inputs)` renders them, defaults included. */
const deployInputs = {
  environment: "production",
  version: "v1.4.2",
  router:
    "provider: nginx\nupstream-file: /etc/nginx/conf.d/app-upstream.conf\ncolors:\n  blue: [127.0.0.1:8081]\n  green: [127.0.0.1:8082]\n",
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

async function preflight(changes: Record<string, unknown>, secrets: Record<string, string> = {}) {
  return runAction(
    "preflight",
    { workflow: "deploy", "workflow-inputs": JSON.stringify({ ...deployInputs, ...changes }), ...secrets },
    // As on the runner, which sets these for every step (record mode falls back on them).
    { env: { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: "acme/shop", GITHUB_REF_NAME: "main", GITHUB_SHA: "0".repeat(40) } },
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
