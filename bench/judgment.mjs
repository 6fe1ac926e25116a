// health-gate's judgment of a release (issue 13): for each scenario of the e2e tier — real
// Prometheus (1 s scrape) scraping apps whose series carry color and version labels, the gate's
// dist bundle started as the runner starts it — prints the verdict and the detection time: the
// gate's wall time from start to verdict, and when in the analysis the deciding measurement was
// taken. Needs prometheus on PATH (bash scripts/install-e2e-deps.sh).
// Run: node_modules/.bin/node bench/judgment.mjs   (ONLY=s3,s5 to run some scenarios)
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const result = spawnSync(
  process.execPath,
  ["--experimental-transform-types", "--no-warnings", "--import", "./scripts/typescript-imports.mjs", "bench/judgment-bench.ts"],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
