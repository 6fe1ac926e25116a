// deploy.yml's own figures: (a) the pipeline's overhead, the time spent in cutover's steps minus
// the waits it was told to do, and (b) the time from the bake's failing health measurement to the
// old color serving every request again. Real nginx and Prometheus when installed (else the demo's
// front door, and a leaky release caught by probes).
// Run: npm run bench -- pipeline   (CUTOVER_DEMO_ROUTER=front-door: without nginx;
// CUTOVER_BENCH_PROMETHEUS=0: without Prometheus, a leaky release caught by the bake probes)
import { execFileSync } from "node:child_process";
import http from "node:http";
import type { StepResult, WorkflowResult } from "@cutover/sandbox";
import { type DeployRun, type PipelineRig, startPipelineRig, step, WAITS } from "../test/pipeline/pipeline-rig.js";
import { startLoad } from "../test/services/load-generator.js";

/**
 * Users' traffic through the router during both runs, for the bake's metric to watch. Without
 * Prometheus there is none: the leaky release would fail the swap's own verification under load
 * (it leaks after 4 user requests), and the bake's probes are what catch it, as in the demo.
 */
const LOAD_RATE = 200;
/** blue-green-swap's own pause between its verification requests (built in, not configured). */
const VERIFY_PAUSE_MS = 200;
const POLLERS = 4;
/** A poller's pause between answers, so polling does not starve the steps it measures of CPU. */
const POLL_PAUSE_MS = 5;

/** Every line the sandbox prints, with the wall-clock time it was printed: step ends are exact here. */
const printed: { at: number; line: string }[] = [];
const onPrint = (line: string) => {
  printed.push({ at: Date.now(), line });
  for (const waiter of printWaiters) waiter(line);
};
const printWaiters = new Set<(line: string) => void>();
/** Resolves when the sandbox prints a line that starts with `prefix`. */
function printedLine(prefix: string): Promise<void> {
  return new Promise((resolve) => {
    const waiter = (line: string) => {
      if (line.startsWith(prefix)) {
        printWaiters.delete(waiter);
        resolve();
      }
    };
    printWaiters.add(waiter);
  });
}
/** When the sandbox printed the end of the step named `name` (its ✓/✗ line). */
function stepEndedAt(name: string, from: number): number {
  const found = printed.find((p) => p.at >= from && /^[✓✗] /.test(p.line) && p.line.slice(2).startsWith(`${name} · `));
  if (!found) throw new Error(`the sandbox never printed the end of ${name}`);
  return found.at;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const pad = (text: string, width: number) => text.padEnd(width);
const json = (s: StepResult) => JSON.parse(s.outputs.report ?? "null");

function installed(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits deploy.yml was told to do inside one step, in ms, with how they were counted:
 * - readiness polling sleeps `interval` after every probe but the last: (probes − 1) × interval;
 * - the metric analysis runs on a fixed schedule, measurement n at (n − 1) × interval:
 *   (taken − 1) × interval (queries before the last one run inside that span).
 */
function toldWaits(s: StepResult): { waitMs: number; how: string } {
  const report = json(s);
  if (s.id === "gate-idle" && report?.readiness) {
    const probes = report.readiness.probes.length;
    return { waitMs: (probes - 1) * WAITS.healthIntervalMs, how: `(${probes} probes − 1) × ${WAITS.healthIntervalMs} ms` };
  }
  if (s.id === "bake" && report) {
    const probes = report.readiness?.probes.length ?? 0;
    const taken = report.analysis?.taken ?? 0;
    const readinessMs = Math.max(0, probes - 1) * WAITS.bakeIntervalMs;
    const analysisMs = Math.max(0, taken - 1) * WAITS.bakeIntervalMs;
    const how = [
      `(${probes} probes − 1) × ${WAITS.bakeIntervalMs} ms`,
      ...(report.analysis ? [`(${taken} measurements − 1) × ${WAITS.bakeIntervalMs} ms`] : []),
    ];
    return { waitMs: readinessMs + analysisMs, how: how.join(" + ") };
  }
  return { waitMs: 0, how: "" };
}

function overhead(label: string, result: WorkflowResult): void {
  const job = result.jobs[0];
  if (!job) throw new Error("the run has no job");
  const ran = job.steps.filter((s) => s.outcome !== "skipped");
  let total = 0;
  let waits = 0;
  let verifyPauses = 0;
  let probeAnswers = 0;
  console.log(`\n(a) ${label}: ${result.outputs.outcome}, job ${ms(job.durationMs)}`);
  console.log(`    ${pad("step", 52)} ${pad("ran", 9)} ${pad("told waits", 10)} own time   waits subtracted`);
  for (const s of ran) {
    const { waitMs, how } = toldWaits(s);
    const verification = s.id === "swap" || s.id === "swap-back" ? json(s)?.verification : undefined;
    if (verification?.attempts) verifyPauses += (verification.attempts - 1) * VERIFY_PAUSE_MS;
    for (const probe of json(s)?.readiness?.probes ?? []) probeAnswers += probe.latencyMs ?? 0;
    total += s.durationMs;
    waits += waitMs;
    console.log(`    ${pad(s.name, 52)} ${pad(ms(s.durationMs), 9)} ${pad(ms(waitMs), 10)} ${pad(ms(s.durationMs - waitMs), 10)} ${how}`);
  }
  const bake = ran.find((s) => s.id === "bake");
  if (bake?.outcome === "failure") console.log(`    bake: ${json(bake)?.reason}`);
  console.log(`    steps' total ${ms(total)} − told waits ${ms(waits)} = cutover's own time ${ms(total - waits)}`);
  console.log(
    `    of which blue-green-swap's built-in verification pauses (${VERIFY_PAUSE_MS} ms between its 3 passes): ${ms(verifyPauses)}; ` +
      `the app answering the health gates' probes: ${ms(probeAnswers)}; ` +
      `the sandbox executor between steps: ${ms(job.durationMs - total)} (not counted)`,
  );
}

interface Answer {
  sentAt: number;
  color: string;
  /** Sent on a keep-alive connection opened earlier (it may belong to an nginx worker a reload retired). */
  reused: boolean;
}

/** Tight pollers on the public URL: each sends its next GET as soon as the last one answered. */
function pollPublicUrl(url: string) {
  const answers: Answer[] = [];
  let stopped = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: POLLERS });
  const one = () =>
    new Promise<void>((resolve) => {
      const sentAt = Date.now();
      const req = http.get(url, { agent, timeout: 5_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          answers.push({
            sentAt,
            color: res.statusCode === 200 ? String(res.headers["x-color"]) : `status ${res.statusCode}`,
            reused: req.reusedSocket,
          });
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error) => {
        answers.push({ sentAt, color: `error ${(error as NodeJS.ErrnoException).code ?? error.message}`, reused: req.reusedSocket });
        resolve();
      });
    });
  const loops = Array.from({ length: POLLERS }, async () => {
    while (!stopped) {
      await one();
      await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
    }
  });
  return {
    async stop(): Promise<Answer[]> {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return answers.sort((a, b) => a.sentAt - b.sentAt);
    },
  };
}

async function timeToOldColor(rig: PipelineRig, badVersion: string, withMetrics: boolean): Promise<void> {
  // Poll from the start of the bake: the swap to the bad release has happened, the failure is ahead.
  let poller: ReturnType<typeof pollPublicUrl> | undefined;
  void printedLine("▶ 7 · Bake").then(() => {
    poller = pollPublicUrl(rig.router.publicUrl);
  });
  const from = Date.now();
  const run: DeployRun = await rig.deploy(badVersion);
  // Keep polling a moment past the end of the run: the last answers prove the old color stayed.
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (!poller) throw new Error("the bake never started");
  const answers = await poller.stop();
  overhead(`${badVersion} (bad)`, run.result);
  const { result } = run;
  if (result.outputs.outcome !== "rolled-back") throw new Error(`expected rolled-back, got ${result.outputs.outcome}`);
  const old = result.outputs["previous-color"] ?? "";
  const bake = step(result, "bake");
  const swapBack = step(result, "swap-back");
  const bakeEnd = stepEndedAt(bake.name, from);
  const swapBackEnd = stepEndedAt(swapBack.name, from);
  let failingAt: number;
  let failingHow: string;
  if (withMetrics) {
    const failed = json(bake).analysis.metrics.flatMap((m: { measurements: { outcome: string; at: string; display: string }[] }) =>
      m.measurements.filter((x) => x.outcome === "fail"),
    )[0];
    failingAt = Date.parse(failed.at);
    failingHow = `the failing mean-latency measurement (${failed.display} s), its timestamp in the bake's report`;
  } else {
    failingAt = bakeEnd;
    failingHow = "the end of the bake step (no Prometheus: the failing probe's report has no wall-clock time; it is a few ms earlier)";
  }
  // The old color serves 100% from the first request sent after which every answer came from it.
  let lastOther = -1;
  answers.forEach((a, i) => {
    if (a.color !== old) lastOther = i;
  });
  const back = answers[lastOther + 1];
  const others = answers.filter((a) => a.color !== old && a.sentAt >= failingAt);
  if (!back) throw new Error(`the old color ${old} never served every request again`);
  const lastOtherAnswer = answers[lastOther];
  const late = answers.filter((a) => a.color !== old && a.sentAt >= swapBackEnd);
  const row = (label: string, value: string) => console.log(`    ${pad(label, 72)} ${value}`);
  console.log(`\n(b) ${badVersion}: failing health measurement → ${old} (the old color) serving 100% of requests again`);
  console.log(`    from: ${failingHow}`);
  row("failing measurement → bake step ended (the gate exits)", ms(bakeEnd - failingAt));
  row(`failing measurement → swap-back step ended (the step took ${ms(swapBack.durationMs)})`, ms(swapBackEnd - failingAt));
  row(
    "failing measurement → last request answered by another color was sent",
    lastOtherAnswer ? `${ms(lastOtherAnswer.sentAt - failingAt)} (${lastOtherAnswer.color})` : "none",
  );
  row(`failing measurement → first request of the all-${old} run was sent`, ms(back.sentAt - failingAt));
  console.log(
    `    => ${old} serves 100% from a moment between ${lastOtherAnswer ? ms(lastOtherAnswer.sentAt - failingAt) : "the failing measurement"} and ${ms(back.sentAt - failingAt)} after the failing measurement` +
      ` (the gap is poll resolution: each of ${POLLERS} pollers waits for its answer${withMetrics ? ", 150 ms on the slow release," : ""} then ${POLL_PAUSE_MS} ms).`,
  );
  console.log(
    `    polling: ${answers.length} requests from the start of the bake to 500 ms after the run; ${answers.length - lastOther - 1} answers after the switch, all ${old}; ` +
      `${others.length} answered by another color after the failing measurement (${summarize(others)}); ` +
      `${late.length} of those were sent after the swap-back step ended${late.length ? `, ${late.filter((a) => a.reused).length} of them on keep-alive connections opened before it (nginx applies a reload asynchronously)` : ""}.`,
  );
}

function summarize(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a.color, (counts.get(a.color) ?? 0) + 1);
  return [...counts].map(([color, n]) => `${n} ${color}`).join(", ") || "none";
}

// CUTOVER_BENCH_PROMETHEUS=0 runs without it even when installed; CUTOVER_DEMO_ROUTER=front-door skips nginx.
const withMetrics = installed("prometheus") && process.env.CUTOVER_BENCH_PROMETHEUS !== "0";
const rig = await startPipelineRig({ prometheus: withMetrics, print: onPrint });
try {
  console.log(
    `deploy.yml through the sandbox executor; router: ${rig.router.kind}; Prometheus: ${withMetrics ? "real, 1 s scrape" : "not installed (bad release: leaky, caught by bake probes)"}`,
  );
  console.log(
    `told waits: health-interval ${WAITS.healthIntervalMs} ms, bake-duration ${WAITS.bakeDurationMs} ms, bake-interval (= analysis-interval) ${WAITS.bakeIntervalMs} ms`,
  );
  const rate = withMetrics ? LOAD_RATE : 0;
  console.log(rate ? `load: ${rate} req/s through the router during both runs (the bake watches live traffic)` : "load: none");
  const load = rate ? startLoad({ url: rig.router.publicUrl, rate, sockets: 64 }) : undefined;
  try {
    const good = await rig.deploy("2.0.0");
    overhead("2.0.0 (good)", good.result);
    if (good.result.outputs.outcome !== "success") throw new Error(`expected success, got ${good.result.outputs.outcome}`);
    await timeToOldColor(rig, withMetrics ? "3.0.0-slow" : "3.0.0-leaky", withMetrics);
  } finally {
    const stats = await load?.stop();
    if (stats)
      console.log(
        `\nload: ${stats.sent} requests at ${stats.requestsPerSecond.toFixed(0)} req/s, ${stats.failed} failed ${JSON.stringify(stats.errors)}, ` +
          `${stats.resent} resent after a reload reset, by color ${JSON.stringify(stats.byColor)}`,
      );
  }
} finally {
  await rig.close();
}
