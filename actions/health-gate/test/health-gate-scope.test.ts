import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakePrometheus, startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import { runAction } from "../../../test/harness/run-action.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cutover-gate-ws-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function prometheus(answer: (query: string) => { vector: number[] }): Promise<FakePrometheus> {
  const fake = await startFakePrometheus({ answer });
  cleanups.push(() => fake.close());
  return fake;
}

const RULES = `groups:
  - name: web
    rules:
      - alert: HighErrorRate
        expr: rate(http_requests_total{code=~"5.."}[5m]) > 0.05
        labels: { severity: critical }
`;

describe("health-gate scope, placeholders and alert rules (bundle)", () => {
  it("sends every query scoped to the release and names it in the verdict", async () => {
    const fake = await prometheus((q) =>
      q.startsWith("rate(") ? { vector: [0.3] } : q.startsWith("sum(increase") ? { vector: [500] } : { vector: [0.001] },
    );
    const run = await runAction(
      "health-gate",
      {
        "prometheus-url": fake.url,
        metrics:
          "- name: error-ratio\n  kind: ratio\n  errors: 'http_requests_total{code=~\"5..\"}'\n  total: http_requests_total\n  window: 5m\n  max: 0.05",
        "alert-rules": "rules.yml",
        scope: '{ color: "{color}", version: "{version}" }',
        color: "green",
        version: "v42",
        "analysis-interval": "50ms",
        "analysis-count": "3",
      },
      { env: { GITHUB_WORKSPACE: workspace({ "rules.yml": RULES }) } },
    );
    expect(run.exitCode).toBe(1);
    expect(fake.queries.map((q) => q.query)).toEqual(
      expect.arrayContaining([
        'sum(increase(http_requests_total{color="green",version="v42"}[5m]))',
        '(sum(rate(http_requests_total{color="green",version="v42",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{color="green",version="v42"}[5m]))',
        'rate(http_requests_total{color="green",version="v42",code=~"5.."}[5m]) > 0.05',
      ]),
    );
    expect(run.outputs.reason).toBe(
      'alert rule web/HighErrorRate measured 1 series for 0ms: {} 0.3, expected no series (severity critical), judging color green, version v42: `rate(http_requests_total{color="green",version="v42",code=~"5.."}[5m]) > 0.05`',
    );
    expect(run.summary).toContain("Judged: **color green, version v42**");
  });

  it("refuses a placeholder whose input is empty, and a rule file Prometheus would refuse, before measuring", async () => {
    const missing = await runAction("health-gate", {
      "prometheus-url": "http://127.0.0.1:9",
      metrics: "- name: up\n  query: up\n  min: 1",
      scope: '{ version: "{version}" }',
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations[0]?.message).toContain(
      `input 'scope' at version: got {version} in "{version}"; expected the version input, which fills {version}`,
    );
    // The metrics' PromQL is checked while the inputs are read (the grammar's chunk loaded for it).
    const badQuery = await runAction("health-gate", {
      "prometheus-url": "http://127.0.0.1:9",
      metrics:
        '- name: errors\n  kind: ratio\n  errors: rate(x[5m])\n  total: http_requests_total\n  window: 5m\n  max: 0.01\n- name: up\n  query: up{code="500"\n  min: 1',
    });
    expect(badQuery.exitCode).toBe(1);
    expect(badQuery.annotations[0]?.message).toContain(
      "input 'metrics' at [0].errors: got text that does not parse (FunctionCall where a series selector",
    );
    expect(badQuery.annotations[0]?.message).toMatch(
      /input 'metrics' at \[1\]\.query: got text that does not parse \(not valid PromQL at column 14: /,
    );
    const badRules = await runAction(
      "health-gate",
      { "prometheus-url": "http://127.0.0.1:9", "alert-rules": "rules.yml" },
      {
        env: {
          GITHUB_WORKSPACE: workspace({
            "rules.yml": "groups:\n  - name: web\n    rules:\n      - alert: X\n        expr: sum(rate(x[5m])\n",
          }),
        },
      },
    );
    expect(badRules.exitCode).toBe(1);
    expect(badRules.annotations[0]?.message).toMatch(
      /input 'alert-rules' at groups\[0\]\.rules\[0\]\.expr: got text that does not parse \(not valid PromQL at column \d+/,
    );
    const noFile = await runAction(
      "health-gate",
      { "prometheus-url": "http://127.0.0.1:9", "alert-rules": "nope.yml" },
      { env: { GITHUB_WORKSPACE: workspace({}) } },
    );
    expect(noFile.annotations[0]?.message).toContain(
      `input 'alert-rules': got "nope.yml" (ENOENT); expected a rule file in the repository`,
    );
  });
});
