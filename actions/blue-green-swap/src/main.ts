import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { newSwitchRecord, openRouter, otherColor, resolveSwitchTarget, switchVerifyRevert } from "@cutover/traffic";
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
    log.info(`${router.describe()}: ${active ?? "no color"} active`);
    if (inputs.mode === "switch") {
      await switchVerifyRevert(router, outcome, {
        target: resolveSwitchTarget(inputs.to, active, router),
        ...(inputs["verify-url"]
          ? { verify: { url: inputs["verify-url"], expect: inputs["verify-expect"], timeoutMs: inputs["verify-timeout"] } }
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
    },
    redactor,
  );
  setReport(outcome, redactor);
  await writeSummary(renderSummary(outcome, failure), redactor);
  if (failure !== undefined) throw failure;
});
