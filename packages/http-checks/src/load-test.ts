import { abortReason, formatDuration, type GateFinding } from "@cutover/core";
import { evaluateExpect } from "./assertions.js";
import type { HttpClient } from "./http-client.js";
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
  findings: GateFinding[];
}

/** Sends `requests` requests with `concurrency` in flight and holds the results to the gates. */
export async function runLoad(
  url: string,
  spec: LoadSpec,
  options: { client: HttpClient; timeoutMs: number; headers: Record<string, string>; signal?: AbortSignal },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let succeeded = 0;
  let issued = 0;
  const expect = spec.expect;
  const started = performance.now();
  const worker = async () => {
    while (issued < spec.requests) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      issued++;
      try {
        const response = await options.client.request({
          url,
          method: spec.method,
          headers: options.headers,
          timeoutMs: options.timeoutMs,
          followRedirects: false,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        latencies.push(response.latencyMs);
        const failures = evaluateExpect(expect, response);
        if (failures.length === 0) succeeded++;
        else count(errors, `status ${response.status}`);
      } catch (error) {
        if (options.signal?.aborted) throw abortReason(options.signal);
        count(errors, (error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.requests) }, worker));
  const durationMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  const result: LoadResult = {
    url,
    requests: spec.requests,
    succeeded,
    failed: spec.requests - succeeded,
    successRate: succeeded / spec.requests,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    durationMs: Math.round(durationMs),
    requestsPerSecond: Math.round((spec.requests / durationMs) * 1000),
    errors,
    findings: [],
  };
  const maxP95 = spec["max-p95"];
  if (maxP95 !== undefined && !(result.p95Ms <= maxP95)) {
    result.findings.push({
      subject: "load p95 latency",
      measured: formatDuration(result.p95Ms),
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

function count(table: Record<string, number>, key: string): void {
  table[key] = (table[key] ?? 0) + 1;
}
