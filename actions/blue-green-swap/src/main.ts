import { joinUrl } from "@cutover/http-checks";
import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import {
  dominantColor,
  formatWeights,
  newSwitchRecord,
  openRouter,
  otherColor,
  resolveSwitchTarget,
  soleColor,
  switchVerifyRevert,
} from "@cutover/traffic";
import { blueGreenSwap } from "./inputs.js";
import type { SwapOutcome } from "./outcome.js";
import { renderSummary } from "./summary.js";

await runAction(blueGreenSwap, async (inputs, { signal, redactor, log, tempDir }) => {
  const router = await openRouter(inputs.router, inputs, { signal, ...(tempDir ? { tempDir } : {}) });
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
    const active = await router.status({ signal });
    outcome.statusMs = Math.round(performance.now() - statusStarted);
    if (active) outcome.previous = outcome.active = active;
    const shares = await router.weights({ signal });
    if (shares) outcome.previousWeights = outcome.weights = shares;
    log.info(`${router.describe()}: ${active ?? "no color"} active${shares && !soleColor(shares) ? ` (${formatWeights(shares)})` : ""}`);
    if (inputs.mode === "switch") {
      const weights = inputs.weights;
      await switchVerifyRevert(router, outcome, {
        // A split favours a color; an even one counts toward the color that is not active now.
        target: weights
          ? (dominantColor(weights, active ? otherColor(active) : undefined) ?? "green")
          : resolveSwitchTarget(inputs.to, active, router),
        ...(weights ? { weights } : {}),
        ...(inputs["verify-url"]
          ? {
              verify: {
                url: withPath(inputs["verify-url"], inputs["verify-path"]),
                expect: inputs["verify-expect"],
                timeoutMs: inputs["verify-timeout"],
              },
            }
          : {}),
        revertOnFailure: inputs["revert-on-failure"],
        onCancel: "revert",
        whenActive: "skip",
        signal,
        log: (line) => log.info(line),
        warn: (line) => log.warning(line),
      });
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
      "switched-at": outcome.switch?.changed ? outcome.switch.at : undefined,
      "reverted-at": outcome.revert?.ok ? outcome.revert.at : undefined,
      weights: outcome.weights ? formatWeights(outcome.weights) : undefined,
    },
    redactor,
  );
  setReport(outcome, redactor);
  await writeSummary(renderSummary(outcome, failure), redactor);
  if (failure !== undefined) throw failure;
});

/** verify-url with verify-path joined on, when one is given. */
function withPath(url: string, path: string | undefined): string {
  return path ? joinUrl(url, path) : url;
}
