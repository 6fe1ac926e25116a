// The local demo: starts a sample service on 127.0.0.1 and runs the smoke-test action's bundle
// against it exactly as the GitHub runner would (INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files), then prints the step summary. Nothing to install but `npm ci`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

const server = createServer((req, res) => {
  if (req.url === "/health") {
    res.setHeader("content-type", "application/json");
    res.setHeader("x-color", "blue");
    res.end(JSON.stringify({ status: "ok", version: "1.0.0" }));
  } else if (req.url === "/") {
    res.end("<h1>sample service</h1>");
  } else {
    res.statusCode = 404;
    res.end("not found");
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const checks = `
- name: home page
  path: /
  expect: { status: 200, body-contains: sample service }
- name: health
  path: /health
  expect:
    status: 200
    max-latency: 500ms
    json: { $.status: ok, $.version: /^1\\./ }
    headers: { x-color: blue }
`;

const dir = mkdtempSync(join(tmpdir(), "cutover-demo-"));
const files = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary") };
for (const file of Object.values(files)) writeFileSync(file, "");
const env = {
  PATH: process.env.PATH,
  ...files,
  INPUT_URL: url,
  INPUT_CHECKS: checks,
  INPUT_TIMEOUT: "10s",
  INPUT_RETRIES: "2",
  "INPUT_RETRY-DELAY": "1s",
  INPUT_CONCURRENCY: "8",
  "INPUT_FOLLOW-REDIRECTS": "true",
  INPUT_LOAD: "{ path: /health, requests: 500, concurrency: 16, max-p95: 200ms }",
};

console.log(`▶ smoke-test against the sample service at ${url}\n`);
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [join(root, "dist", "smoke-test", "index.js")], { env, stdio: "inherit" });
  child.on("close", resolve);
});
console.log("\n▶ step summary\n");
console.log(readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"));
rmSync(dir, { recursive: true, force: true });
server.close();
process.exit(code ?? 1);
