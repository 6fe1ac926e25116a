import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  loadPromqlGrammar,
  type MetricSpec,
  metricListSchema,
  metricQueries,
  parseAlertRules,
  type Scope,
  scopeQuery,
} from "@cutover/analysis";
import { expandPlaceholders, type PlaceholderValues } from "@cutover/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../harness/action-metadata.js";
import { type PrometheusService, startPrometheus } from "../services/prometheus.js";
import { startTestApp, type TestApp } from "../services/prometheus-test-app.js";

// Every PromQL example in the docs, as the gate would run it (placeholders filled, scoped), is
// sent to the real Prometheus scraping an app whose series carry color and version labels.
const DOCS = ["actions/health-gate/README.md", "docs/workflows/deploy.md", "examples/workflows/deploy-on-push.yml"];
const RELEASE: PlaceholderValues = {
  color: "green",
  "previous-color": "blue",
  version: "v42",
  "previous-version": "v41",
  environment: "production",
};

interface Example {
  doc: string;
  what: string;
  query: string;
}

/** The YAML documents of a doc: fenced yaml blocks of Markdown, or the file itself. */
function yamlDocuments(path: string): unknown[] {
  const text = readFileSync(join(repoRoot, path), "utf8");
  if (!path.endsWith(".md")) return [parseYaml(text)];
  return [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1] ?? ""));
}

/** Every `with:` (or reusable-workflow `with:`) block and rule file inside a document. */
function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node && typeof node === "object") {
    visit(node as Record<string, unknown>);
    for (const child of Object.values(node)) walk(child, visit);
  }
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const doc of DOCS) {
    for (const document of yamlDocuments(doc)) {
      walk(document, (node) => {
        if (typeof node.metrics === "string") {
          const scope = typeof node.scope === "string" ? (parseYaml(node.scope) as Scope) : {};
          const metrics = metricListSchema.parse(parseYaml(node.metrics)) as MetricSpec[];
          for (const metric of metrics) {
            const queries = metricQueries(metric, scope, RELEASE);
            out.push({ doc, what: `metric ${metric.name}`, query: queries.value });
            if (queries.traffic) out.push({ doc, what: `traffic of ${metric.name}`, query: queries.traffic });
            if (metric["baseline-query"])
              out.push({ doc, what: `baseline of ${metric.name}`, query: expandPlaceholders(metric["baseline-query"], RELEASE) });
          }
        }
        if (Array.isArray(node.groups)) {
          for (const rule of parseAlertRules(JSON.stringify(node))) {
            out.push({ doc, what: `rule ${rule.name}`, query: scopeQuery(rule.expr, { color: "green" }) });
          }
        }
      });
    }
  }
  return out;
}

let prometheus: PrometheusService;
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ errorRate: 0.01, latencyMs: 5, rps: 20, labels: { color: "green", version: "v42" } });
  prometheus = await startPrometheus([{ job: "web", address: app.address }], 1);
  await prometheus.waitForSamples(3);
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await app?.stop();
});

// The examples are parsed while the tests are collected: the grammar first, as an action's preload does.
await loadPromqlGrammar();

describe("PromQL in the docs", () => {
  const found = examples();

  it("finds the examples (metrics of every kind and an alert rule file)", () => {
    expect(found.map((e) => e.doc)).toEqual(expect.arrayContaining(DOCS));
    expect(found.some((e) => e.what.startsWith("rule "))).toBe(true);
    expect(found.some((e) => e.query.startsWith("histogram_quantile("))).toBe(true);
  });

  it.each(found.map((e) => [`${e.doc}: ${e.what}`, e] as const))("%s runs on the real Prometheus", async (_name, example) => {
    const data = await prometheus.query(example.query);
    expect(["vector", "scalar"]).toContain(data.resultType);
  });
});
