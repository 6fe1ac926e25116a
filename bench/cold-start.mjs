// Cold start of each bundle: `node dist/<name>/index.js` from spawn to exit on a trivial input,
// as the runner starts it. Prints the median, p90 and fastest of repeated whole-process runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const RUNS = Number(process.env.COLD_START_RUNS ?? 21);

/** Times `runs` starts of `script` with `env`; returns milliseconds. */
export function measureColdStart(script, env, runs = RUNS) {
  const dir = mkdtempSync(join(tmpdir(), "cutover-cold-"));
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      const files = {
        GITHUB_OUTPUT: join(dir, `out-${i}`),
        GITHUB_STEP_SUMMARY: join(dir, `sum-${i}`),
        GITHUB_STATE: join(dir, `state-${i}`),
      };
      for (const f of Object.values(files)) writeFileSync(f, "");
      const started = process.hrtime.bigint();
      spawnSync(process.execPath, [script], { env: { PATH: process.env.PATH, ...files, ...env }, encoding: "utf8" });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      times.push(ms);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)], min: times[0] };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const script = process.argv[2];
  if (script) {
    const r = measureColdStart(script, JSON.parse(process.argv[3] ?? "{}"));
    console.log(`${script}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms, min ${r.min.toFixed(1)} ms`);
  } else {
    // Every bundle, started with no inputs: it loads its whole module graph, validates, and exits
    // on the config error. That is the fixed cost each step pays before doing any work.
    const dist = new URL("../dist/", import.meta.url).pathname;
    console.log(`cold start of each bundle, ${RUNS} whole-process runs each (target: median under 150 ms)`);
    for (const name of readdirSync(dist).sort()) {
      const r = measureColdStart(join(dist, name, "index.js"), {});
      console.log(`  ${name.padEnd(16)} median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms, min ${r.min.toFixed(1)} ms`);
    }
  }
}
