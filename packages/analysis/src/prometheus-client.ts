import { abortReason, redactUrl } from "@cutover/core";
import { type HttpClient, HttpTransportError } from "@cutover/http-checks";
import { parseSampleValue } from "./sample-value.js";

/** What one instant query gave: one number, or nothing to judge. */
export type QueryValue = { kind: "value"; value: number; labels?: Record<string, string> } | { kind: "no-data"; reason: string };

/** Every series an instant query returned (a scalar is one series without labels); an alert rule fires when there is any. */
export interface QuerySeries {
  series: { labels: Record<string, string>; value: number }[];
}

/** When to evaluate: now, or at a past instant (e.g. just before the swap, for a baseline). */
export interface QueryOptions {
  signal?: AbortSignal;
  at?: Date;
}

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
  /** One value: the query must return one series or a scalar. */
  query(query: string, options?: QueryOptions): Promise<QueryValue>;
  /** Any number of series, e.g. for an alert rule's expression. */
  querySeries(query: string, options?: QueryOptions): Promise<QuerySeries>;
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

  async query(query: string, options: QueryOptions = {}): Promise<QueryValue> {
    const { status, text } = await this.post(query, options);
    return interpret(status, text);
  }

  async querySeries(query: string, options: QueryOptions = {}): Promise<QuerySeries> {
    const { status, text } = await this.post(query, options);
    return interpretSeries(status, text);
  }

  private async post(query: string, { signal, at }: QueryOptions): Promise<{ status: number; text: string }> {
    // POST keeps long queries out of URLs (and proxy logs); the server-side timeout matches ours.
    const form = new URLSearchParams({ query, timeout: `${Math.max(0.001, this.options.timeoutMs / 1000)}s` });
    if (at) form.set("time", (at.getTime() / 1000).toFixed(3));
    const body = form.toString();
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
    return { status, text };
  }
}

/** Reads an API response the way Prometheus documents it: `{status, data: {resultType, result}}` or `{status: "error", errorType, error}`. */
export function interpret(status: number, text: string): QueryValue {
  const data = successData(status, text);
  const { resultType, result } = data;
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
  throw notAnInstantResult(resultType);
}

/** Reads an API response into every series it holds (NaN samples stay NaN). */
export function interpretSeries(status: number, text: string): QuerySeries {
  const { resultType, result } = successData(status, text);
  if (resultType === "scalar") return { series: [{ labels: {}, value: sampleNumber(result) }] };
  if (resultType === "vector") {
    if (!Array.isArray(result)) throw shapeError("a vector result that is not a list");
    return {
      series: (result as { metric?: Record<string, string>; value?: unknown }[]).map((s) => ({
        labels: s.metric ?? {},
        value: sampleNumber(s.value),
      })),
    };
  }
  throw notAnInstantResult(resultType);
}

function notAnInstantResult(resultType: unknown): MetricQueryError {
  if (resultType === "matrix") {
    return new MetricQueryError("the query returned a range vector; use an instant vector (e.g. rate(x[5m]), not x[5m])", false, true);
  }
  return new MetricQueryError(`the query returned a ${String(resultType)}; it must return one number`, false, true);
}

function successData(status: number, text: string): { resultType?: unknown; result?: unknown } {
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
  return json.data;
}

function sampleNumber(pair: unknown): number {
  if (!Array.isArray(pair) || pair.length !== 2) throw shapeError("a sample that is not [time, value]");
  const value = parseSampleValue(pair[1]);
  if (value === undefined) throw shapeError(`a sample value ${JSON.stringify(pair[1])} that is not a number`);
  return value;
}

function sample(pair: unknown, labels: Record<string, string> | undefined): QueryValue {
  const value = sampleNumber(pair);
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
