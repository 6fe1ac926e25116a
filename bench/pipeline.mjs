// deploy.yml's own figures: (a) the pipeline's overhead, the time spent in cutover's steps minus
// the waits it was told to do, and (b) the time from the bake's failing health measurement to the
// old color serving every request again. Real nginx and Prometheus when installed (else the demo's
// front door, and a leaky release caught by probes). Runs bench/pipeline-bench.ts with the flags
// that let Node load our TypeScript sources, as `npm run demo` does.
// Run: node_modules/.bin/node bench/pipeline.mjs   (CUTOVER_DEMO_ROUTER=front-door: without nginx;
// CUTOVER_BENCH_PROMETHEUS=0: without Prometheus, a leaky release caught by the bake probes)
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const result = spawnSync(
  process.execPath,
  ["--experimental-transform-types", "--no-warnings", "--import", "./scripts/typescript-imports.mjs", "bench/pipeline-bench.ts"],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
