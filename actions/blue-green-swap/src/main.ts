import { type AlertRule, loadAlertRules } from "@cutover/analysis";
import { joinUrl } from "@cutover/http-checks";
import { type ActionInputs, runAction, secretDirRecorder, setOutputs, setReport, writeSummary } from "@cutover/runner";
import {
  activeBeforeSwitch,
  dominantColor,
  formatWeights,
  newSwitchRecord,
  openRouter,
  otherColor,
  resolveSwitchTarget,
  shiftInSteps,
  soleColor,
  switchVerifyRevert,
} from "@cutover/traffic";
import { blueGreenSwap } from "./inputs.js";
import type { SwapOutcome } from "./outcome.js";
import { stepJudge } from "./step-judge.js";
import { renderSummary } from "./summary.js";

await runAction(blueGreenSwap, async (inputs, { signal, redactor, log, tempDir, workspace }) => {
  // A rule file that cannot be read fails before traffic moves.
  const rulesPath = inputs["alert-rules"];
  const rules: AlertRule[] = rulesPath ? await loadAlertRules(rulesPath, workspace) : [];
  const router = await openRouter(inputs.router, inputs, {
    signal,
    ...(tempDir ? { tempDir } : {}),
    onSecretDir: secretDirRecorder(),
  });
  const outcome: SwapOutcome = {
    mode: inputs.mode,
    router: router.describe(),
    provider: router.provider,
    statusMs: 0,
    ...newSwitchRecord(undefined),
  };
  let failure: unknown;
  try {
    const statusStarted = performance.now();
    const before = inputs.mode === "switch" ? await activeBeforeSwitch(router, inputs.to, { signal }) : undefined;
    const active = before ? before.active : await router.status({ signal });
    if (before?.warning) log.warning(before.warning);
    outcome.statusMs = Math.round(performance.now() - statusStarted);
    if (active) outcome.previous = outcome.active = active;
    // After an interrupted switch the shares are unknown until the switch settles them: none to restore.
    const shares = await router.weights({ signal }).catch(() => undefined);
    if (shares) outcome.previousWeights = outcome.weights = shares;
    log.info(`${router.describe()}: ${active ?? "no color"} active${shares && !soleColor(shares) ? ` (${formatWeights(shares)})` : ""}`);
    if (inputs.mode === "switch") {
      const weights = inputs.weights;
      const steps = inputs["traffic-steps"];
      // A split favours a color; an even one counts toward the color that is not active now.
      const target = weights
        ? (dominantColor(weights, active ? otherColor(active) : undefined) ?? "green")
        : resolveSwitchTarget(inputs.to, active, router);
      const common = {
        target,
        ...(inputs.version ? { version: inputs.version } : {}),
        ...(inputs["verify-url"]
          ? {
              verify: {
                url: withPath(inputs["verify-url"], inputs["verify-path"]),
                expect: inputs["verify-expect"],
                timeoutMs: inputs["verify-deadline"],
              },
            }
          : {}),
        signal,
        log: (line: string) => log.info(line),
        warn: (line: string) => log.warning(line),
      };
      if (steps) {
        const from = active && active !== target ? active : otherColor(target);
        const judging = stepJudge(judgeSettings(inputs, rules), target, from, common.log);
        try {
          await shiftInSteps(router, outcome, { ...common, shares: steps, judge: judging.judge });
        } finally {
          judging.close();
        }
      } else {
        await switchVerifyRevert(router, outcome, {
          ...common,
          ...(weights ? { weights } : {}),
          revertOnFailure: inputs["revert-on-failure"],
          onCancel: "revert",
          whenActive: "skip",
        });
      }
    }
  } catch (error) {
    failure = error;
    outcome.error = error instanceof Error ? error.message : String(error);
  } finally {
    await router.close();
  }

  setOutputs(
    {
      ...(inputs.mode === "switch" ? { "previous-color": outcome.previous ?? "" } : {}),
      "active-color": outcome.active ?? "",
      "idle-color": outcome.active ? otherColor(outcome.active) : "",
      switched: outcome.switched,
      reverted: outcome.reverted,
      "duration-ms": Math.round(outcome.durationMs),
      // With steps, the new color took traffic at the first one.
      "switched-at": outcome.steps?.[0]?.at ?? (outcome.switch?.changed ? outcome.switch.at : undefined),
      "reverted-at": outcome.revert?.ok ? outcome.revert.at : undefined,
      weights: outcome.weights ? formatWeights(outcome.weights) : undefined,
      // What went wrong in one line, for the deployment's overview and Slack.
      reason: outcome.error?.split("\n")[0],
      steps: outcome.steps ? JSON.stringify(outcome.steps.map((step) => ({ ...step, weights: formatWeights(step.weights) }))) : undefined,
    },
    redactor,
  );
  setReport(outcome, redactor);
  await writeSummary(renderSummary(outcome, failure), redactor);
  if (failure !== undefined) throw failure;
});

/** What judges each traffic step, from the analysis inputs. */
function judgeSettings(inputs: ActionInputs<(typeof blueGreenSwap)["inputs"]>, rules: AlertRule[]) {
  return {
    durationMs: inputs["step-duration"],
    intervalMs: inputs["analysis-interval"],
    prometheusUrl: inputs["prometheus-url"],
    prometheusHeaders: inputs["prometheus-headers"],
    metrics: inputs.metrics ?? [],
    rules,
    scope: inputs.scope ?? {},
    failureLimit: inputs["failure-limit"],
    inconclusiveLimit: inputs["inconclusive-limit"],
    onInconclusive: inputs["on-inconclusive"],
    release: { version: inputs.version, "previous-version": inputs["previous-version"], environment: inputs.environment },
  };
}

/** verify-url with verify-path joined on, when one is given. */
function withPath(url: string, path: string | undefined): string {
  return path ? joinUrl(url, path) : url;
}
