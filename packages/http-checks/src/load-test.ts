import { abortReason, formatDuration, type GateFinding } from "@cutover/core";
import { evaluateExpect } from "./assertions.js";
import { type ClientSaturation, watchClientSaturation } from "./client-saturation.js";
import type { Expect } from "./expect-schema.js";
import { transportError } from "./http-client.js";
import { LoadConnection } from "./load-connection.js";
import type { LoadSpec } from "./load-schema.js";
import { percentile } from "./percentiles.js";

export interface LoadResult {
  url: string;
  requests: number;
  succeeded: number;
  failed: number;
  successRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  durationMs: number;
  requestsPerSecond: number;
  /** Most common failure reasons with their counts. */
  errors: Record<string, number>;
  /** The load client's own event-loop delay: when saturated, latencies partly measure the client. */
  client: ClientSaturation;
  /** Gates that failed: the step fails on these. */
  findings: GateFinding[];
  /** Gates that could not be judged (a latency limit missed while the client itself was saturated). */
  inconclusive: GateFinding[];
}

/** Sends `requests` requests with `concurrency` in flight and holds the results to the gates. */
export async function runLoad(
  url: string,
  spec: LoadSpec,
  options: { timeoutMs: number; headers: Record<string, string>; signal?: AbortSignal },
): Promise<LoadResult> {
  const target = new URL(url);
  const expect = spec.expect;
  const connectionOptions = {
    url: target,
    method: spec.method,
    headers: options.headers,
    timeoutMs: options.timeoutMs,
    readHeaders: expect?.headers !== undefined,
    readBody: readsBody(expect),
  };
  const connections = Array.from({ length: Math.min(spec.concurrency, spec.requests) }, () => new LoadConnection(connectionOptions));
  const latencies = new Float64Array(spec.requests);
  const errors: Record<string, number> = {};
  let measured = 0;
  let succeeded = 0;
  let issued = 0;
  const onAbort = () => {
    for (const connection of connections) void connection.destroy();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const saturation = watchClientSaturation();
  const started = performance.now();
  const worker = async (connection: LoadConnection) => {
    while (issued < spec.requests) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      issued++;
      try {
        const response = await connection.send();
        latencies[measured++] = response.latencyMs;
        // The default expectation (any 2xx) is checked without building failure records.
        const ok = expect === undefined ? response.status >= 200 && response.status <= 299 : evaluateExpect(expect, response).length === 0;
        if (ok) succeeded++;
        else count(errors, `status ${response.status}`);
      } catch (error) {
        if (options.signal?.aborted) throw abortReason(options.signal);
        count(errors, transportError(error as Error, url).message);
      }
    }
  };
  try {
    await Promise.all(connections.map(worker));
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.all(connections.map((connection) => connection.destroy()));
  }
  const durationMs = performance.now() - started;
  const sorted = latencies.subarray(0, measured).sort();
  const round = (n: number) => Math.round(n * 10) / 10;
  const p95Ms = round(percentile(sorted, 95));
  const result: LoadResult = {
    url,
    requests: spec.requests,
    succeeded,
    failed: spec.requests - succeeded,
    successRate: succeeded / spec.requests,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms,
    p99Ms: round(percentile(sorted, 99)),
    durationMs: Math.round(durationMs),
    requestsPerSecond: Math.round((spec.requests / durationMs) * 1000),
    errors,
    client: saturation.stop(p95Ms),
    findings: [],
    inconclusive: [],
  };
  const maxP95 = spec["max-p95"];
  if (maxP95 !== undefined && !(result.p95Ms <= maxP95)) {
    // A p95 inflated by the client's own queueing says nothing about the release: not a failure.
    (result.client.saturated ? result.inconclusive : result.findings).push({
      subject: "load p95 latency",
      measured: result.client.saturated
        ? `${formatDuration(result.p95Ms)} while the load client itself was saturated (event-loop delay p99 ${formatDuration(result.client.eventLoopDelayP99Ms)})`
        : formatDuration(result.p95Ms),
      expected: `at most ${formatDuration(maxP95)}`,
    });
  }
  const minRate = spec["min-success-rate"] ?? 1;
  if (result.successRate < minRate) {
    result.findings.push({
      subject: "load success rate",
      measured: `${(result.successRate * 100).toFixed(2)}% (${result.failed} of ${result.requests} failed)`,
      expected: `at least ${(minRate * 100).toFixed(2)}%`,
    });
  }
  return result;
}

function readsBody(expect: Expect | undefined): boolean {
  return (
    expect !== undefined &&
    (expect["body-contains"] !== undefined ||
      expect["body-not-contains"] !== undefined ||
      expect["body-matches"] !== undefined ||
      expect.json !== undefined)
  );
}

function count(table: Record<string, number>, key: string): void {
  table[key] = (table[key] ?? 0) + 1;
}
