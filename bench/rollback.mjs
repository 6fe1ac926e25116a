// Time to roll back by traffic: from spawning the committed rollback bundle (strategy auto →
// traffic, probe of the idle color, nginx switch, verification, ledger write) to the old version
// answering 100% of requests through a real nginx. An observer opens a fresh connection every
// 5 ms; "100%" is the send time of the first observer answer from 1.0.0 after which no observer
// request was answered by 2.0.0 (the keep-alive load only counts failures and resends: it has no
// per-request timestamps). Several runs; median and max.
// Needs nginx (bash scripts/install-e2e-deps.sh) and root. Run: npm run bench -- rollback
import { execSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderUpstreamFile } from "../packages/traffic/src/nginx/upstream-file.ts";
import { startLoad } from "../test/services/load-generator.ts";
import { startNginx } from "../test/services/nginx.ts";
import { startTwoColorApps } from "../test/services/two-color-app.ts";

const root = new URL("..", import.meta.url).pathname;
const RUNS = Number(process.env.RUNS ?? 7);
const RATE = Number(process.env.RATE ?? 200);
const OBSERVE_EVERY_MS = 5;

// The ledger is seeded through the bundle itself (mode record) and green is restored by writing
// the upstream file the router would write.

const apps = await startTwoColorApps({ blue: "1.0.0", green: "2.0.0" });
const nginx = await startNginx({ upstream: renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "green") });
const block = {
  provider: "nginx",
  "upstream-file": nginx.upstreamFile,
  colors: apps.colors,
  "test-command": nginx.testCommand,
  "reload-command": nginx.reloadCommand,
};
const work = mkdtempSync(join(tmpdir(), "cutover-bench-rollback-"));

/** 1.0.0 on blue, then 2.0.0 on green: the state before each rollback, written by the bundle's mode record. */
async function seedLedger(path) {
  rmSync(path, { force: true });
  for (const [version, color, replaced, sha] of [
    ["1.0.0", "blue", "green", "1"],
    ["2.0.0", "green", "blue", "2"],
  ]) {
    const { done } = runBundle({
      mode: "record",
      environment: "production",
      ledger: `file:${path}`,
      version,
      ref: `v${version}`,
      sha: sha.repeat(40),
      color,
      "previous-color": replaced,
      status: "success",
    });
    await done;
  }
}

/** One GET on a brand-new connection: which version answered, and when it was sent. */
function observe(sentAt) {
  return new Promise((resolve) => {
    http
      .get(nginx.url, { agent: false, timeout: 2_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c) => (body += c));
        res.on("end", () => {
          try {
            resolve({ sentAt, version: JSON.parse(body).version });
          } catch {
            resolve({ sentAt, version: "bad answer" });
          }
        });
      })
      .on("error", (e) => resolve({ sentAt, version: `error ${e.code ?? e.message}` }));
  });
}

function runRollback(ledgerPath) {
  return runBundle({
    mode: "rollback",
    environment: "production",
    ledger: `file:${ledgerPath}`,
    strategy: "auto",
    router: JSON.stringify(block),
    "verify-url": nginx.url,
    "verify-expect": 'headers: { x-color: "{color}" }\njson: { $.version: "{version}" }',
    "verify-deadline": "10s",
    "migrate-down": "false",
    reason: "bench",
  });
}

/** Runs dist/rollback/index.js as the runner does (INPUT_* variables, real output files). */
function runBundle(inputs) {
  const dir = mkdtempSync(join(work, "run-"));
  const output = join(dir, "output");
  writeFileSync(output, "");
  writeFileSync(join(dir, "summary"), "");
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: join(dir, "summary"), RUNNER_TEMP: dir };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, "dist", "rollback", "index.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (c) => (log += c));
  child.stderr.on("data", (c) => (log += c));
  const done = new Promise((resolve, reject) =>
    child.on("close", (code) => {
      const text = readFileSync(output, "utf8");
      if (code !== 0) reject(new Error(`rollback failed (exit ${code}):\n${log}`));
      else resolve({ exitedAt: performance.now(), report: JSON.parse(/report<<(.+)\n([\s\S]*?)\n\1/.exec(text)?.[2] ?? "{}") });
    }),
  );
  return { started, done };
}

const stat = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
};

const toOld = [];
const wall = [];
const switchMs = [];
const ledgerPath = join(work, "ledger.json");
let totals = { sent: 0, resent: 0, failed: 0, errors: {} };
try {
  for (let i = 0; i < RUNS; i++) {
    await seedLedger(ledgerPath);
    writeFileSync(nginx.upstreamFile, renderUpstreamFile({ "upstream-name": "app", colors: apps.colors }, "green"));
    execSync(nginx.reloadCommand, { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 300));

    const load = startLoad({ url: nginx.url, rate: RATE, sockets: 16, colors: ["blue", "green"] });
    await new Promise((r) => setTimeout(r, 200));
    const observations = [];
    const { started, done } = runRollback(ledgerPath);
    const timer = setInterval(() => observations.push(observe(performance.now())), OBSERVE_EVERY_MS);
    const result = await done;
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(timer);
    const stats = await load.stop();
    const seen = (await Promise.all(observations)).sort((a, b) => a.sentAt - b.sentAt);
    const lastOld = seen.findLastIndex((o) => o.version !== "1.0.0");
    const firstAllOld = seen[lastOld + 1];
    if (!firstAllOld) throw new Error(`run ${i + 1}: 1.0.0 never served 100% (last answers: ${seen.slice(-5).map((o) => o.version)})`);
    toOld.push(firstAllOld.sentAt - started);
    wall.push(result.exitedAt - started);
    switchMs.push(result.report.timings?.["switch-ms"] ?? Number.NaN);
    totals = {
      sent: totals.sent + stats.sent,
      resent: totals.resent + stats.resent,
      failed: totals.failed + stats.failed,
      errors: { ...totals.errors, ...stats.errors },
    };
  }
  const f = (n) => `${Math.round(n)} ms`;
  console.log(
    `rollback (strategy auto → traffic) through nginx, ${RUNS} runs, ${RATE} req/s keep-alive load + a fresh-connection observer every ${OBSERVE_EVERY_MS} ms`,
  );
  console.log(`  spawn → 1.0.0 serving 100%:  median ${f(stat(toOld).median)}, max ${f(stat(toOld).max)}  (target < 2000 ms)`);
  console.log(
    `  spawn → step exited:          median ${f(stat(wall).median)}, max ${f(stat(wall).max)}  (includes verification, 3 passes 200 ms apart, and the ledger write)`,
  );
  console.log(`  switch + verification (report switch-ms): median ${f(stat(switchMs).median)}, max ${f(stat(switchMs).max)}`);
  console.log(
    `  load: ${totals.sent} requests, ${totals.failed} failed${totals.failed ? ` ${JSON.stringify(totals.errors)}` : ""}, ${totals.resent} resent (reset before any response byte by a retiring nginx worker; resent once on a fresh connection)`,
  );
  if (totals.failed > 0 || stat(toOld).max >= 2000) process.exitCode = 1;
} finally {
  await nginx.stop();
  await apps.close();
  rmSync(work, { recursive: true, force: true });
}
