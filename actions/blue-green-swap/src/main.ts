import * as core from "@actions/core";
import { ConfigError } from "@cutover/core";
import { runAction, secretDirRecorder, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { activeBeforeSwitch, newSwitchRecord, openRouter, otherColor, resolveSwitchTarget, switchVerifyRevert } from "@cutover/traffic";
import { blueGreenSwap } from "./inputs.js";
import type { SwapOutcome } from "./outcome.js";
import { renderSummary } from "./summary.js";

await runAction(blueGreenSwap, async (inputs, { signal, redactor }) => {
  if (inputs["verify-expect"] && !inputs["verify-url"]) {
    throw ConfigError.single({ input: "verify-expect", path: "", expected: "verify-url as well: the expect block is checked against it" });
  }
  const router = await openRouter(inputs.router, inputs, {
    signal,
    ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {}),
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
    if (before?.warning) core.warning(before.warning);
    outcome.statusMs = Math.round(performance.now() - statusStarted);
    if (active) outcome.previous = outcome.active = active;
    core.info(`${router.describe()}: ${active ?? "no color"} active`);
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
        log: (line) => core.info(line),
        warn: (line) => core.warning(line),
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
