import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A server shaped like the Prometheus HTTP API's instant-query endpoint (`/api/v1/query`, GET
 * or form POST), for unit tests. It returns the documented response shapes byte for byte:
 * `{"status":"success","data":{"resultType":…,"result":…}}` and
 * `{"status":"error","errorType":…,"error":…}` with Prometheus's status codes (400 bad_data,
 * 422 execution, 503 timeout/unavailable). Sample values are strings as Go formats them
 * (`0.05`, `NaN`, `+Inf`). The e2e tier runs the real Prometheus instead.
 */

export type FakeAnswer =
  | { vector: (number | string)[]; labels?: Record<string, string>[] }
  | { scalar: number | string }
  | { matrix: (number | string)[][] }
  | { error: string; errorType?: "bad_data" | "execution" | "timeout" | "unavailable" | "internal"; httpStatus?: number }
  | { raw: string; httpStatus: number; contentType?: string }
  /** Accept the connection and never answer (a hung Prometheus). */
  | { hang: true };

export interface FakePrometheus {
  url: string;
  /** Every query received, in order, with the headers it carried. */
  queries: { query: string; method: string; headers: IncomingMessage["headers"]; timeout?: string; time?: string }[];
  close(): Promise<void>;
}

export interface FakePrometheusOptions {
  /** Decides the answer to each query; `n` counts queries received so far (1-based), per query text. */
  answer: (query: string, n: number) => FakeAnswer;
  /** When set, requests without exactly this Authorization header get 401, as an auth proxy answers. */
  authorization?: string;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64), as Prometheus writes sample values. */
export function goFloat(value: number | string): string {
  if (typeof value === "string") return value;
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

const ERROR_STATUS = { bad_data: 400, execution: 422, timeout: 503, unavailable: 503, internal: 500 } as const;

export async function startFakePrometheus(options: FakePrometheusOptions): Promise<FakePrometheus> {
  const queries: FakePrometheus["queries"] = [];
  const perQuery = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => handle(req, res, body));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? "/", "http://prometheus");
    if (url.pathname !== "/api/v1/query") return send(res, 404, "text/plain", "404 page not found\n");
    if (req.method !== "GET" && req.method !== "POST") return send(res, 405, "text/plain", "Method Not Allowed\n");
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      return send(res, 401, "text/plain", "Unauthorized\n");
    }
    const params = req.method === "POST" ? new URLSearchParams(body) : url.searchParams;
    if (req.method === "POST" && !String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      // Prometheus parses only form bodies; anything else leaves `query` empty.
      return apiError(res, "bad_data", 'invalid parameter "query": 1:1: parse error: no expression found in input');
    }
    const query = params.get("query");
    if (!query) return apiError(res, "bad_data", 'invalid parameter "query": 1:1: parse error: no expression found in input');
    const timeout = params.get("timeout") ?? undefined;
    const time = params.get("time") ?? undefined;
    // Prometheus takes `time` as Unix seconds (a float) or RFC 3339, and refuses anything else.
    if (time !== undefined && !/^\d+(\.\d+)?$/.test(time) && Number.isNaN(Date.parse(time))) {
      return apiError(res, "bad_data", `invalid parameter "time": cannot parse "${time}" to a valid timestamp`);
    }
    queries.push({ query, method: req.method, headers: req.headers, ...(timeout ? { timeout } : {}), ...(time ? { time } : {}) });
    const n = (perQuery.get(query) ?? 0) + 1;
    perQuery.set(query, n);
    const answer = options.answer(query, n);
    const now = time === undefined ? Date.now() / 1000 : /^[\d.]+$/.test(time) ? Number(time) : Date.parse(time) / 1000;
    if ("hang" in answer) return;
    if ("raw" in answer) return send(res, answer.httpStatus, answer.contentType ?? "text/plain", answer.raw);
    if ("error" in answer) return apiError(res, answer.errorType ?? "bad_data", answer.error, answer.httpStatus);
    if ("scalar" in answer) return success(res, { resultType: "scalar", result: [now, goFloat(answer.scalar)] });
    if ("matrix" in answer) {
      return success(res, {
        resultType: "matrix",
        result: answer.matrix.map((values, i) => ({
          metric: { series: String(i) },
          values: values.map((v, j) => [now - (values.length - j) * 15, goFloat(v)]),
        })),
      });
    }
    return success(res, {
      resultType: "vector",
      result: answer.vector.map((v, i) => ({ metric: answer.labels?.[i] ?? {}, value: [now, goFloat(v)] })),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function success(res: ServerResponse, data: unknown): void {
  send(res, 200, "application/json", JSON.stringify({ status: "success", data }));
}

function apiError(res: ServerResponse, errorType: keyof typeof ERROR_STATUS, error: string, httpStatus?: number): void {
  send(res, httpStatus ?? ERROR_STATUS[errorType], "application/json", JSON.stringify({ status: "error", errorType, error }));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}
