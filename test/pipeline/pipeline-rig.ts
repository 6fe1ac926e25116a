// The whole pipeline on one machine, for the e2e test and the bench: the sample fleet (two colors),
// the demo's router (real nginx when installed, else the front door), optionally a real Prometheus
// scraping both colors, and a `deploy(version)` that runs .github/workflows/deploy.yml itself
// through the sandbox executor with short waits.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWorkflow, type StepResult, type WorkflowResult } from "@cutover/sandbox";
import { type DemoRouter, startDemoRouter } from "../../examples/sandbox/demo-router.js";
import { type SampleFleet, startSampleFleet } from "../../examples/sandbox/sample-fleet.js";
import { type PrometheusService, startPrometheus } from "../services/prometheus.js";

const root = new URL("../../", import.meta.url).pathname;

/** The waits deploy.yml is told to do here; the bench subtracts exactly these. */
export const WAITS = {
  healthIntervalMs: 250,
  bakeDurationMs: 5_000,
  bakeIntervalMs: 1_000,
};
/** Mean latency of user requests above which the bake fails the release (the slow one adds 150 ms). */
export const MAX_MEAN_LATENCY_S = 0.1;
/** rate() window: three 1 s scrapes, so a measurement a second or two after the swap has data. */
const RATE_WINDOW = "3s";

/** What users hit and the `router` block that drives it (with its `router-env` secret, if any). */
export interface RigRouter extends Omit<DemoRouter, "kind"> {
  kind: string;
  routerEnv?: string;
}

export interface PipelineRig {
  workspace: string;
  fleet: SampleFleet;
  router: RigRouter;
  prometheus: PrometheusService | undefined;
  ledgerFile: string;
  environment: string;
  /** Runs deploy.yml for `version`; with Prometheus, the bake also analyses the version's mean latency. `extra` adds or overrides inputs. */
  deploy(version: string, extra?: Record<string, string>): Promise<DeployRun>;
  close(): Promise<void>;
}

export interface DeployRun {
  result: WorkflowResult;
  /** Wall-clock time (Date.now) just before the sandbox started the run; steps' startedAtMs count from about here. */
  startedAtWallMs: number;
}

/** Mean latency (seconds) of the requests that reached `version` through the router, over the rate window. */
export function meanLatencyQuery(version: string): string {
  const selector = `{version="${version}",public="true"}`;
  return (
    `sum(rate(sample_request_duration_seconds_sum${selector}[${RATE_WINDOW}]))` +
    ` / sum(rate(sample_request_duration_seconds_count${selector}[${RATE_WINDOW}]))`
  );
}

export async function startPipelineRig(options: {
  prometheus: boolean;
  showStepLogs?: boolean;
  print?: (line: string) => void;
  /** Another router in front of the fleet (default: the demo's nginx or front door), blue live. */
  router?: (servers: SampleFleet["servers"]) => Promise<RigRouter>;
}): Promise<PipelineRig> {
  const workspace = mkdtempSync(join(tmpdir(), "cutover-pipeline-"));
  cpSync(join(root, "examples", "sandbox", "migrations"), join(workspace, "migrations"), { recursive: true });
  mkdirSync(join(workspace, "releases"));
  writeFileSync(join(workspace, "releases", "blue.json"), JSON.stringify({ version: "1.0.0" }));
  const fleet = await startSampleFleet(join(workspace, "releases"));
  let router: RigRouter | undefined;
  let prometheus: PrometheusService | undefined;
  try {
    router = options.router ? await options.router(fleet.servers) : await startDemoRouter(workspace, fleet.servers, "blue");
    if (options.prometheus) {
      prometheus = await startPrometheus(
        [
          { job: "sample-blue", address: fleet.metricsTargets.blue },
          { job: "sample-green", address: fleet.metricsTargets.green },
        ],
        1,
      );
      await prometheus.waitForSamples(2);
    }
  } catch (error) {
    await router?.close();
    await fleet.close();
    rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
  const ledgerFile = join(workspace, "ledger.json");
  const environment = "e2e";
  const liveRouter = router;
  const baseInputs = {
    environment,
    router: liveRouter.routerBlock,
    "public-url": liveRouter.publicUrl,
    "idle-url": `${fleet.directUrl}/{color}`,
    "deploy-command": `printf '{"version":"%s"}' "$CUTOVER_VERSION" > "releases/$CUTOVER_COLOR.json"`,
    checks: "- { name: home, path: /, expect: { status: 200, json: { $.service: sample } } }\n- { name: health, path: /health }",
    "health-url": `${fleet.directUrl}/{color}/health`,
    "health-expect": "json: { $.status: ok }",
    "health-interval": `${WAITS.healthIntervalMs}ms`,
    "health-deadline": "30s",
    "verify-expect": 'headers: { x-color: "{color}" }',
    "bake-duration": `${WAITS.bakeDurationMs}ms`,
    "bake-interval": `${WAITS.bakeIntervalMs}ms`,
    "bake-expect": "status: 200",
    "migrations-dir": "migrations",
    ledger: `file:${ledgerFile}`,
  };
  const secrets = {
    "database-url": `sqlite:${join(workspace, "app.db")}`,
    ...(liveRouter.routerEnv ? { "router-env": liveRouter.routerEnv } : {}),
  };

  return {
    workspace,
    fleet,
    router: liveRouter,
    prometheus,
    ledgerFile,
    environment,
    async deploy(version, extra = {}) {
      const metricInputs: Record<string, string> = prometheus
        ? {
            "prometheus-url": prometheus.url,
            metrics: JSON.stringify([{ name: "mean-latency", query: meanLatencyQuery(version), max: MAX_MEAN_LATENCY_S }]),
          }
        : {};
      const startedAtWallMs = Date.now();
      const result = await runWorkflow({
        workflow: join(root, ".github", "workflows", "deploy.yml"),
        inputs: { ...baseInputs, ...metricInputs, version, ...extra },
        secrets,
        repoRoot: root,
        workspace,
        github: { repository: "example/shop", actor: "e2e", ref: "refs/heads/main" },
        showStepLogs: options.showStepLogs ?? false,
        ...(options.print ? { print: options.print } : {}),
      });
      return { result, startedAtWallMs };
    },
    async close() {
      await prometheus?.stop();
      await liveRouter.close();
      await fleet.close();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** The main-phase step of the deploy job with this id (or, for steps without one, this name). */
export function step(result: WorkflowResult, idOrName: string): StepResult {
  const found = result.jobs.flatMap((job) => job.steps).find((s) => s.phase === "main" && (s.id === idOrName || s.name === idOrName));
  if (!found) throw new Error(`no step ${idOrName} in the run`);
  return found;
}
