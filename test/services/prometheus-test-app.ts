import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestApp {
  url: string;
  /** host:port, as a Prometheus scrape target. */
  address: string;
  /** Requests served so far, by status code. */
  served: Record<string, number>;
  stop(): Promise<void>;
}

const BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * A real HTTP app for the e2e tier: `GET /` answers after `latencyMs` and fails one request in
 * `1 / errorRate` with a 500; `/metrics` exposes `http_requests_total{code}` and the
 * `http_request_duration_seconds` histogram in the Prometheus text format; `/healthz` says ok.
 * It drives its own steady traffic (`rps` requests per second) so the rates are real.
 */
export async function startTestApp(options: { errorRate: number; latencyMs: number; rps?: number }): Promise<TestApp> {
  const served: Record<string, number> = { "200": 0, "500": 0 };
  const bucketCounts = BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;
  let n = 0;
  const everyNth = options.errorRate > 0 ? Math.round(1 / options.errorRate) : 0;

  const server = createServer((req, res) => {
    const started = performance.now();
    if (req.url === "/metrics") {
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end(exposition());
      return;
    }
    if (req.url === "/healthz") {
      res.setHeader("content-type", "application/json");
      res.end('{"status":"ok"}');
      return;
    }
    n++;
    const code = everyNth > 0 && n % everyNth === 0 ? 500 : 200;
    setTimeout(() => {
      res.statusCode = code;
      res.end(code === 200 ? "ok" : "boom");
      served[String(code)] = (served[String(code)] ?? 0) + 1;
      const seconds = (performance.now() - started) / 1000;
      count++;
      sum += seconds;
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) bucketCounts[i] = (bucketCounts[i] ?? 0) + 1;
      });
    }, options.latencyMs);
  });

  function exposition(): string {
    const lines = [
      "# HELP http_requests_total Requests served, by status code.",
      "# TYPE http_requests_total counter",
      // Both series exist from the start, so an error ratio is 0 (not empty) while nothing fails.
      ...Object.entries(served).map(([code, value]) => `http_requests_total{code="${code}"} ${value}`),
      "# HELP http_request_duration_seconds Time to answer a request.",
      "# TYPE http_request_duration_seconds histogram",
      ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${bucketCounts[i]}`),
      `http_request_duration_seconds_bucket{le="+Inf"} ${count}`,
      `http_request_duration_seconds_sum ${sum}`,
      `http_request_duration_seconds_count ${count}`,
    ];
    return `${lines.join("\n")}\n`;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const traffic = setInterval(
    () => {
      get(`${url}/`, (res) => res.resume()).on("error", () => {});
    },
    1000 / (options.rps ?? 100),
  );

  return {
    url,
    address: `127.0.0.1:${port}`,
    served,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(traffic);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
