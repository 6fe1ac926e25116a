// Zero-downtime swap under load, through a real nginx: two app colors on 127.0.0.1, a paced
// keep-alive load generator, and ten back-to-back runs of the committed blue-green-swap bundle
// (switch + verification). Prints requests sent / resent / failed and the switch durations.
// Needs nginx (bash scripts/install-e2e-deps.sh) and root. Run: npm run bench -- blue-green-swap
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The e2e tests' services, not copies (bench scripts run with the TypeScript loader: see bench/run.mjs).
import { renderUpstreamFile } from "../packages/traffic/src/nginx/upstream-file.ts";
import { startLoad } from "../test/services/load-generator.ts";
import { startNginx } from "../test/services/nginx.ts";
import { startTwoColorApps } from "../test/services/two-color-app.ts";

const root = new URL("..", import.meta.url).pathname;
const SWITCHES = Number(process.env.SWITCHES ?? 10);
const RATE = Number(process.env.RATE ?? 300);

/** Runs dist/blue-green-swap/index.js as the runner does and returns its outputs. */
function runSwap(inputs) {
  const dir = mkdtempSync(join(tmpdir(), "cutover-bench-"));
  const output = join(dir, "output");
  writeFileSync(output, "");
  writeFileSync(join(dir, "summary"), "");
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: join(dir, "summary"), RUNNER_TEMP: dir };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "dist", "blue-green-swap", "index.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (c) => (log += c));
    child.stderr.on("data", (c) => (log += c));
    child.on("close", (code) => {
      const outputs = parseOutputs(readFileSync(output, "utf8"));
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`swap failed (exit ${code}):\n${log}`));
      else resolve({ outputs, wallMs: performance.now() - started });
    });
  });
}

function parseOutputs(text) {
  const values = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (!heredoc) continue;
    const body = [];
    for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
    values[heredoc[1]] = body.join("\n");
  }
  return values;
}

const stat = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
};

const apps = await startTwoColorApps({ blue: "1", green: "2" });
const nginx = await startNginx({ upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "blue") });
const router = JSON.stringify({
  provider: "nginx",
  "upstream-file": nginx.upstreamFile,
  colors: apps.colors,
  "test-command": nginx.testCommand,
  "reload-command": nginx.reloadCommand,
});
const switchMs = [];
const verifiedMs = [];
const wallMs = [];
try {
  const load = startLoad({ url: nginx.url, rate: RATE, sockets: 16 });
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < SWITCHES; i++) {
    const run = await runSwap({
      mode: "switch",
      to: "idle",
      router,
      "verify-url": nginx.url,
      "verify-expect": 'headers: { x-color: "{color}" }',
      "verify-deadline": "10s",
      "revert-on-failure": "true",
    });
    const report = JSON.parse(run.outputs.report);
    switchMs.push(report.switch.durationMs);
    verifiedMs.push(Number(run.outputs["duration-ms"]));
    wallMs.push(run.wallMs);
  }
  await new Promise((r) => setTimeout(r, 500));
  const stats = await load.stop();
  const f = (n) => `${Math.round(n)} ms`;
  console.log(`blue-green-swap under load through nginx ${SWITCHES} back-to-back switches, ${RATE} req/s target, 16 keep-alive sockets`);
  console.log(
    `  requests sent:   ${stats.sent} (${Math.round(stats.requestsPerSecond)} req/s over ${(stats.durationMs / 1000).toFixed(1)} s)`,
  );
  console.log(`  failed:          ${stats.failed}${stats.failed ? ` ${JSON.stringify(stats.errors)}` : ""}`);
  console.log(
    `  resent:          ${stats.resent} (GET reset before any response byte by a retiring nginx worker; resent once on a fresh connection)`,
  );
  console.log(`  answered by:     ${JSON.stringify(stats.byColor)}`);
  console.log(`  switch (write + nginx -t + reload): median ${f(stat(switchMs).median)}, max ${f(stat(switchMs).max)}`);
  console.log(`  switch + verification (duration-ms): median ${f(stat(verifiedMs).median)}, max ${f(stat(verifiedMs).max)}`);
  console.log(`  whole step (process start to exit): median ${f(stat(wallMs).median)}, max ${f(stat(wallMs).max)}`);
  if (stats.failed > 0) process.exitCode = 1;
} finally {
  await nginx.stop();
  await apps.close();
}
