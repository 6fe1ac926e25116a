// health-gate's judgment of a release (issue 13): for each scenario of the e2e tier — real
// Prometheus (1 s scrape) scraping apps whose series carry color and version labels, the gate's
// dist bundle started as the runner starts it — prints the verdict and the detection time: the
// gate's wall time from start to verdict, and when in the analysis the deciding measurement was
// taken. Needs prometheus on PATH (bash scripts/install-e2e-deps.sh).
// Run: npm run bench -- judgment   (ONLY=s3,s5 to run some scenarios)
import {
  firstReleaseWithoutTraffic,
  goodAfterBad,
  noErrorSeries,
  ruleOverBuckets,
  ruleWithFor,
  type ScenarioRun,
  slowerThanPrevious,
  startJudgmentRig,
  tenPercentOfItsOwn,
  warningRuleOnlyWarns,
} from "../test/judgment/release-scenarios.js";

const CASES: { id: string; name: string; expected: string; run: typeof goodAfterBad }[] = [
  { id: "s1", name: "good release, bad one's errors still in the window", expected: "pass", run: goodAfterBad },
  { id: "s2a", name: "first release, zero traffic", expected: "pass", run: firstReleaseWithoutTraffic },
  { id: "s2b", name: "error ratio with no error series", expected: "pass", run: noErrorSeries },
  { id: "s3", name: "10% of its own requests fail, service-wide under 5%", expected: "fail", run: tenPercentOfItsOwn },
  { id: "s4a", name: "pasted 5xx-rate rule, for: 1m (15 s interval)", expected: "fail", run: ruleWithFor },
  { id: "s4b", name: "histogram_quantile rule over _bucket, slow release", expected: "fail", run: ruleOverBuckets },
  { id: "s4c", name: "severity: warning rule only warns", expected: "pass", run: warningRuleOnlyWarns },
  { id: "s5", name: "baseline: previous, p95 3x the previous", expected: "fail", run: slowerThanPrevious },
];

const only = process.env.ONLY?.split(",");
const rig = await startJudgmentRig();
const rows: string[][] = [];
try {
  for (const c of CASES.filter((c) => !only || only.some((o) => c.id.startsWith(o)))) {
    const { report, detectionMs, decidedAtMs }: ScenarioRun = await c.run(rig);
    rows.push([
      c.id,
      c.name,
      c.expected,
      report.verdict ?? "?",
      `${(detectionMs / 1000).toFixed(1)} s`,
      decidedAtMs === null ? "—" : `${(decidedAtMs / 1000).toFixed(1)} s`,
    ]);
    console.log(`${c.id}: ${report.verdict} in ${(detectionMs / 1000).toFixed(1)} s — ${report.reason}`);
  }
} finally {
  await rig.stop();
}
const header = ["case", "scenario", "expected", "verdict", "gate start → verdict", "deciding measurement at"];
console.log(`\n| ${header.join(" | ")} |\n| ${header.map(() => "---").join(" | ")} |`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
const wrong = rows.filter((r) => r[2] !== r[3]);
if (wrong.length > 0) {
  console.log(`\n${wrong.length} case(s) with the wrong verdict: ${wrong.map((r) => r[0]).join(", ")}`);
  process.exit(1);
}
