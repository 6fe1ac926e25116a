// smoke-test figures: 200 checks against a local server that answers in 50 ms at concurrency 16
// (target: under 1.5 s wall, whole process), the load mode's achieved requests/s, and the
// bundle's cold start on a trivial input (target: median under 150 ms).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureColdStart } from "./cold-start.mjs";

const bundle = new URL("../dist/smoke-test/index.js", import.meta.url).pathname;

function startServer(delayMs) {
  const server = createServer((_req, res) => {
    setTimeout(() => res.end("ok"), delayMs);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function runBundle(inputs) {
  const dir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
  const output = join(dir, "output");
  writeFileSync(output, "");
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: output };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const text = readFileSync(output, "utf8");
      rmSync(dir, { recursive: true, force: true });
      const outputs = Object.fromEntries([...text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]));
      resolve({ code, wallMs, outputs });
    });
  });
}

const defaults = { "request-timeout": "10s", retries: "0", "retry-delay": "1s", "follow-redirects": "true" };

const slow = await startServer(50);
const url = `http://127.0.0.1:${slow.address().port}`;
const checks = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ name: `check ${i}`, path: `/item/${i}` })));
const walls = [];
for (let i = 0; i < 5; i++) {
  const run = await runBundle({ ...defaults, url, checks, concurrency: "16" });
  if (run.code !== 0 || run.outputs.passed !== "200") throw new Error(`200-check run failed: ${JSON.stringify(run.outputs)}`);
  walls.push(run.wallMs);
}
walls.sort((a, b) => a - b);
console.log(
  `200 checks, 50 ms server, concurrency 16: median ${walls[2].toFixed(0)} ms wall (min ${walls[0].toFixed(0)}, max ${walls[4].toFixed(0)}; target < 1500 ms; floor 200/16 x 50 ms = 625 ms)`,
);
slow.close();

const fast = await startServer(0);
const fastUrl = `http://127.0.0.1:${fast.address().port}`;
const load = await runBundle({ ...defaults, url: fastUrl, concurrency: "8", load: "{ path: /, requests: 20000, concurrency: 32 }" });
const report = JSON.parse(load.outputs.report);
console.log(
  `load mode: ${report.load.requests} requests at concurrency 32 in ${report.load.durationMs} ms = ${report.load.requestsPerSecond} req/s (p50 ${report.load.p50Ms} ms, p95 ${report.load.p95Ms} ms, p99 ${report.load.p99Ms} ms, ${report.load.failed} failed)`,
);
fast.close();
// measureColdStart spawns synchronously, so this process cannot serve: the trivial input is one
// check against a port that refuses at once.
const refused = await startServer(0);
const refusedUrl = `http://127.0.0.1:${refused.address().port}`;
refused.close();
const env = Object.fromEntries(
  Object.entries({ ...defaults, concurrency: "8", url: refusedUrl }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
);
const cold = measureColdStart(bundle, env);
console.log(
  `cold start (one check, refused at once): median ${cold.median.toFixed(1)} ms, p90 ${cold.p90.toFixed(1)} ms (target median < 150 ms)`,
);
