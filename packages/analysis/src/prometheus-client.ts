import { abortReason, redactUrl } from "@cutover/core";
import { type HttpClient, HttpTransportError } from "@cutover/http-checks";
import { parseSampleValue } from "./sample-value.js";

/** What one instant query gave: one number, or nothing to judge. */
export type QueryValue = { kind: "value"; value: number; labels?: Record<string, string> } | { kind: "no-data"; reason: string };

/** A query that could not be answered. `retryable` errors may pass on their own (down, 5xx, timeout). */
export class MetricQueryError extends Error {
  override name = "MetricQueryError";
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The query itself is wrong (bad PromQL): asking again cannot help. */
    readonly rejected = false,
  ) {
    super(message);
  }
}

/** Where measurements come from; Prometheus is the first provider. */
export interface MetricProvider {
  query(query: string, signal?: AbortSignal): Promise<QueryValue>;
}

export interface PrometheusOptions {
  /** Base URL, e.g. http://prometheus:9090 (a path prefix such as /prometheus is kept). */
  url: string;
  /** Sent with every query (e.g. Authorization for a hosted Prometheus). */
  headers?: Record<string, string>;
  timeoutMs: number;
  client: HttpClient;
}

interface ApiResponse {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

/** Instant queries against the Prometheus HTTP API (`POST /api/v1/query`). */
export class PrometheusClient implements MetricProvider {
  private readonly endpoint: string;

  constructor(private readonly options: PrometheusOptions) {
    const base = new URL(options.url);
    base.pathname = `${base.pathname.replace(/\/$/, "")}/api/v1/query`;
    this.endpoint = base.toString();
  }

  async query(query: string, signal?: AbortSignal): Promise<QueryValue> {
    // POST keeps long queries out of URLs (and proxy logs); the server-side timeout matches ours.
    const body = new URLSearchParams({ query, timeout: `${Math.max(0.001, this.options.timeoutMs / 1000)}s` }).toString();
    let status: number;
    let text: string;
    try {
      const response = await this.options.client.request({
        url: this.endpoint,
        method: "POST",
        headers: { ...this.options.headers, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body,
        timeoutMs: this.options.timeoutMs,
        followRedirects: true,
        ...(signal ? { signal } : {}),
      });
      status = response.status;
      text = response.body;
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (error instanceof HttpTransportError) {
        throw new MetricQueryError(`Prometheus at ${redactUrl(this.options.url)} did not answer: ${error.message}`, true);
      }
      throw error;
    }
    return interpret(status, text);
  }
}

/** Reads an API response the way Prometheus documents it: `{status, data: {resultType, result}}` or `{status: "error", errorType, error}`. */
export function interpret(status: number, text: string): QueryValue {
  let json: ApiResponse | undefined;
  try {
    json = JSON.parse(text) as ApiResponse;
  } catch {
    json = undefined;
  }
  if (json?.status === "error" || status >= 400) {
    const detail = json?.error ? `${String(json.errorType ?? "error")}: ${String(json.error)}` : shorten(text);
    if (status === 401 || status === 403)
      throw new MetricQueryError(`Prometheus refused the credentials (HTTP ${status}): ${detail}`, false);
    if (status === 400 || json?.errorType === "bad_data") {
      throw new MetricQueryError(`Prometheus rejected the query (HTTP ${status}, ${detail})`, false, true);
    }
    // 5xx, 503 timeout/unavailable, 422 execution errors: the server may do better next time.
    throw new MetricQueryError(`Prometheus answered HTTP ${status} (${detail})`, status >= 500 || status === 422 || status === 429);
  }
  if (json?.status !== "success" || !json.data) {
    throw new MetricQueryError(`Prometheus answered HTTP ${status} with a body that is not the query API's JSON: ${shorten(text)}`, true);
  }
  const { resultType, result } = json.data;
  if (resultType === "scalar") return sample(result, undefined);
  if (resultType === "vector") {
    if (!Array.isArray(result)) throw shapeError("a vector result that is not a list");
    if (result.length === 0) return { kind: "no-data", reason: "empty result" };
    if (result.length > 1) {
      throw new MetricQueryError(
        `the query returned ${result.length} series; it must return one value (aggregate it, e.g. sum(...) or max(...))`,
        false,
        true,
      );
    }
    const series = result[0] as { metric?: Record<string, string>; value?: unknown };
    return sample(series.value, series.metric);
  }
  if (resultType === "matrix") {
    throw new MetricQueryError("the query returned a range vector; use an instant vector (e.g. rate(x[5m]), not x[5m])", false, true);
  }
  throw new MetricQueryError(`the query returned a ${String(resultType)}; it must return one number`, false, true);
}

function sample(pair: unknown, labels: Record<string, string> | undefined): QueryValue {
  if (!Array.isArray(pair) || pair.length !== 2) throw shapeError("a sample that is not [time, value]");
  const value = parseSampleValue(pair[1]);
  if (value === undefined) throw shapeError(`a sample value ${JSON.stringify(pair[1])} that is not a number`);
  // NaN is what 0/0 gives, e.g. an error ratio with no requests at all: there is nothing to judge.
  if (Number.isNaN(value)) return { kind: "no-data", reason: "NaN (e.g. 0/0: no traffic in the window)" };
  return { kind: "value", value, ...(labels && Object.keys(labels).length > 0 ? { labels } : {}) };
}

function shapeError(what: string): MetricQueryError {
  return new MetricQueryError(`Prometheus answered with ${what}`, false);
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat || "an empty body";
}
