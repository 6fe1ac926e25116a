// health-gate figures:
//  1. detection latency of a failing release: the gate runs against a healthy app scraped by a
//     real Prometheus (1s scrape), the app starts failing 5% of requests, and we time how long
//     the gate (dist bundle, as the runner starts it) takes to fail. Measured with a 1s
//     analysis-interval (RUNS times) and once with the defaults (30s interval, failure-limit 0),
//     errors beginning just after a measurement; the defaults' other cases are computed from the
//     loop's schedule plus the metric lag measured here (30s runs are too long to repeat).
//  2. the gate's own CPU cost per readiness probe: process.cpuUsage over many probes against a
//     local server that runs in another process, so only the gate's work is counted.
// Run: npm run bench -- health-gate   (PROBES=…, RUNS=… to change sizes)
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pollReadiness } from "../packages/analysis/src/index.ts";
import { HttpClient } from "../packages/http-checks/src/index.ts";

const root = new URL("..", import.meta.url).pathname;
const PROBES = Number(process.env.PROBES ?? 3000);
const RUNS = Number(process.env.RUNS ?? 3);
const WINDOW = "5s";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// --- 2. CPU per probe ---
async function cpuPerProbe() {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      "-e",
      `require("node:http").createServer((q,s)=>{s.setHeader("content-type","application/json");s.end('{"status":"ok"}')}).listen(${port},"127.0.0.1",()=>console.log("up"))`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((r) => server.stdout.once("data", r));
  const client = new HttpClient();
  const poll = (n) =>
    pollReadiness({
      url: `http://127.0.0.1:${port}/healthz`,
      expect: { status: 200, json: { "$.status": "ok" }, "max-latency": 1000 },
      client,
      intervalMs: 0,
      timeoutMs: 600_000,
      requestTimeoutMs: 5_000,
      healthyThreshold: n,
      unhealthyThreshold: 3,
    });
  await poll(200); // warm up the JIT and the keep-alive socket
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await poll(PROBES);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  client.close();
  server.kill("SIGTERM");
  if (!result.healthy) throw new Error(`probes failed: ${result.message}`);
  return { userUs: used.user / PROBES, systemUs: used.system / PROBES, wallMs: wall / PROBES };
}

// --- 1. detection latency ---
function startApp() {
  const served = { 200: 0, 500: 0 };
  let errorEvery = 0;
  let n = 0;
  const server = createServer((req, res) => {
    if (req.url === "/metrics") {
      res.end(
        `# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${served[200]}\nhttp_requests_total{code="500"} ${served[500]}\n`,
      );
      return;
    }
    n++;
    const code = errorEvery > 0 && n % errorEvery === 0 ? 500 : 200;
    served[code]++;
    res.statusCode = code;
    res.end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      const traffic = setInterval(() => get(url, (r) => r.resume()).on("error", () => {}), 10);
      resolve({
        address: `127.0.0.1:${server.address().port}`,
        setErrorRate: (rate) => {
          errorEvery = rate > 0 ? Math.round(1 / rate) : 0;
        },
        stop: () => {
          clearInterval(traffic);
          server.closeAllConnections();
          server.close();
        },
      });
    }),
  );
}

async function startPrometheus(target) {
  const dir = mkdtempSync(join(tmpdir(), "cutover-bench-prom-"));
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const port = await freePort();
  const child = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=error",
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  const query = async (q) => {
    const r = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: q })}`);
    const j = await r.json();
    return Number(j.data?.result?.[0]?.value?.[1] ?? Number.NaN);
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok && (await query(`count_over_time(up[1m])`)) >= 6) break;
    } catch {}
    if (i > 300) throw new Error("prometheus did not start");
    await sleep(100);
  }
  return {
    url,
    query,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ERROR_RATIO = `sum(rate(http_requests_total{code="500"}[${WINDOW}])) / sum(rate(http_requests_total[${WINDOW}]))`;

function runGate(prometheusUrl, env) {
  const dir = mkdtempSync(join(tmpdir(), "cutover-bench-gate-"));
  const files = { GITHUB_OUTPUT: join(dir, "o"), GITHUB_STEP_SUMMARY: join(dir, "s"), GITHUB_STATE: join(dir, "t") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const child = spawn(process.execPath, [join(root, "dist/health-gate/index.js")], {
    env: {
      PATH: process.env.PATH,
      ...files,
      "INPUT_PROMETHEUS-URL": prometheusUrl,
      INPUT_METRICS: JSON.stringify([{ name: "error-rate", query: ERROR_RATIO, max: 0.01 }]),
      "INPUT_ANALYSIS-INTERVAL": "1s",
      "INPUT_ANALYSIS-COUNT": "120",
      "INPUT_FAILURE-LIMIT": "0",
      "INPUT_INCONCLUSIVE-LIMIT": "1",
      "INPUT_INITIAL-DELAY": "0s",
      "INPUT_REQUEST-TIMEOUT": "5s",
      "INPUT_ON-INCONCLUSIVE": "fail",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c) => {
    out += c;
  });
  return {
    waitFor: async (text) => {
      while (!out.includes(text)) await sleep(20);
    },
    done: new Promise((resolve) =>
      child.on("close", (code) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ code, out });
      }),
    ),
  };
}

async function detection() {
  const app = await startApp();
  const prom = await startPrometheus(app.address);
  const gateMs = [];
  const lagMs = [];
  let defaultsMs;
  try {
    for (let i = 0; i < RUNS; i++) {
      app.setErrorRate(0);
      // Let the 5s window forget the previous run's errors.
      while (!((await prom.query(ERROR_RATIO)) === 0)) await sleep(200);
      const gate = runGate(prom.url);
      await gate.waitFor("error-rate #2/");
      const flipped = performance.now();
      app.setErrorRate(0.05);
      // Independently: when does the metric itself cross the threshold?
      const lag = (async () => {
        while (!((await prom.query(ERROR_RATIO)) > 0.01)) await sleep(50);
        return performance.now() - flipped;
      })();
      const { code } = await gate.done;
      if (code !== 1) throw new Error(`gate exited ${code}, expected a failure`);
      gateMs.push(performance.now() - flipped);
      lagMs.push(await lag);
    }
    // The defaults, run for real once: analysis-interval 30s, failure-limit 0. Errors begin just
    // after a measurement, the worst moment: the gate can only see them at the next one.
    app.setErrorRate(0);
    while (!((await prom.query(ERROR_RATIO)) === 0)) await sleep(200);
    const gate = runGate(prom.url, { "INPUT_ANALYSIS-INTERVAL": "30s", "INPUT_ANALYSIS-COUNT": "5" });
    await gate.waitFor("error-rate #1/");
    const flipped = performance.now();
    app.setErrorRate(0.05);
    const { code } = await gate.done;
    if (code !== 1) throw new Error(`gate with defaults exited ${code}, expected a failure`);
    defaultsMs = performance.now() - flipped;
  } finally {
    app.stop();
    prom.stop();
  }
  return { gateMs, lagMs, defaultsMs };
}

const cpu = await cpuPerProbe();
let det;
try {
  execFileSync("sh", ["-c", "command -v prometheus"], { stdio: "ignore" });
  det = await detection();
} catch (error) {
  det = undefined;
  console.log(`detection latency skipped: ${error.message.split("\n")[0]} (run bash scripts/install-e2e-deps.sh for prometheus)`);
}

console.log("health-gate bench");
if (det) {
  const lag = median(det.lagMs);
  console.log(`detection latency, 5% errors vs max 0.01, rate[${WINDOW}], real Prometheus scraping every 1s, ${RUNS} runs:`);
  console.log(
    `  metric lag (errors begin -> query value > 0.01):          median ${(lag / 1000).toFixed(2)} s  [${det.lagMs.map((x) => (x / 1000).toFixed(2)).join(", ")}]`,
  );
  console.log(
    `  analysis-interval 1s, failure-limit 0 (measured, bundle): median ${(median(det.gateMs) / 1000).toFixed(2)} s  [${det.gateMs.map((x) => (x / 1000).toFixed(2)).join(", ")}]`,
  );
  console.log(
    `  defaults (analysis-interval 30s, failure-limit 0), measured once, errors beginning just after a measurement (worst case): ${(det.defaultsMs / 1000).toFixed(2)} s`,
  );
  console.log("  defaults, the other cases COMPUTED from the schedule and the measured lag:");
  console.log(
    `    release failing while the gate runs: lag + wait for next measurement (0..30s) = mean ${(15 + lag / 1000).toFixed(1)} s, worst ${(30 + lag / 1000).toFixed(1)} s`,
  );
  console.log(
    `    release failing from the start (idle color, initial-delay 0): first measurement at 0s, so ${(lag / 1000).toFixed(1)} s of lag once traffic flows`,
  );
}
console.log(`gate CPU per readiness probe (${PROBES} probes, keep-alive, expect: status + json + max-latency, server in another process):`);
console.log(
  `  user ${cpu.userUs.toFixed(0)} µs + system ${cpu.systemUs.toFixed(0)} µs = ${(cpu.userUs + cpu.systemUs).toFixed(0)} µs CPU; wall ${(cpu.wallMs * 1000).toFixed(0)} µs per probe back to back`,
);
