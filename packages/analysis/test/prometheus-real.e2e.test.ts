import { HttpClient } from "@cutover/http-checks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrometheusService, startPrometheus } from "../../../test/services/prometheus.js";
import { startTestApp, type TestApp } from "../../../test/services/prometheus-test-app.js";
import { PrometheusClient } from "../src/index.js";

// The same shapes the unit tests get from test/fakes/prometheus-api.ts, from the real server.
let prometheus: PrometheusService;
let app: TestApp;
let client: PrometheusClient;
const http = new HttpClient();

beforeAll(async () => {
  app = await startTestApp({ errorRate: 0, latencyMs: 5 });
  prometheus = await startPrometheus([
    { job: "a", address: app.address },
    { job: "b", address: app.address },
  ]);
  await prometheus.waitForSamples(2);
  client = new PrometheusClient({ url: prometheus.url, timeoutMs: 5_000, client: http });
});

afterAll(async () => {
  http.close();
  await prometheus?.stop();
  await app?.stop();
});

describe("PrometheusClient against the real Prometheus", () => {
  it("reads a one-series vector", async () => {
    await expect(client.query('up{job="a"}')).resolves.toMatchObject({ kind: "value", value: 1, labels: { job: "a" } });
  });

  it("reads a scalar", async () => {
    await expect(client.query("scalar(sum(up))")).resolves.toEqual({ kind: "value", value: 2 });
  });

  it("gives no data for an empty result and for NaN", async () => {
    await expect(client.query("no_such_metric_anywhere")).resolves.toEqual({ kind: "no-data", reason: "empty result" });
    await expect(client.query("vector(0) / vector(0)")).resolves.toMatchObject({ kind: "no-data", reason: expect.stringMatching(/^NaN/) });
  });

  it("reads +Inf and -Inf", async () => {
    await expect(client.query("vector(1) / vector(0)")).resolves.toMatchObject({ value: Number.POSITIVE_INFINITY });
    await expect(client.query("scalar(vector(-1) / vector(0))")).resolves.toMatchObject({ value: Number.NEGATIVE_INFINITY });
  });

  it("rejects bad PromQL with Prometheus's own message", async () => {
    await expect(client.query("sum(")).rejects.toMatchObject({
      rejected: true,
      retryable: false,
      message: expect.stringMatching(/^Prometheus rejected the query \(HTTP 400, bad_data: .*parse error/),
    });
  });

  it("rejects several series and range vectors", async () => {
    await expect(client.query("up")).rejects.toMatchObject({ rejected: true, message: expect.stringContaining("returned 2 series") });
    await expect(client.query('up{job="a"}[1m]')).rejects.toMatchObject({
      rejected: true,
      message: expect.stringContaining("range vector"),
    });
  });
});
