import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closedPort } from "../harness/test-server.js";

export interface PrometheusService {
  url: string;
  /** Instant query through the HTTP API, for test setup (the code under test has its own client). */
  query(promql: string): Promise<{ resultType: string; result: unknown }>;
  /** Resolves once every scrape target has been scraped `samples` times (up == 1 for that long). */
  waitForSamples(samples: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ScrapeTarget {
  job: string;
  /** host:port serving /metrics. */
  address: string;
}

/**
 * Starts the real Prometheus from the Debian package (`bash scripts/install-e2e-deps.sh`) on a
 * free 127.0.0.1 port, with a temporary config and TSDB, scraping `targets` every
 * `scrapeIntervalS` seconds.
 */
export async function startPrometheus(targets: readonly ScrapeTarget[], scrapeIntervalS = 1): Promise<PrometheusService> {
  const dir = mkdtempSync(join(tmpdir(), "cutover-prometheus-"));
  const config = [
    "global:",
    `  scrape_interval: ${scrapeIntervalS}s`,
    `  scrape_timeout: ${scrapeIntervalS}s`,
    `  evaluation_interval: ${scrapeIntervalS}s`,
    "scrape_configs:",
    // Targets sharing a job name are one scrape config (Prometheus refuses a job name twice).
    ...[...new Set(targets.map((t) => t.job))].flatMap((job) => [
      `  - job_name: ${job}`,
      "    static_configs:",
      `      - targets: [${targets
        .filter((t) => t.job === job)
        .map((t) => `'${t.address}'`)
        .join(", ")}]`,
    ]),
    "",
  ].join("\n");
  writeFileSync(join(dir, "prometheus.yml"), config);
  const port = await closedPort();
  const child: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const query = async (promql: string) => {
    const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, { signal: AbortSignal.timeout(5_000) });
    const json = (await response.json()) as { status: string; data: { resultType: string; result: unknown }; error?: string };
    if (json.status !== "success") throw new Error(`query ${promql} failed: ${json.error}`);
    return json.data;
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 30s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    query,
    waitForSamples: async (samples, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      const promql = `min(count_over_time(up[1h]) and on (job) (min_over_time(up[1h]) == 1))`;
      for (;;) {
        const data = await query(promql);
        const result = data.result as { value: [number, string] }[];
        const jobs = await query("count(up == 1)");
        const up = Number((jobs.result as { value: [number, string] }[])[0]?.value[1] ?? 0);
        if (up === targets.length && Number(result[0]?.value[1] ?? 0) >= samples) return;
        if (Date.now() > until) throw new Error(`targets not scraped ${samples} times within ${timeoutMs}ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop,
  };
}
