import { describe, expect, it } from "vitest";
import { type DeployRun, deployOutcome, rollbackOutcome } from "../src/deployment-outcome.js";

const base: DeployRun = {
  jobStatus: "success",
  stages: {
    router: "success",
    open: "success",
    deploy: "success",
    smoke: "success",
    "gate-idle": "success",
    swap: "success",
    bake: "success",
  },
  switched: true,
  reverted: false,
  swappedBack: "skipped",
  previousColor: "blue",
  newColor: "green",
};

describe("deployOutcome", () => {
  it("a run whose every stage passed deployed the new color", () => {
    expect(deployOutcome(base)).toEqual({
      outcome: "success",
      ledgerStatus: "success",
      slackStatus: "success",
      activeColor: "green",
      summary: "deployed to green",
    });
  });

  it("a failed bake whose swap-back worked is rolled back, and names the bake", () => {
    const decision = deployOutcome({ ...base, jobStatus: "failure", stages: { ...base.stages, bake: "failure" }, swappedBack: "success" });
    expect(decision).toMatchObject({
      outcome: "rolled-back",
      ledgerStatus: "failure",
      slackStatus: "rolled-back",
      activeColor: "blue",
      failedStage: { id: "bake", outcome: "failure" },
      summary: "the bake on live traffic failed; traffic is back on blue",
    });
  });

  it("a swap whose own verification failed and reverted is rolled back too", () => {
    const decision = deployOutcome({
      ...base,
      jobStatus: "failure",
      stages: { ...base.stages, swap: "failure", bake: "skipped" },
      switched: false,
      reverted: true,
    });
    expect(decision).toMatchObject({ outcome: "rolled-back", activeColor: "blue", summary: "the swap failed; traffic is back on blue" });
  });

  it("a failure after the swap that could not swap back says the new color still serves", () => {
    const decision = deployOutcome({ ...base, jobStatus: "failure", stages: { ...base.stages, bake: "failure" }, swappedBack: "failure" });
    expect(decision).toMatchObject({
      outcome: "failure",
      slackStatus: "failure",
      activeColor: "green",
      summary: "the bake on live traffic failed and traffic could not be switched back: green still serves",
    });
  });

  it("a failure before the swap leaves the previous color serving, naming the first failed stage", () => {
    const decision = deployOutcome({
      ...base,
      jobStatus: "failure",
      stages: { router: "success", plan: "success", open: "success", migrate: "failure", deploy: "skipped" },
      switched: false,
      swappedBack: "",
    });
    expect(decision).toMatchObject({
      outcome: "failure",
      activeColor: "blue",
      failedStage: { id: "migrate", description: "migrations" },
      summary: "migrations failed before traffic moved; blue still serves",
    });
  });

  it("a failure before the router was read says nothing changed", () => {
    const decision = deployOutcome({
      jobStatus: "failure",
      stages: { preflight: "failure", router: "skipped" },
      switched: false,
      reverted: false,
      swappedBack: "",
    });
    expect(decision).toMatchObject({ outcome: "failure", summary: "checking the inputs failed before anything changed" });
    expect(decision.activeColor).toBeUndefined();
  });

  it("a cancelled run says where it was cancelled and which color serves", () => {
    const decision = deployOutcome({
      ...base,
      jobStatus: "cancelled",
      stages: { ...base.stages, bake: "cancelled" },
      swappedBack: "success",
    });
    expect(decision).toMatchObject({
      outcome: "cancelled",
      ledgerStatus: "failure",
      slackStatus: "cancelled",
      activeColor: "blue",
      summary: "cancelled during the bake on live traffic; blue serves",
    });
  });

  it("a failure in a step outside the stages still fails, as 'a step'", () => {
    const decision = deployOutcome({ ...base, jobStatus: "failure", switched: false, swappedBack: "" });
    expect(decision.summary).toBe("a step failed before traffic moved; blue still serves");
    expect(decision.failedStage).toBeUndefined();
  });
});

describe("rollbackOutcome", () => {
  it("a traffic rollback that passed is rolled back to the target", () => {
    expect(
      rollbackOutcome({
        jobStatus: "success",
        stages: { rollback: "success", router: "skipped" },
        strategy: "traffic",
        targetVersion: "v1.4.1",
        rollbackColor: "blue",
      }),
    ).toEqual({
      outcome: "success",
      ledgerStatus: "success",
      slackStatus: "rolled-back",
      activeColor: "blue",
      summary: "rolled back to v1.4.1 by traffic; blue serves",
    });
  });

  it("after a redeploy the swap's color is the one that serves", () => {
    const decision = rollbackOutcome({
      jobStatus: "success",
      stages: { rollback: "success", router: "success", deploy: "success", swap: "success" },
      strategy: "redeploy",
      targetVersion: "v1.4.1",
      liveColor: "green",
      swapColor: "blue",
    });
    expect(decision).toMatchObject({ activeColor: "blue", summary: "rolled back to v1.4.1 by redeploy; blue serves" });
  });

  it("a failed deploy command fails the rollback and says who serves", () => {
    const decision = rollbackOutcome({
      jobStatus: "failure",
      stages: { rollback: "success", router: "success", deploy: "failure" },
      strategy: "redeploy",
      liveColor: "blue",
    });
    expect(decision).toMatchObject({
      outcome: "failure",
      ledgerStatus: "failure",
      slackStatus: "failure",
      summary: "rollback failed in the deploy command; blue serves",
    });
  });

  it("a cancelled rollback is cancelled, even when no stage had failed yet", () => {
    expect(rollbackOutcome({ jobStatus: "cancelled", stages: { rollback: "success" } })).toMatchObject({
      outcome: "cancelled",
      slackStatus: "cancelled",
      summary: "rollback cancelled during the run",
    });
  });
});
