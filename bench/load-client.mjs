// The load client against npm autocannon on the same workload, interleaved pairs, each client in
// its own process against the same server process:
//   plain:  a server that answers at once, 20,000 requests, 20 in flight: CPU per request, req/s
//   fixed:  a server that answers after 20 ms: p50 and p99 as each client reports them
// Prints cutover / autocannon per pair: the median with the range. PAIRS (default 5) sets the count;
// EACH_PAIR=1 also prints every pair's figures.
// Run: node_modules/.bin/node bench/load-client.mjs
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { peersDirectory } from "./peers/install-peers.mjs";
import { formatAgreement, formatRatio, median, pairRatios } from "./peers/pair-ratios.mjs";

const root = new URL("..", import.meta.url).pathname;
const PAIRS = Number(process.env.PAIRS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 20_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const [, , role, ...args] = process.argv;

/** A server in its own process so that only the client's CPU is counted; prints its port. */
const SERVER = `
const http = require("node:http");
const delay = Number(process.argv[1]);
http.createServer((req, res) => {
  req.resume();
  if (delay > 0) setTimeout(() => res.end("ok"), delay); else res.end("ok");
}).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;

if (role === "cutover") {
  // One load run through the engine smoke-test uses; prints its figures and this process's CPU for it.
  // LOAD_CLIENT_SOURCE points at another checkout's packages/http-checks/src/index.ts (before/after pairs).
  const source = process.env.LOAD_CLIENT_SOURCE ?? "../packages/http-checks/src/index.ts";
  const { HttpClient, runLoad } = await import(source);
  // Older checkouts load their connection (undici) on first use: load it before measuring, as
  // autocannon is, so that only the requests' CPU is counted.
  const connection = new URL("./load-connection.ts", new URL(source, import.meta.url));
  if (existsSync(connection)) await import(connection.href);
  const [url, requests, concurrency] = args;
  const client = new HttpClient({ maxSockets: Number(concurrency) });
  const before = process.cpuUsage();
  const result = await runLoad(
    url,
    { path: "/", method: "GET", requests: Number(requests), concurrency: Number(concurrency) },
    {
      client, // what runLoad used before issue 19 (LOAD_CLIENT_SOURCE); ignored since
      timeoutMs: 10_000,
      headers: {},
    },
  );
  const cpu = process.cpuUsage(before);
  client.close();
  console.log(
    JSON.stringify({
      cpuMs: (cpu.user + cpu.system) / 1000,
      p50: result.p50Ms,
      p99: result.p99Ms,
      rps: result.requestsPerSecond,
      failed: result.failed,
      saturated: result.client?.saturated,
    }),
  );
} else if (role === "autocannon") {
  const autocannon = createRequire(join(args[3], "package.json"))("autocannon");
  const [url, requests, concurrency] = args;
  const before = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url, connections: Number(concurrency), amount: Number(requests) });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(before);
  console.log(
    JSON.stringify({
      cpuMs: (cpu.user + cpu.system) / 1000,
      p50: result.latency.p50,
      p99: result.latency.p99,
      rps: Math.round((Number(requests) / wallMs) * 1000),
      failed: result.errors + result.non2xx,
    }),
  );
} else {
  const peers = peersDirectory();
  const node = process.execPath;
  const tsFlags = ["--experimental-transform-types", "--no-warnings", "--import", join(root, "scripts/typescript-imports.mjs")];

  const run = (command, argv) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, argv, { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      child.on("close", (code) =>
        code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1))) : reject(new Error(`${argv.join(" ")} exit ${code}`)),
      );
    });
  const startServer = (delay) =>
    new Promise((resolve) => {
      const child = spawn(node, ["-e", SERVER, String(delay)], { stdio: ["ignore", "pipe", "inherit"] });
      child.stdout.once("data", (port) => resolve({ url: `http://127.0.0.1:${String(port).trim()}/`, stop: () => child.kill() }));
    });
  const client = (name, url, requests) =>
    name === "cutover"
      ? run(node, [...tsFlags, join(root, "bench/load-client.mjs"), "cutover", url, String(requests), String(CONCURRENCY)])
      : run(node, [
          join(root, "bench/load-client.mjs"),
          "autocannon",
          url,
          String(requests),
          String(CONCURRENCY),
          join(peers, "node_modules", "autocannon"),
        ]);

  /** PAIRS interleaved pairs; the order within a pair alternates so neither always runs second. */
  const pairs = async (url, requests) => {
    const runs = { cutover: [], autocannon: [] };
    for (let i = 0; i < PAIRS; i++) {
      const order = i % 2 === 0 ? ["cutover", "autocannon"] : ["autocannon", "cutover"];
      for (const name of order) runs[name].push(await client(name, url, requests));
    }
    // Each pair's own figures, for reports that give every pair and not only the median.
    const figures = (r) => `CPU ${((r.cpuMs / requests) * 1000).toFixed(1)} µs/req, ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;
    if (process.env.EACH_PAIR) {
      for (const [i, r] of runs.cutover.entries()) {
        console.log(`    pair ${i + 1}: cutover ${figures(r)} | autocannon ${figures(runs.autocannon[i])}`);
      }
    }
    return runs;
  };

  const plain = await startServer(0);
  const fixed = await startServer(20);
  try {
    console.log(`load client vs autocannon ${CONCURRENCY} in flight, ${PAIRS} interleaved pairs (ratio = cutover / autocannon)`);
    const p = await pairs(plain.url, REQUESTS);
    const perRequest = (r) => r.cpuMs / REQUESTS;
    console.log(`  plain server, ${REQUESTS} requests:`);
    console.log(
      `    CPU per request  ${formatRatio(pairRatios(p.cutover.map(perRequest), p.autocannon.map(perRequest)), 1.2)}  (cutover ${(median(p.cutover.map(perRequest)) * 1000).toFixed(1)} µs, autocannon ${(median(p.autocannon.map(perRequest)) * 1000).toFixed(1)} µs)`,
    );
    console.log(
      `    requests/s       ${formatRatio(
        pairRatios(
          p.cutover.map((r) => r.rps),
          p.autocannon.map((r) => r.rps),
        ),
      )}  (cutover ${median(p.cutover.map((r) => r.rps))}, autocannon ${Math.round(median(p.autocannon.map((r) => r.rps)))})`,
    );
    console.log(
      `    p99              cutover ${median(p.cutover.map((r) => r.p99))} ms, autocannon ${median(p.autocannon.map((r) => r.p99))} ms`,
    );
    const fixedRequests = Math.min(REQUESTS, 4_000);
    const f = await pairs(fixed.url, fixedRequests);
    console.log(`  server answering after 20 ms, ${fixedRequests} requests:`);
    for (const key of ["p50", "p99"]) {
      console.log(
        `    ${key}              ${formatAgreement(
          pairRatios(
            f.cutover.map((r) => r[key]),
            f.autocannon.map((r) => r[key]),
          ),
          0.1,
        )}  (cutover ${median(f.cutover.map((r) => r[key]))} ms, autocannon ${median(f.autocannon.map((r) => r[key]))} ms)`,
      );
    }
    const failed = [...p.cutover, ...p.autocannon, ...f.cutover, ...f.autocannon].reduce((n, r) => n + r.failed, 0);
    if (failed > 0) {
      console.log(`  ${failed} requests failed`);
      process.exitCode = 1;
    }
  } finally {
    plain.stop();
    fixed.stop();
  }
}
