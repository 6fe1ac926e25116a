import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestApp {
  url: string;
  /** Constant labels on every series, e.g. { color: "green", version: "v2" }. */
  labels: Record<string, string>;
  /** Deploys another release on this app: new labels (e.g. version), error rate, latency or traffic. */
  change(next: { labels?: Record<string, string>; errorRate?: number; latencyMs?: number; rps?: number }): void;
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
export async function startTestApp(options: {
  errorRate: number;
  latencyMs: number;
  rps?: number;
  /** Series labels (color, version); a label change starts new series, as a redeploy does. */
  labels?: Record<string, string>;
  /** When false, no 5xx series exists until the first failure (as most client libraries behave). Default true. */
  errorSeriesFromStart?: boolean;
}): Promise<TestApp> {
  let labels = { ...options.labels };
  let errorRate = options.errorRate;
  let latencyMs = options.latencyMs;
  // Per label set (a release), as separate processes would count.
  const releases = new Map<string, { served: Record<string, number>; bucketCounts: number[]; count: number; sum: number }>();
  const release = () => {
    const key = JSON.stringify(labels);
    let r = releases.get(key);
    if (!r) {
      r = {
        served: options.errorSeriesFromStart === false ? { "200": 0 } : { "200": 0, "500": 0 },
        bucketCounts: BUCKETS.map(() => 0),
        count: 0,
        sum: 0,
      };
      releases.set(key, r);
    }
    return r;
  };
  const served: Record<string, number> = {};
  let n = 0;
  const everyNth = () => (errorRate > 0 ? Math.round(1 / errorRate) : 0);

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
    const nth = everyNth();
    const code = nth > 0 && n % nth === 0 ? 500 : 200;
    const r = release();
    setTimeout(() => {
      res.statusCode = code;
      res.end(code === 200 ? "ok" : "boom");
      served[String(code)] = (served[String(code)] ?? 0) + 1;
      r.served[String(code)] = (r.served[String(code)] ?? 0) + 1;
      const seconds = (performance.now() - started) / 1000;
      r.count++;
      r.sum += seconds;
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) r.bucketCounts[i] = (r.bucketCounts[i] ?? 0) + 1;
      });
    }, latencyMs);
  });
  release();

  function exposition(): string {
    const lines = [
      "# HELP http_requests_total Requests served, by status code.",
      "# TYPE http_requests_total counter",
      "# HELP http_request_duration_seconds Time to answer a request.",
      "# TYPE http_request_duration_seconds histogram",
    ];
    for (const [key, r] of releases) {
      const own = Object.entries(JSON.parse(key) as Record<string, string>)
        .map(([k, v]) => `${k}="${v}",`)
        .join("");
      // With errorSeriesFromStart, both series exist from the start: an error ratio is 0 (not empty) while nothing fails.
      lines.push(...Object.entries(r.served).map(([code, value]) => `http_requests_total{${own}code="${code}"} ${value}`));
      lines.push(...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{${own}le="${le}"} ${r.bucketCounts[i]}`));
      lines.push(`http_request_duration_seconds_bucket{${own}le="+Inf"} ${r.count}`);
      const plain = own.replace(/,$/, "");
      lines.push(`http_request_duration_seconds_sum${plain ? `{${plain}}` : ""} ${r.sum}`);
      lines.push(`http_request_duration_seconds_count${plain ? `{${plain}}` : ""} ${r.count}`);
    }
    return `${lines.join("\n")}\n`;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let traffic: NodeJS.Timeout | undefined;
  const drive = (rps: number) => {
    clearInterval(traffic);
    traffic = rps > 0 ? setInterval(() => get(`${url}/`, (res) => res.resume()).on("error", () => {}), 1000 / rps) : undefined;
  };
  drive(options.rps ?? 100);

  return {
    url,
    address: `127.0.0.1:${port}`,
    served,
    get labels() {
      return labels;
    },
    change: (next) => {
      if (next.labels) labels = { ...labels, ...next.labels };
      if (next.errorRate !== undefined) errorRate = next.errorRate;
      if (next.latencyMs !== undefined) latencyMs = next.latencyMs;
      if (next.rps !== undefined) drive(next.rps);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(traffic);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
