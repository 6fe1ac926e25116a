import * as core from "@actions/core";
import { ConfigError } from "@cutover/core";
import { runAction, setOutputs, setReport, writeSummary } from "@cutover/runner";
import { openRouter, otherColor } from "@cutover/traffic";
import { blueGreenSwap } from "./inputs.js";
import type { SwapOutcome } from "./outcome.js";
import { renderSummary } from "./summary.js";
import { swap } from "./swap.js";

await runAction(blueGreenSwap, async (inputs, { signal, redactor }) => {
  if (inputs["verify-expect"] && !inputs["verify-url"]) {
    throw ConfigError.single({ input: "verify-expect", path: "", expected: "verify-url as well: the expect block is checked against it" });
  }
  const router = await openRouter(inputs.router, inputs, {
    signal,
    ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {}),
  });
  const outcome: SwapOutcome = {
    mode: inputs.mode,
    router: router.describe(),
    provider: router.provider,
    switched: false,
    reverted: false,
    noop: false,
    durationMs: 0,
    statusMs: 0,
  };
  let failure: unknown;
  try {
    const statusStarted = performance.now();
    const active = await router.status({ signal });
    outcome.statusMs = Math.round(performance.now() - statusStarted);
    if (active) outcome.previous = outcome.active = active;
    core.info(`${router.describe()}: ${active ?? "no color"} active`);
    if (inputs.mode === "switch") {
      await swap(router, outcome, {
        to: inputs.to,
        ...(inputs["verify-url"] ? { verifyUrl: inputs["verify-url"] } : {}),
        ...(inputs["verify-expect"] ? { verifyExpect: inputs["verify-expect"] } : {}),
        verifyTimeoutMs: inputs["verify-timeout"],
        revertOnFailure: inputs["revert-on-failure"],
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
