// notify-slack figures: cold start of the committed bundle (preview, and a real post to a local
// Slack stand-in), and the client choice behind it — the official SDK (@slack/web-api +
// @slack/webhook) against @cutover/slack's fetch-based client, each bundled with ncc from a
// tiny entry that posts one message. Run: npm run bench -- notify-slack
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureColdStart } from "./cold-start.mjs";

const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "cutover-notify-bench-"));

/** A stand-in for Slack in its own process (measureColdStart blocks this one): every method answers ok. */
async function startResponder() {
  const code = `
    let n = 0;
    require("node:http").createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", req.url.startsWith("/api/") ? "application/json" : "text/plain");
        res.end(req.url.startsWith("/api/") ? JSON.stringify({ ok: true, channel: "C0BENCH001", ts: "1732280000." + String(++n).padStart(6, "0") }) : "ok");
      });
    }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve) => child.stdout.once("data", (d) => resolve(Number(String(d).trim()))));
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Peak resident memory of one run, in MiB, read at exit by a preloaded hook. */
function peakRss(script, env) {
  const hook = join(work, "rss-hook.mjs");
  writeFileSync(hook, `process.on("exit", () => process.stderr.write("RSS " + process.resourceUsage().maxRSS + "\\n"));`);
  const files = { GITHUB_OUTPUT: join(work, "o"), GITHUB_STEP_SUMMARY: join(work, "s"), GITHUB_STATE: join(work, "st") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const run = spawnSync(process.execPath, ["--import", hook, script], {
    env: { PATH: process.env.PATH, ...files, ...env },
    encoding: "utf8",
  });
  const kb = Number(/RSS (\d+)/.exec(run.stderr)?.[1] ?? Number.NaN);
  return (kb / 1024).toFixed(0);
}

function line(label, script, env, r = measureColdStart(script, env)) {
  const size = (statSync(script).size / 1024).toFixed(0);
  console.log(
    `${label.padEnd(44)} median ${r.median.toFixed(1).padStart(6)} ms  p90 ${r.p90.toFixed(1).padStart(6)} ms  min ${r.min.toFixed(1).padStart(6)} ms  ${peakRss(script, env).padStart(3)} MiB  ${size.padStart(5)} KiB`,
  );
}

function bundle(name, source) {
  const dir = join(work, name);
  const entry = join(root, "bench", `.${name}-entry.ts`);
  writeFileSync(entry, source);
  try {
    execFileSync(join(root, "node_modules", ".bin", "ncc"), ["build", entry, "--out", dir, "--quiet", "--target", "es2023"], { cwd: root });
  } finally {
    rmSync(entry, { force: true });
  }
  return join(dir, "index.js");
}

const responder = await startResponder();
try {
  const action = join(root, "dist", "notify-slack", "index.js");
  const inputs = {
    "INPUT_API-URL": `${responder.url}/api/`,
    INPUT_STATUS: "success",
    INPUT_ENVIRONMENT: "production",
    INPUT_VERSION: "v1.4.2",
    "INPUT_ROLLBACK-WORKFLOW": "rollback.yml",
    "INPUT_FAIL-ON-ERROR": "false",
    "INPUT_REQUEST-TIMEOUT": "10s",
    INPUT_DEADLINE: "60s",
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  };
  console.log("node alone / bundles: cold start (whole process), peak RSS, bundle size");
  const empty = join(work, "empty.mjs");
  writeFileSync(empty, "");
  line("node (empty script)", empty, {});
  line("dist/notify-slack: preview (no credentials)", action, inputs);
  line("dist/notify-slack: post via Web API", action, {
    ...inputs,
    "INPUT_SLACK-TOKEN": "xoxb-bench",
    "INPUT_SLACK-CHANNEL": "C0BENCH001",
  });
  line("dist/notify-slack: post via webhook", action, { ...inputs, "INPUT_SLACK-WEBHOOK-URL": `${responder.url}/services/T/B/x` });

  console.log("\nclient choice: one chat.postMessage + webhook client constructed, bundled with ncc;");
  console.log("both entries carry @cutover/core (zod, yaml), as the action does, so the difference is the client");
  const sdk = bundle(
    "sdk",
    `import { parseDuration } from "@cutover/core";
import { WebClient } from "@slack/web-api";
import { IncomingWebhook } from "@slack/webhook";
const client = new WebClient("xoxb-bench", { slackApiUrl: process.env.API_URL, timeout: parseDuration("10s") });
new IncomingWebhook(process.env.API_URL + "hook");
await client.chat.postMessage({ channel: "C0BENCH001", text: "bench" });
`,
  );
  const lean = bundle(
    "lean",
    `import { SlackWebClient, SlackWebhookClient } from "@cutover/slack";
const policy = { timeoutMs: 10_000, deadlineMs: 60_000 };
const client = new SlackWebClient("xoxb-bench", process.env.API_URL as string, policy);
new SlackWebhookClient(process.env.API_URL + "hook", policy);
await client.postMessage("C0BENCH001", { text: "bench" });
`,
  );
  const env = { API_URL: `${responder.url}/api/` };
  // Interleaved one run at a time so load from other processes hits both alike.
  const runs = Number(process.env.COLD_START_RUNS ?? 21);
  const times = { sdk: [], lean: [] };
  for (let i = 0; i < runs; i++) {
    times.sdk.push(measureColdStart(sdk, env, 1).median);
    times.lean.push(measureColdStart(lean, env, 1).median);
  }
  const stats = (t) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)], min: sorted[0] };
  };
  line("@slack/web-api + @slack/webhook (SDK)", sdk, env, stats(times.sdk));
  line("@cutover/slack (fetch-based)", lean, env, stats(times.lean));
} finally {
  responder.child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
