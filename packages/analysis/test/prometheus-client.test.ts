import { HttpClient } from "@cutover/http-checks";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeAnswer, type FakePrometheus, startFakePrometheus } from "../../../test/fakes/prometheus-api.js";
import { closedPort } from "../../../test/harness/test-server.js";
import { MetricQueryError, PrometheusClient } from "../src/index.js";

let fake: FakePrometheus | undefined;
const client = new HttpClient();

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function ask(answer: FakeAnswer, query = "up", options: { authorization?: string; headers?: Record<string, string> } = {}) {
  fake = await startFakePrometheus({
    answer: () => answer,
    ...(options.authorization ? { authorization: options.authorization } : {}),
  });
  const prometheus = new PrometheusClient({
    url: fake.url,
    timeoutMs: 500,
    client,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return prometheus.query(query);
}

describe("PrometheusClient against the query API's response shapes", () => {
  it("reads a one-series vector and sends the query as a form POST with a server-side timeout", async () => {
    await expect(ask({ vector: [0.0523], labels: [{ job: "app" }] }, 'sum(rate(http_requests_total{code=~"5.."}[1m]))')).resolves.toEqual({
      kind: "value",
      value: 0.0523,
      labels: { job: "app" },
    });
    expect(fake?.queries[0]).toMatchObject({ method: "POST", query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))', timeout: "0.5s" });
  });

  it("reads a scalar", async () => {
    await expect(ask({ scalar: 42 })).resolves.toEqual({ kind: "value", value: 42 });
  });

  it("treats an empty vector as no data", async () => {
    await expect(ask({ vector: [] })).resolves.toEqual({ kind: "no-data", reason: "empty result" });
  });

  it("treats NaN (0/0 with no traffic) as no data", async () => {
    const value = await ask({ vector: [Number.NaN] });
    expect(value.kind).toBe("no-data");
    expect(value.kind === "no-data" && value.reason).toMatch(/NaN/);
  });

  it("reads +Inf and -Inf as infinities, which Number() alone would not", async () => {
    await expect(ask({ vector: [Number.POSITIVE_INFINITY] })).resolves.toMatchObject({ value: Number.POSITIVE_INFINITY });
    await fake?.close();
    await expect(ask({ scalar: "-Inf" })).resolves.toMatchObject({ value: Number.NEGATIVE_INFINITY });
  });

  it("rejects a bad query with Prometheus's own error text, and does not call it retryable", async () => {
    const error = await ask({ error: "1:5: parse error: unexpected <EOF>", errorType: "bad_data" }, "sum(").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricQueryError);
    expect((error as MetricQueryError).message).toBe(
      "Prometheus rejected the query (HTTP 400, bad_data: 1:5: parse error: unexpected <EOF>)",
    );
    expect((error as MetricQueryError).retryable).toBe(false);
    expect((error as MetricQueryError).rejected).toBe(true);
  });

  it("calls a 503 timeout and a bare 500 retryable", async () => {
    const timeout = await ask({ error: "query timed out in expression evaluation", errorType: "timeout" }).catch((e: unknown) => e);
    expect(timeout).toMatchObject({ retryable: true, message: expect.stringContaining("HTTP 503 (timeout: query timed out") });
    await fake?.close();
    const bare = await ask({ raw: "Internal Server Error", httpStatus: 500 }).catch((e: unknown) => e);
    expect(bare).toMatchObject({ retryable: true, message: "Prometheus answered HTTP 500 (Internal Server Error)" });
  });

  it("refuses several series: the query must return one value", async () => {
    const error = await ask({ vector: [1, 2], labels: [{ pod: "a" }, { pod: "b" }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ rejected: true, message: expect.stringContaining("returned 2 series") });
  });

  it("refuses a range vector", async () => {
    const error = await ask({ matrix: [[1, 2, 3]] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ rejected: true, message: expect.stringContaining("range vector") });
  });

  it("sends the auth headers it was given and reports a 401 as a credentials problem", async () => {
    await expect(
      ask({ scalar: 1 }, "up", { authorization: "Bearer s3cret", headers: { Authorization: "Bearer s3cret" } }),
    ).resolves.toEqual({
      kind: "value",
      value: 1,
    });
    await fake?.close();
    const error = await ask({ scalar: 1 }, "up", { authorization: "Bearer s3cret", headers: { Authorization: "Bearer wrong" } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: false, message: expect.stringContaining("refused the credentials (HTTP 401)") });
  });

  it("times out a Prometheus that never answers, as a retryable error", async () => {
    const started = performance.now();
    const error = await ask({ hang: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining("did not answer: no complete response within 500ms") });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("reports a Prometheus that is down, without leaking URL credentials", async () => {
    const port = await closedPort();
    const prometheus = new PrometheusClient({ url: `http://user:pa55word@127.0.0.1:${port}`, timeoutMs: 500, client });
    const error = await prometheus.query("up").catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining("connection refused") });
    expect((error as Error).message).not.toContain("pa55word");
  });

  it("keeps a path prefix of the Prometheus URL", async () => {
    fake = await startFakePrometheus({ answer: () => ({ scalar: 1 }) });
    const prometheus = new PrometheusClient({ url: `${fake.url}/prom/`, timeoutMs: 500, client });
    // The fake serves /api/v1/query only, so the prefix must be on the path: a 404 proves it was kept.
    await expect(prometheus.query("up")).rejects.toThrow(/HTTP 404/);
  });
});
