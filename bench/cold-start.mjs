// Cold start of each bundle: `node dist/<name>/index.js` from spawn to exit on a trivial input,
// as the runner starts it. With no argument: every bundle against a bundle of @actions/core alone
// (built here with ncc), interleaved pairs, wall and CPU ratios. With a script: its median, p90, min.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatRatio, median, pairRatios } from "./peers/pair-ratios.mjs";

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
    // on the config error. That is the fixed cost each step pays before doing any work. Each run
    // is paired with a run of a bundle of @actions/core alone (built here with the same ncc), and
    // the pairs interleave so that a busy machine slows both alike: ratio = bundle / core-only.
    // COLD_START_DIST measures another build (e.g. a checkout of main's dist/) against the same baseline.
    const dist = process.env.COLD_START_DIST ?? new URL("../dist/", import.meta.url).pathname;
    const baseline = buildCoreOnlyBundle();
    console.log(`cold start of each bundle vs a bundle of @actions/core alone, ${RUNS} interleaved pairs (target ≤ 1.2×)`);
    try {
      const names = readdirSync(dist).sort();
      const core = [];
      for (const name of names) {
        const bundle = [];
        const paired = [];
        for (let i = 0; i < RUNS; i++) {
          const first = i % 2 === 0;
          if (first) bundle.push(startOnce(join(dist, name, "index.js")));
          paired.push(startOnce(baseline.script));
          if (!first) bundle.push(startOnce(join(dist, name, "index.js")));
        }
        core.push(...paired);
        const wall = pairRatios(
          bundle.map((r) => r.wallMs),
          paired.map((r) => r.wallMs),
        );
        const cpu = pairRatios(
          bundle.map((r) => r.cpuMs),
          paired.map((r) => r.cpuMs),
        );
        console.log(
          `  ${name.padEnd(16)} wall ${median(bundle.map((r) => r.wallMs)).toFixed(0)} ms ${formatRatio(wall, 1.2)};  CPU ${median(bundle.map((r) => r.cpuMs)).toFixed(0)} ms ${formatRatio(cpu, 1.2)};  peak RSS ${median(bundle.map((r) => r.rssMiB)).toFixed(0)} MiB`,
        );
      }
      console.log(
        `  ${"@actions/core".padEnd(16)} wall ${median(core.map((r) => r.wallMs)).toFixed(0)} ms, CPU ${median(core.map((r) => r.cpuMs)).toFixed(0)} ms, peak RSS ${median(core.map((r) => r.rssMiB)).toFixed(0)} MiB (the baseline)`,
      );
    } finally {
      baseline.remove();
    }
  }
}

/**
 * One start of `script` with no inputs: wall ms, and the child's CPU ms (user + system) and peak
 * RSS from getrusage, through Python's resource module (Node reports no child's rusage); CPU is
 * the steadier figure on a shared machine.
 */
function startOnce(script) {
  const dir = mkdtempSync(join(tmpdir(), "cutover-cold-"));
  try {
    const files = Object.fromEntries(["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"].map((k) => [k, join(dir, k)]));
    for (const f of Object.values(files)) writeFileSync(f, "");
    const wrapper =
      "import resource, subprocess, sys, time\n" +
      "t = time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n" +
      "w = (time.perf_counter() - t) * 1000; r = resource.getrusage(resource.RUSAGE_CHILDREN)\n" +
      "print(w, (r.ru_utime + r.ru_stime) * 1000, r.ru_maxrss / 1024)";
    const out = execFileSync("python3", ["-c", wrapper, process.execPath, script], {
      env: { PATH: process.env.PATH, ...files },
      encoding: "utf8",
    });
    const [wallMs, cpuMs, rssMiB] = out.trim().split(" ").map(Number);
    return { wallMs, cpuMs, rssMiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An ncc bundle of a script that only imports @actions/core and reads an input, as a minimal action does. */
function buildCoreOnlyBundle() {
  const root = new URL("..", import.meta.url).pathname;
  const dir = mkdtempSync(join(root, "node_modules", ".cutover-core-only-"));
  writeFileSync(join(dir, "main.mjs"), 'import * as core from "@actions/core";\ncore.getInput("mode");\ncore.setFailed("no inputs");\n');
  execFileSync(join(root, "node_modules", ".bin", "ncc"), ["build", join(dir, "main.mjs"), "--out", join(dir, "dist"), "--quiet"], {
    cwd: root,
    stdio: "inherit",
  });
  return { script: join(dir, "dist", "index.mjs"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
